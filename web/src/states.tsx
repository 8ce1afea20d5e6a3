// The three states every page has besides its content: loading, empty and error.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api/client";

export function Loading({ what }: { what: string }) {
  return (
    <p class="state loading" role="status">
      <span class="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="state empty">{children}</div>;
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const msg = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <div class="state error" role="alert">
      <p>
        <strong>Something went wrong.</strong> {msg}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export type Load<T> = { status: "loading" } | { status: "error"; error: unknown } | { status: "ok"; data: T };

/** Runs fn when deps change; reload() runs it again. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): [Load<T>, () => void, (d: T) => void] {
  const [state, setState] = useState<Load<T>>({ status: "loading" });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    fn().then(
      (data) => {
        if (!live) return;
        setState({ status: "ok", data });
        requestAnimationFrame(markReady);
      },
      (error) => live && setState({ status: "error", error }),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return [state, () => setN((x) => x + 1), (data: T) => setState({ status: "ok", data })];
}

/** Sets the document title and moves focus to the page heading after navigation. */
export function usePage(title: string) {
  useEffect(() => {
    document.title = `${title} · Sparrow`;
    const h = document.querySelector<HTMLElement>("main h1");
    if (h && document.activeElement?.tagName !== "INPUT") h.focus({ preventScroll: true });
  }, [title]);
}

export const modeNames: Record<string, string> = {
  cold_call: "Cold call",
  discovery: "Discovery",
  objection_gauntlet: "Objection gauntlet",
};

export function duration(seconds: number | null | undefined): string {
  if (seconds == null) return "–";
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  return `${m}:${String(s).padStart(2, "0")}`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Marks the page as ready (interactive with its data): browser tests and the benchmark wait for it. */
export function markReady() {
  const html = document.documentElement;
  html.dataset.ready = location.pathname;
  // Milliseconds from navigation start to the first page ready (make bench).
  html.dataset.readyMs ??= String(Math.round(performance.now()));
}
