// The debrief: the quick score at once, the deep analysis when score:ready
// (kind deep) arrives on the stream: overall, the five categories, strengths,
// improvements, key moments that jump to their line, the measured metrics,
// the hidden pains uncovered and missed, and "practise again".
import { useEffect, useState } from "preact/hooks";
import { api, followCall, type Call, type Persona, type Score, type TranscriptEntry } from "../api/client";
import { navigate } from "../router";
import { dateTime, duration, ErrorBox, Loading, modeNames, useLoad, usePage } from "../states";
import { Transcript } from "./call";
import { Bars, categoryNames } from "./dashboard";

export function Debrief({ callId }: { callId: string }) {
  usePage("Debrief");
  const [state, retry] = useLoad(async () => {
    const call = await api.call(callId);
    const [persona, score, transcript] = await Promise.all([
      call.personaId ? api.persona(call.personaId) : Promise.resolve(null),
      api.score(callId),
      api.transcript(callId),
    ]);
    return { call, persona, score, lines: transcript.entries };
  }, [callId]);
  return (
    <section>
      {state.status === "loading" && <Loading what="your debrief" />}
      {state.status === "error" && (
        <>
          <h1 tabIndex={-1}>Debrief</h1>
          <ErrorBox error={state.error} retry={retry} />
        </>
      )}
      {state.status === "ok" && <Report {...state.data} />}
    </section>
  );
}

