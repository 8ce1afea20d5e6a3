// The live call. Text: the transcript comes from the call's event stream
// (SSE, resumed with Last-Event-ID, deduplicated by line id); what the rep
// types goes to POST /turns, whose answer also carries the prospect's
// patience and interest for the gauges. Voice: the ElevenLabs SDK holds the
// conversation and its transcript shows live; ending the call hands the
// conversation id to /end, which fetches the transcript (the post-call
// webhook reconciles it later).
import { useEffect, useRef, useState } from "preact/hooks";
import { api, followCall, type Call, type Hint, type Persona, type Turn } from "../api/client";
import { config } from "../config";
import { navigate } from "../router";
import { duration, ErrorBox, Loading, modeNames, useLoad, usePage } from "../states";
import type { VoiceSession } from "./voice";

export interface Line {
  id: string;
  role: "user" | "assistant";
  content: string;
  timestampMs: number;
}

export function LiveCall({ callId, voice }: { callId: string; voice: boolean }) {
  usePage("Call");
  const [state, retry] = useLoad(async () => {
    const call = await api.call(callId);
    const persona = call.personaId ? await api.persona(call.personaId) : null;
    return { call, persona };
  }, [callId]);
  if (state.status === "loading") return <Loading what="the call" />;
  if (state.status === "error")
    return (
      <section>
        <h1 tabIndex={-1}>Call</h1>
        <ErrorBox error={state.error} retry={retry} />
      </section>
    );
  const { call, persona } = state.data;
  if (call.status === "completed" || call.status === "failed" || !persona)
    return (
      <section class="narrow">
        <h1 tabIndex={-1}>This call has ended</h1>
        <p>
          <a class="button primary" href={`/calls/${call.id}/debrief`}>
            Read the debrief
          </a>
        </p>
      </section>
    );
  return voice && config.voice ? <VoiceCall call={call} persona={persona} /> : <TextCall call={call} persona={persona} />;
}

function Header({ call, persona, started, onEnd, ending }: { call: Call; persona: Persona; started: string | null; onEnd: () => void; ending: boolean }) {
  return (
    <div class="callhead">
      <div>
        <h1 tabIndex={-1}>
          {modeNames[call.mode]} with {persona.name}
        </h1>
        <p class="prole">
          {persona.role}, {persona.company}
        </p>
      </div>
      <Timer since={started} />
      <button type="button" class="danger" onClick={onEnd} disabled={ending}>
        {ending ? "Ending…" : "End call"}
      </button>
    </div>
  );
}

function Timer({ since }: { since: string | null }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const s = since ? Math.max(0, (Date.now() - new Date(since).getTime()) / 1000) : 0;
  return (
    <p class="timer">
      <span class="visually-hidden">Call time </span>
      <time aria-live="off">{duration(s)}</time>
    </p>
  );
}

// Transcript lists a call's lines. While following a live call it keeps the
// newest line in view; a finished call's transcript (follow false, the
// debrief) stays where the reader is: scrolled to its end, the debrief
// opened at the last line instead of the score.
export function Transcript({ lines, persona, highlight, follow = true }: { lines: Line[]; persona: string; highlight?: number | null; follow?: boolean }) {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (follow && highlight == null) end.current?.scrollIntoView?.({ block: "nearest" });
  }, [lines.length]);
  return (
    <ol class="transcript" aria-label="Transcript">
      {lines.map((l) => (
        <li
          key={l.id}
          id={`line-${l.timestampMs}`}
          tabIndex={-1}
          class={`line ${l.role === "user" ? "rep" : "prospect"}${highlight === l.timestampMs ? " hl" : ""}`}
        >
          <span class="who">{l.role === "user" ? "You" : persona}</span>
          <span class="when">{duration(l.timestampMs / 1000)}</span>
          <p>{l.content}</p>
        </li>
      ))}
      <li ref={end} class="end" aria-hidden="true" />
    </ol>
  );
}

