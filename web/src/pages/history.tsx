// History: the user's calls, newest first, filtered by mode and status, a
// page at a time (cursor pagination); each links to its debrief.
import { useEffect, useState } from "preact/hooks";
import { api, type Call, type CallMode, type CallStatus } from "../api/client";
import { dateTime, duration, Empty, ErrorBox, Loading, markReady, modeNames, useLoad, usePage } from "../states";

const statuses: CallStatus[] = ["completed", "in_progress", "pending", "failed"];

export function History() {
  usePage("History");
  const [mode, setMode] = useState<CallMode | "">("");
  const [status, setStatus] = useState<CallStatus | "">("");
  const [pages, setPages] = useState<Call[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const [names] = useLoad(() => api.personas().then((r) => new Map(r.personas.map((p) => [p.id, p.name]))), []);
  const [first, retry] = useLoad(() => api.calls({ mode: mode || undefined, status: status || undefined, limit: 20 }), [mode, status]);
  useEffect(() => {
    if (first.status === "ok") {
      setPages(first.data.calls);
      setCursor(first.data.nextCursor);
      markReady();
    }
  }, [first]);
  const loadMore = async () => {
    setMore({ busy: true, error: null });
    try {
      const r = await api.calls({ mode: mode || undefined, status: status || undefined, limit: 20, cursor });
      setPages((p) => [...p, ...r.calls]);
      setCursor(r.nextCursor);
      setMore({ busy: false, error: null });
    } catch (e) {
      setMore({ busy: false, error: e });
    }
  };
  const nameOf = (id: string | null) => (id && names.status === "ok" ? names.data.get(id) : undefined) ?? "a prospect";
  return (
    <section>
      <h1 tabIndex={-1}>History</h1>
      <div class="filters" role="group" aria-label="Filter calls">
        <span class="filter">
          <label for="h-mode">Mode</label>
          <select id="h-mode" value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value as CallMode)}>
            <option value="">Any</option>
            {Object.entries(modeNames).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </span>
        <span class="filter">
          <label for="h-status">Status</label>
          <select id="h-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as CallStatus)}>
            <option value="">Any</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ")}
              </option>
            ))}
          </select>
        </span>
      </div>
      {first.status === "loading" && <Loading what="your calls" />}
      {first.status === "error" && <ErrorBox error={first.error} retry={retry} />}
      {first.status === "ok" && pages.length === 0 && (
        <Empty>
          <p>{mode || status ? "No calls match these filters." : "No calls yet."}</p>
          <a class="button primary" href="/practice">
            Start a practice call
          </a>
        </Empty>
      )}
      {first.status === "ok" && pages.length > 0 && (
        <>
          <ul class="history">
            {pages.map((c) => (
              <li key={c.id} class="card">
                <a href={c.status === "completed" || c.status === "failed" ? `/calls/${c.id}/debrief` : `/calls/${c.id}`}>
                  <span class="pname">
                    {modeNames[c.mode]} with {nameOf(c.personaId)}
                    {c.imported && " (imported)"}
                  </span>
                  <span class="meta">
                    {dateTime(c.endedAt ?? c.startedAt ?? c.createdAt)} · {duration(c.durationSeconds)} ·{" "}
                    <span class={`tag ${c.status}`}>{c.status.replace("_", " ")}</span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
          {more.error != null && <ErrorBox error={more.error} retry={loadMore} />}
          {cursor && (
            <button type="button" onClick={loadMore} disabled={more.busy}>
              {more.busy ? "Loading…" : "Load more calls"}
            </button>
          )}
        </>
      )}
    </section>
  );
}