function Report(props: { call: Call; persona: Persona | null; score: Score; lines: TranscriptEntry[] }) {
  const { call, persona } = props;
  const who = persona?.name ?? "the prospect";
  const [score, setScore] = useState(props.score);
  const [lines, setLines] = useState(props.lines);
  const [highlight, setHighlight] = useState<number | null>(null);
  useEffect(
    () =>
      followCall(
        call.id,
        {
          transcript: (e) => setLines((ls) => (ls.some((l) => l.id === e.id) ? ls : [...ls, e].sort((a, b) => a.timestampMs - b.timestampMs))),
          score: () => api.score(call.id).then(setScore, () => {}),
          scoreFailed: () => api.score(call.id).then(setScore, () => {}),
        },
        call.version,
      ),
    [call.id],
  );
  const jump = (ts: number) => {
    setHighlight(ts);
    const el = document.getElementById(`line-${ts}`);
    el?.scrollIntoView({ block: "center", behavior: "smooth" });
    el?.focus({ preventScroll: true });
  };
  const deep = score.deep;
  return (
    <>
      <div class="callhead">
        <div>
          <h1 tabIndex={-1}>
            Debrief: {modeNames[call.mode]} with {who}
            {call.imported && " (imported)"}
          </h1>
          <p class="prole">
            {dateTime(call.endedAt ?? call.createdAt)} · {duration(call.durationSeconds)} · {endReason(call.endReason)}
          </p>
        </div>
        {call.personaId && <PractiseAgain call={call} personaId={call.personaId} />}
      </div>
      {call.status !== "completed" && <p class="state empty">This call is {call.status.replace("_", " ")}; it is scored when it ends.</p>}
      <div class="debrief">
        <div class="card scorecard">
          <h2>Score</h2>
          {score.quick ? (
            <>
              <p class="big">
                <span data-testid="overall">{deep ? deep.overallScore : score.quick.overall}</span>
                <span class="of">/100</span>
              </p>
              <p class="hint">{deep ? "Deep analysis" : "Quick score"}</p>
              <p>{deep ? deep.summary : score.quick.summary}</p>
            </>
          ) : (
            <p class="hint">No score yet.</p>
          )}
          <div aria-live="polite">
            {!deep && score.status === "pending" && score.quick && (
              <p class="state loading" role="status">
                <span class="spinner" aria-hidden="true" /> Deep analysis in progress…
              </p>
            )}
            {score.status === "failed" && <p class="state error">The deep analysis failed: {score.deepError ?? "unknown error"}. The quick score stands.</p>}
          </div>
        </div>
        {deep && (
          <>
            <div class="card">
              <h2>Categories</h2>
              <Bars
                values={[
                  [categoryNames.opening, deep.openingScore],
                  [categoryNames.discovery, deep.discoveryScore],
                  [categoryNames.objectionHandling, deep.objectionScore],
                  [categoryNames.communication, deep.communicationScore],
                  [categoryNames.closing, deep.closingScore],
                ]}
              />
            </div>
            <div class="card">
              <h2>Strengths</h2>
              <Insights items={deep.strengths} empty="None stood out this time." />
            </div>
            <div class="card">
              <h2>To improve</h2>
              <Insights items={deep.improvements} empty="Nothing to add." />
            </div>
            <div class="card wide">
              <h2>Key moments</h2>
              {deep.keyMoments.length === 0 ? (
                <p class="hint">No key moments.</p>
              ) : (
                <ul class="moments">
                  {deep.keyMoments.map((m, i) => (
                    <li key={i} class={m.type}>
                      <span class="tag">{m.type === "strength" ? "Strength" : "Improve"}</span> {m.description}
                      <blockquote>“{m.quote}”</blockquote>
                      <button type="button" class="link" onClick={() => jump(m.timestamp)}>
                        Show in transcript at {duration(m.timestamp / 1000)}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <Metrics m={deep.metrics as MetricsT | null} />
          </>
        )}
        {persona && <Pains persona={persona} lines={lines} revealed={!!deep} />}
        <div class="card wide">
          <h2>Transcript</h2>
          {lines.length === 0 ? <p class="hint">No lines were recorded.</p> : <Transcript lines={lines} persona={who} highlight={highlight} follow={false} />}
        </div>
      </div>
    </>
  );
}

function endReason(r: string | null) {
  switch (r) {
    case "meeting_booked":
      return "meeting booked";
    case "prospect_hung_up":
      return "the prospect hung up";
    case "prospect_out_of_time":
      return "the prospect ran out of time";
    case "user_ended":
      return "you ended the call";
    default:
      return r ?? "in progress";
  }
}

function Insights({ items, empty }: { items: { point: string; evidence: string }[]; empty: string }) {
  if (items.length === 0) return <p class="hint">{empty}</p>;
  return (
    <ul class="insights">
      {items.map((it, i) => (
        <li key={i}>
          <strong>{it.point}</strong>
          {it.evidence && <p class="hint">{it.evidence}</p>}
        </li>
      ))}
    </ul>
  );
}

interface MetricsT {
  repTalkShare?: number;
  questions?: number;
  openQuestions?: number;
  longestRepMonologueWords?: number;
  longestRepMonologueMs?: number;
  speakingRateWpm?: number;
  fillerWords?: number;
  fillersPerMinute?: number;
  nextStep?: { booked?: boolean; proposal?: string; proposals?: number };
}

function Metrics({ m }: { m: MetricsT | null }) {
  if (!m) return null;
  const rows: [string, string, string][] = [
    ["Your talk share", `${Math.round((m.repTalkShare ?? 0) * 100)}%`, "Top reps talk less than half the time."],
    ["Questions", `${m.questions ?? 0} (${m.openQuestions ?? 0} open)`, "Open questions get prospects talking."],
    [
      "Longest monologue",
      `${m.longestRepMonologueWords ?? 0} words${m.longestRepMonologueMs ? ` (${duration(m.longestRepMonologueMs / 1000)})` : ""}`,
      "Keep each turn short enough to hold attention.",
    ],
    ["Pace", m.speakingRateWpm ? `${Math.round(m.speakingRateWpm)} words/min` : "–", "Around 150 words a minute is easy to follow."],
    ["Fillers", `${m.fillerWords ?? 0} (${(m.fillersPerMinute ?? 0).toFixed(1)}/min)`, "Um, uh, like, basically…"],
    ["Next step", m.nextStep?.booked ? "Booked" : m.nextStep?.proposals ? "Proposed, not booked" : "None", m.nextStep?.proposal ?? "Propose a concrete day and time."],
  ];
  return (
    <div class="card wide">
      <h2>Metrics</h2>
      <dl class="metrics">
        {rows.map(([k, v, hint]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              {v}
              <span class="hint">{hint}</span>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

const stop = new Set("the and for with that this from into over our their your have has are was were been about than them they what when which while will would could should very more most much many some just only also".split(" "));
const stem = (w: string) => w.replace(/(ing|ed|es|s)$/, "");
const words = (t: string) => t.toLowerCase().match(/[a-z]{4,}/g)?.filter((w) => !stop.has(w)).map(stem) ?? [];

/** Hidden pains uncovered (the prospect voiced at least half of a pain's words in one answer) and missed. */
function Pains({ persona, lines, revealed }: { persona: Persona; lines: TranscriptEntry[]; revealed: boolean }) {
  if (!revealed || persona.hiddenPains.length === 0) return null;
  const answers = lines.filter((l) => l.role === "assistant").map((l) => new Set(words(l.content)));
  const found: string[] = [], missed: string[] = [];
  for (const p of persona.hiddenPains) {
    const ws = [...new Set(words(p))];
    const ok = ws.length > 0 && answers.some((a) => ws.filter((w) => a.has(w)).length >= Math.ceil(ws.length / 2));
    (ok ? found : missed).push(p);
  }
  return (
    <div class="card wide">
      <h2>Hidden pains</h2>
      <div class="pains">
        <div>
          <h3>Uncovered ({found.length})</h3>
          {found.length ? <ul>{found.map((p) => <li key={p}>{p}</li>)}</ul> : <p class="hint">None this time: ask about their day, their process, what it costs them.</p>}
        </div>
        <div>
          <h3>Missed ({missed.length})</h3>
          {missed.length ? <ul>{missed.map((p) => <li key={p}>{p}</li>)}</ul> : <p class="hint">You found them all.</p>}
        </div>
      </div>
      {persona.objections.length > 0 && (
        <>
          <h3>Objections {persona.name} had ready</h3>
          <ul>
            {persona.objections.map((o) => (
              <li key={o}>{o}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function PractiseAgain({ call, personaId }: { call: Call; personaId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const go = async () => {
    setBusy(true);
    try {
      const c = await api.createCall({ mode: call.mode, personaId });
      navigate(`/calls/${c.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" class="primary" onClick={go} disabled={busy}>
        Practise again
      </button>
      {error != null && <ErrorBox error={error} />}
    </div>
  );
}
