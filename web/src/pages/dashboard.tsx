// Dashboard: streaks with a calendar of recent practice days, totals, average
// and best score, scores over time, category averages, calls by mode, and a
// "practise now" suggestion aimed at the weakest category.
import { api, type Call, type Progress } from "../api/client";
import { duration, Empty, ErrorBox, Loading, modeNames, useLoad, usePage } from "../states";

export const categoryNames = {
  opening: "Opening",
  discovery: "Discovery",
  objectionHandling: "Objection handling",
  communication: "Communication",
  closing: "Closing",
} as const;
type Category = keyof typeof categoryNames;

// The mode that practises each category most.
const practiceFor: Record<Category, string> = {
  opening: "cold_call",
  discovery: "discovery",
  objectionHandling: "objection_gauntlet",
  communication: "discovery",
  closing: "cold_call",
};

export function Dashboard() {
  usePage("Dashboard");
  const [state, retry] = useLoad(
    () => Promise.all([api.progress(), api.calls({ status: "completed", limit: 100 })]).then(([p, c]) => ({ p, calls: c.calls })),
    [],
  );
  return (
    <section>
      <h1 tabIndex={-1}>Dashboard</h1>
      {state.status === "loading" && <Loading what="your progress" />}
      {state.status === "error" && <ErrorBox error={state.error} retry={retry} />}
      {state.status === "ok" && <Stats p={state.data.p} calls={state.data.calls} />}
    </section>
  );
}

function Stats({ p, calls }: { p: Progress; calls: Call[] }) {
  const cats = p.categoryAverages;
  let weakest: Category | null = null;
  if (cats) {
    for (const k of Object.keys(categoryNames) as Category[]) if (weakest === null || cats[k] < cats[weakest]) weakest = k;
  }
  if (p.totalCalls === 0)
    return (
      <Empty>
        <h2>No calls yet</h2>
        <p>Your streak, scores and progress show here after your first practice call.</p>
        <a class="button primary" href="/practice">
          Start your first call
        </a>
      </Empty>
    );
  return (
    <div class="dash">
      <div class="card suggest">
        <h2>Practise now</h2>
        {weakest && cats ? (
          <p>
            Your weakest category is <strong>{categoryNames[weakest]}</strong> ({Math.round(cats[weakest])}/100).{" "}
            {withArticle(modeNames[practiceFor[weakest]].toLowerCase())} works on it most.
          </p>
        ) : (
          <p>Keep your streak going with another call.</p>
        )}
        <a class="button primary" href={`/practice?mode=${weakest ? practiceFor[weakest] : "cold_call"}`}>
          Practise {weakest ? categoryNames[weakest].toLowerCase() : "now"}
        </a>
      </div>
      <div class="card">
        <h2>Streak</h2>
        <p class="big">
          <span data-testid="current-streak">{p.currentStreak}</span> {p.currentStreak === 1 ? "day" : "days"}
        </p>
        <p class="hint">Longest: {p.longestStreak} {p.longestStreak === 1 ? "day" : "days"}</p>
        <Calendar calls={calls} timezone={p.timezone} />
      </div>
      <dl class="card tiles">
        <div>
          <dt>Calls</dt>
          <dd>{p.totalCalls}</dd>
        </div>
        <div>
          <dt>Time practised</dt>
          <dd>{duration(p.totalDurationSeconds)}</dd>
        </div>
        <div>
          <dt>Average score</dt>
          <dd>{Math.round(p.averageScore)}</dd>
        </div>
        <div>
          <dt>Best score</dt>
          <dd>{p.bestScore}</dd>
        </div>
      </dl>
      <div class="card wide">
        <h2>Scores over time</h2>
        <ScoreChart scores={[...p.recentScores].reverse()} />
      </div>
      <div class="card">
        <h2>Category averages</h2>
        {cats ? <Bars values={(Object.keys(categoryNames) as Category[]).map((k) => [categoryNames[k], cats[k]])} /> : <p class="hint">Appear after a call's deep analysis.</p>}
      </div>
      <div class="card">
        <h2>Calls by mode</h2>
        <Bars values={Object.entries(p.callsByMode).map(([k, v]) => [modeNames[k], v])} max={Math.max(1, ...Object.values(p.callsByMode))} unit="" />
      </div>
    </div>
  );
}

/** The last five weeks, one cell per day, practice days marked. */
function Calendar({ calls, timezone }: { calls: Call[]; timezone: string }) {
  const fmt = new Intl.DateTimeFormat("en-CA", { timeZone: timezone || undefined, year: "numeric", month: "2-digit", day: "2-digit" });
  const days = new Map<string, number>();
  for (const c of calls) if (c.endedAt) days.set(fmt.format(new Date(c.endedAt)), (days.get(fmt.format(new Date(c.endedAt))) ?? 0) + 1);
  const cells = [];
  const today = new Date();
  for (let i = 34; i >= 0; i--) {
    const d = new Date(today.getTime() - i * 86400000);
    const key = fmt.format(d);
    const n = days.get(key) ?? 0;
    const label = `${d.toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" })}: ${n ? `${n} ${n === 1 ? "call" : "calls"}` : "no practice"}`;
    cells.push(<li key={key} class={n ? "on" : ""} title={label} aria-label={label} />);
  }
  return (
    <figure class="calendar">
      <figcaption>Practice days, last five weeks</figcaption>
      <ol>{cells}</ol>
    </figure>
  );
}

function ScoreChart({ scores }: { scores: Progress["recentScores"] }) {
  if (scores.length === 0) return <p class="hint">Your scores appear here.</p>;
  const w = 600, h = 180, pad = 28;
  const x = (i: number) => pad + (scores.length === 1 ? (w - 2 * pad) / 2 : (i * (w - 2 * pad)) / (scores.length - 1));
  const y = (v: number) => h - pad - (v / 100) * (h - 2 * pad);
  const pts = scores.map((s, i) => `${x(i)},${y(s.overallScore)}`).join(" ");
  const desc = scores.map((s) => `${new Date(s.endedAt).toLocaleDateString()}: ${s.overallScore}`).join("; ");
  return (
    <svg class="chart" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Your last ${scores.length} scores, oldest first: ${desc}`}>
      {[0, 50, 100].map((v) => (
        <g key={v}>
          <line x1={pad} x2={w - pad} y1={y(v)} y2={y(v)} class="grid" />
          <text x={4} y={y(v) + 4} class="axis">
            {v}
          </text>
        </g>
      ))}
      <polyline points={pts} class="line" />
      {scores.map((s, i) => (
        <circle key={s.callId} cx={x(i)} cy={y(s.overallScore)} r={5} class="dot" />
      ))}
    </svg>
  );
}

export function Bars({ values, max = 100, unit = "/100" }: { values: [string, number][]; max?: number; unit?: string }) {
  return (
    <ul class="bars">
      {values.map(([label, v]) => (
        <li key={label}>
          <span class="label">{label}</span>
          <span class="bar" aria-hidden="true">
            <span style={{ width: `${Math.max(0, Math.min(100, (v / max) * 100))}%` }} />
          </span>
          <span class="value">
            {Math.round(v)}
            {unit}
          </span>
        </li>
      ))}
    </ul>
  );
}

// withArticle puts "A" or "An" before a lower-case noun phrase ("An objection gauntlet", "A cold call").
function withArticle(phrase: string): string {
  return (/^[aeiou]/.test(phrase) ? "An " : "A ") + phrase;
}
