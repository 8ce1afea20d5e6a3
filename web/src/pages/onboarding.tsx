// Onboarding (first visit): time zone (prefilled from the browser; it decides
// which day a call counts for in streaks), role and experience.
import { useState } from "preact/hooks";
import { api, type Profile } from "../api/client";
import { ErrorBox, markReady, usePage } from "../states";
import { useEffect } from "preact/hooks";

const zones: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    return [];
  }
})();

export function Onboarding({ user, onDone }: { user: Profile; onDone: (u: Profile) => void }) {
  usePage("Welcome");
  useEffect(markReady, []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const tz = user.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const f = new FormData(ev.target as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const data: Record<string, string> = {};
      for (const k of ["role", "experience", "goal"]) {
        const v = String(f.get(k) ?? "").trim();
        if (v) data[k] = v;
      }
      onDone(await api.onboard({ timezone: String(f.get("timezone")).trim(), data }));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <section class="narrow">
      <h1 tabIndex={-1}>Welcome{user.fullName ? `, ${user.fullName.split(" ")[0]}` : ""}</h1>
      <p class="lead">Three questions, then your first practice call.</p>
      <form class="card form" onSubmit={submit}>
        <label for="timezone">Time zone</label>
        <input id="timezone" name="timezone" list="zones" required defaultValue={tz} aria-describedby="tz-hint" maxLength={64} />
        <p id="tz-hint" class="hint">
          Decides which day a call counts for in your streak.
        </p>
        <datalist id="zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <label for="role">Your role</label>
        <select id="role" name="role" defaultValue="sdr">
          <option value="sdr">Sales development rep (SDR/BDR)</option>
          <option value="ae">Account executive</option>
          <option value="founder">Founder</option>
          <option value="manager">Sales manager</option>
          <option value="other">Something else</option>
        </select>
        <label for="experience">Sales experience</label>
        <select id="experience" name="experience" defaultValue="0-1">
          <option value="0-1">Less than a year</option>
          <option value="1-3">One to three years</option>
          <option value="3+">More than three years</option>
        </select>
        <label for="goal">What do you want to get better at? (optional)</label>
        <input id="goal" name="goal" maxLength={1000} />
        {error != null && <ErrorBox error={error} />}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Saving…" : "Continue"}
        </button>
      </form>
    </section>
  );
}
