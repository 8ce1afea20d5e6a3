// Practice setup: the three modes, the persona gallery (filterable by
// difficulty, personality and industry), a persona's detail, starting a
// text or voice call, and generating a persona of your own.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, type CallMode, type Persona } from "../api/client";
import { config } from "../config";
import { navigate } from "../router";
import { Empty, ErrorBox, Loading, modeNames, useLoad, usePage } from "../states";
import { PersonaCard, PersonaDetail } from "./persona-card";

const modes: [CallMode, string][] = [
  ["cold_call", "Get past the brush-off and book a meeting with someone who did not expect your call."],
  ["discovery", "The prospect agreed to talk: ask good questions and uncover their real pains."],
  ["objection_gauntlet", "One objection after another: acknowledge, explore and answer each."],
];

const personalities = ["skeptical", "busy", "friendly", "technical", "hostile"] as const;
const difficulties = ["easy", "medium", "hard"] as const;

export function Practice({ personaId, mode: modeParam }: { personaId: string | null; mode: string | null }) {
  usePage("Practice");
  const [state, retry, setData] = useLoad(() => api.personas().then((r) => r.personas), []);
  const mode: CallMode = modes.some(([m]) => m === modeParam) ? (modeParam as CallMode) : "cold_call";
  const setMode = (m: CallMode) => {
    const q = new URLSearchParams(location.search);
    q.set("mode", m);
    navigate(location.pathname + "?" + q.toString(), true);
  };
  const [difficulty, setDifficulty] = useState("");
  const [personality, setPersonality] = useState("");
  const [industry, setIndustry] = useState("");

  const all = state.status === "ok" ? state.data : [];
  const industries = useMemo(() => [...new Set(all.map((p) => p.industry))].sort(), [all]);
  const shown = all.filter(
    (p) => (!difficulty || p.difficulty === difficulty) && (!personality || p.personality === personality) && (!industry || p.industry === industry),
  );
  const selected = all.find((p) => p.id === personaId) ?? null;
  // On a phone the detail is below the gallery: bring it into view when a prospect is picked.
  useEffect(() => {
    if (selected && window.matchMedia("(max-width: 760px)").matches)
      document.getElementById("persona-name")?.scrollIntoView({ block: "start" });
  }, [selected?.id]);

  return (
    <section>
      <h1 tabIndex={-1}>Practice</h1>
      <fieldset class="modes">
        <legend>1. Choose a mode</legend>
        {modes.map(([m, why]) => (
          <label key={m} class={"mode" + (m === mode ? " on" : "")}>
            <input
              type="radio"
              name="mode"
              value={m}
              checked={m === mode}
              onChange={() => setMode(m)}
              aria-labelledby={`m-${m}`}
              aria-describedby={`mw-${m}`}
            />
            <span class="mname" id={`m-${m}`}>
              {modeNames[m]}
            </span>
            <span class="mwhy" id={`mw-${m}`}>
              {why}
            </span>
          </label>
        ))}
      </fieldset>

      <div class="practice">
        <div class="gallery">
          <h2>2. Choose a prospect</h2>
          <div class="filters" role="group" aria-label="Filter prospects">
            <Select label="Difficulty" value={difficulty} set={setDifficulty} options={difficulties} />
            <Select label="Personality" value={personality} set={setPersonality} options={personalities} />
            <Select label="Industry" value={industry} set={setIndustry} options={industries} />
          </div>
          {state.status === "loading" && <Loading what="prospects" />}
          {state.status === "error" && <ErrorBox error={state.error} retry={retry} />}
          {state.status === "ok" && shown.length === 0 && (
            <Empty>
              <p>No prospect matches these filters.</p>
              <button type="button" onClick={() => (setDifficulty(""), setPersonality(""), setIndustry(""))}>
                Clear filters
              </button>
            </Empty>
          )}
          {shown.length > 0 && (
            <>
              <p class="hint" aria-live="polite">
                {shown.length} of {all.length} prospects
              </p>
              <ul class="personas">
                {shown.map((p) => (
                  <PersonaCard key={p.id} p={p} selected={p.id === personaId} />
                ))}
              </ul>
            </>
          )}
          <Generate onMade={(p) => (setData([...all, p]), navigate(`/practice/${p.id}?mode=${mode}`))} />
        </div>
        <aside class="card side" aria-labelledby={selected ? "persona-name" : "pick-title"}>
          {selected ? (
            <>
              <PersonaDetail p={selected} />
              <Start persona={selected} mode={mode} />
            </>
          ) : personaId && state.status === "ok" ? (
            <p id="pick-title">This prospect no longer exists. Pick another.</p>
          ) : (
            <>
              <h2 id="pick-title">3. Call</h2>
              <p class="hint">Pick a prospect to read their backstory and start the call.</p>
            </>
          )}
        </aside>
      </div>
    </section>
  );
}

function Select({ label, value, set, options }: { label: string; value: string; set: (v: string) => void; options: readonly string[] }) {
  const id = "f-" + label.toLowerCase();
  return (
    <span class="filter">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </span>
  );
}

function Start({ persona, mode }: { persona: Persona; mode: CallMode }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [hints, setHints] = useState(false);
  const start = async (voice: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const call = await api.createCall({ mode, personaId: persona.id, hints });
      navigate(`/calls/${call.id}${voice ? "?voice=1" : ""}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <div class="start">
      <p>
        <strong>{modeNames[mode]}</strong> with {persona.name}.
      </p>
      {error != null && <ErrorBox error={error} />}
      <label class="check">
        <input type="checkbox" checked={hints} onChange={(e) => setHints((e.target as HTMLInputElement).checked)} />
        Coach me during the call (live hints)
      </label>
      <button type="button" class="primary" disabled={busy} onClick={() => start(false)}>
        Start text call
      </button>
      {config.voice ? (
        <button type="button" disabled={busy} onClick={() => start(true)}>
          Start voice call
        </button>
      ) : (
        <p class="hint">Voice calls need ElevenLabs keys on the server; text practice works without any.</p>
      )}
    </div>
  );
}

function Generate({ onMade }: { onMade: (p: Persona) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const f = new FormData(ev.target as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      onMade(
        await api.generatePersona({
          industry: String(f.get("industry")).trim(),
          role: String(f.get("role")).trim(),
          personality: f.get("personality") as Persona["personality"],
          difficulty: f.get("difficulty") as Persona["difficulty"],
        }),
      );
      (ev.target as HTMLFormElement).reset();
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  return (
    <details class="card generate">
      <summary>Generate a prospect of your own</summary>
      <form class="form grid2" onSubmit={submit}>
        <p class="hint full">Describe who you sell to; Sparrow writes their backstory, pains and objections.</p>
        <label for="g-role">Role</label>
        <input id="g-role" name="role" required maxLength={100} placeholder="Head of Operations" />
        <label for="g-industry">Industry</label>
        <input id="g-industry" name="industry" required maxLength={100} placeholder="Logistics" />
        <label for="g-personality">Personality</label>
        <select id="g-personality" name="personality">
          {personalities.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <label for="g-difficulty">Difficulty</label>
        <select id="g-difficulty" name="difficulty" defaultValue="medium">
          {difficulties.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
        {error != null && <ErrorBox error={error} />}
        <button type="submit" class="full" disabled={busy}>
          {busy ? "Generating…" : "Generate prospect"}
        </button>
      </form>
    </details>
  );
}