function Gauges({ st }: { st: NonNullable<Turn["prospectState"]> | null }) {
  return (
    <div class="gauges" aria-label="Prospect's state">
      <Gauge label="Patience" value={st?.patience} hint="At zero they hang up." />
      <Gauge label="Interest" value={st?.interest} hint={st ? `A meeting needs ${st.interestNeeded}.` : "Rises with good discovery."} />
    </div>
  );
}

function Hints({ tips }: { tips: Hint[] }) {
  return (
    <section class="hints" aria-label="Coaching hints">
      <h3>Coach</h3>
      {tips.length === 0 ? (
        <p class="hint">Tips appear here as the call goes.</p>
      ) : (
        <ul aria-live="polite">
          {tips.map((h, i) => (
            <li key={`${h.line}-${h.kind}-${i}`} class={i === 0 ? "new" : undefined}>
              {h.text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Gauge({ label, value, hint }: { label: string; value: number | undefined; hint: string }) {
  const id = "g-" + label.toLowerCase();
  return (
    <div class="gauge">
      <label for={id}>
        {label} <span class="value">{value ?? "–"}</span>
      </label>
      <meter id={id} min={0} max={100} low={30} high={70} optimum={100} value={value ?? 0} aria-describedby={id + "-h"} />
      <p id={id + "-h"} class="hint">
        {hint}
      </p>
    </div>
  );
}

function TextCall({ call, persona }: { call: Call; persona: Persona }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [started, setStarted] = useState<string | null>(call.startedAt);
  const [gauge, setGauge] = useState<Turn["prospectState"]>(null);
  const [tips, setTips] = useState<Hint[]>([]);
  const [busy, setBusy] = useState(false);
  const [ending, setEnding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(true);
  const [outcome, setOutcome] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(
    () =>
      followCall(call.id, {
        transcript: (e) => setLines((ls) => [...ls, e]),
        started: (e) => setStarted(e.startedAt),
        // Only from the call page: a rep who ended the call and moved on is not pulled back to the debrief.
        ended: () =>
          setTimeout(() => {
            if (location.pathname === `/calls/${call.id}`) navigate(`/calls/${call.id}/debrief`, true);
          }, 1500),
        failed: (e) => setError(new Error(`The call failed: ${e.reason}`)),
        connection: setLive,
      }),
    [call.id],
  );
  useEffect(() => input.current?.focus(), []);

  // Lines are sent in order, one at a time; a line typed while the prospect
  // is still answering the previous one waits for it.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const pending = useRef(0);
  const send = async (text: string) => {
    try {
      const t = await api.turn(call.id, text);
      if (t.prospectState) setGauge(t.prospectState);
      if (t.hints.length > 0) setTips((ts) => [...t.hints, ...ts].slice(0, 4));
      if (t.ended)
        setOutcome(t.meetingBooked ? "Meeting booked! Opening your debrief…" : `${persona.name} ended the call. Opening your debrief…`);
    } catch (e) {
      setError(e);
      if (input.current && !input.current.value) input.current.value = text; // not lost: send it again
    }
    if (--pending.current === 0) setBusy(false);
    input.current?.focus();
  };
  const say = (ev: Event) => {
    ev.preventDefault();
    const text = input.current!.value.trim();
    if (!text || outcome) return;
    input.current!.value = ""; // cleared at once: the rep may type the next line while the prospect answers
    setError(null);
    pending.current++;
    setBusy(true);
    queue.current = queue.current.then(() => send(text));
  };
  const end = async () => {
    setEnding(true);
    try {
      if (lines.length === 0) {
        await api.updateCall(call.id, { status: "failed", reason: "ended before anything was said" });
        navigate("/practice", true);
        return;
      }
      await api.endCall(call.id);
      navigate(`/calls/${call.id}/debrief`, true);
    } catch (e) {
      setError(e);
      setEnding(false);
    }
  };
  return (
    <section class="call">
      <Header call={call} persona={persona} started={started} onEnd={end} ending={ending} />
      <div class="callbody">
        <div class="convo card">
          {!live && <p class="hint" role="status">Reconnecting to the call…</p>}
          {lines.length === 0 ? (
            <p class="hint">The phone is ringing. Greet {persona.name} to start the call.</p>
          ) : (
            <div aria-live="polite" aria-relevant="additions">
              <Transcript lines={lines} persona={persona.name} />
            </div>
          )}
          {busy && (
            <p class="typing" role="status">
              {persona.name} is answering…
            </p>
          )}
          {outcome && (
            <p class="outcome" role="status">
              {outcome}
            </p>
          )}
          {error != null && <ErrorBox error={error} />}
          <form class="say" onSubmit={say}>
            <label for="say">What you say</label>
            <textarea
              id="say"
              ref={input}
              rows={2}
              maxLength={10000}
              disabled={!!outcome}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.shiftKey) say(e);
              }}
              aria-describedby="say-hint"
            />
            <p id="say-hint" class="hint">
              Enter sends; Shift+Enter starts a new line.
            </p>
            <button type="submit" class="primary" disabled={!!outcome}>
              Send
            </button>
          </form>
        </div>
        <aside class="card">
          <h2>{persona.name}</h2>
          <Gauges st={gauge} />
          {call.hints && <Hints tips={tips} />}
        </aside>
      </div>
    </section>
  );
}

function VoiceCall({ call, persona }: { call: Call; persona: Persona }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState<"idle" | "connecting" | "connected" | "ended">("idle");
  const [started, setStarted] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [ending, setEnding] = useState(false);
  const session = useRef<VoiceSession | null>(null);
  const t0 = useRef(0);
  const seq = useRef(0);

  const start = async () => {
    setStatus("connecting");
    setError(null);
    try {
      const cfg = await api.voiceStart({ callId: call.id, mode: call.mode, personaId: persona.id });
      if (!cfg.signedUrl) throw new Error(cfg.voice.message);
      const { startVoice } = await import("./voice");
      session.current = await startVoice(cfg, {
        connected: (conversationId) => {
          t0.current = Date.now();
          setStarted(new Date().toISOString());
          setStatus("connected");
          api.updateCall(call.id, { status: "in_progress", elevenlabsConversationId: conversationId }).catch(setError);
        },
        line: (role, content) =>
          setLines((ls) => [...ls, { id: `v${seq.current++}`, role, content, timestampMs: Date.now() - t0.current }]),
        ended: () => setStatus("ended"),
        error: (m) => setError(new Error(m)),
      });
    } catch (e) {
      setError(e);
      setStatus("idle");
    }
  };
  const end = async () => {
    setEnding(true);
    try {
      const id = session.current?.conversationId();
      await session.current?.end();
      await api.endCall(call.id, id ? { elevenlabsConversationId: id } : {});
      navigate(`/calls/${call.id}/debrief`, true);
    } catch (e) {
      setError(e);
      setEnding(false);
    }
  };
  useEffect(() => () => void session.current?.end(), []);
  return (
    <section class="call">
      <Header call={call} persona={persona} started={started} onEnd={end} ending={ending} />
      <div class="convo card">
        <p role="status" class="voice-status">
          {status === "idle" && "Voice call: allow the microphone when asked, then talk."}
          {status === "connecting" && "Connecting…"}
          {status === "connected" && `Connected: talk to ${persona.name}.`}
          {status === "ended" && "The conversation ended. End the call to get your score."}
        </p>
        {status === "idle" && (
          <button type="button" class="primary" onClick={start}>
            Connect voice
          </button>
        )}
        <div aria-live="polite" aria-relevant="additions">
          <Transcript lines={lines} persona={persona.name} />
        </div>
        {error != null && <ErrorBox error={error} />}
      </div>
    </section>
  );
}
