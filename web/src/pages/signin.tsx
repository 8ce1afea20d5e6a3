// Sign-in: the local form (email, name) when the server signs its own
// tokens, or Clerk's own sign-in (ClerkJS from the instance's Frontend API)
// when Clerk is configured; either way the session is the __session cookie.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type Profile } from "../api/client";
import { config } from "../config";
import { ErrorBox, Loading, markReady, usePage } from "../states";

interface ClerkLike {
  load(): Promise<void>;
  user: unknown;
  mountSignIn(el: HTMLElement): void;
  addListener(fn: (e: { user?: unknown }) => void): void;
  signOut(): Promise<void>;
}
declare global {
  interface Window {
    Clerk?: ClerkLike;
  }
}

let clerkLoading: Promise<ClerkLike> | null = null;
function loadClerk(): Promise<ClerkLike> {
  clerkLoading ??= new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = `https://${config.clerkFrontendApi}/npm/@clerk/clerk-js@5/dist/clerk.browser.js`;
    s.crossOrigin = "anonymous";
    s.async = true;
    s.dataset.clerkPublishableKey = config.clerkPublishableKey;
    s.onload = () => (window.Clerk ? window.Clerk.load().then(() => resolve(window.Clerk!), reject) : reject(new Error("ClerkJS did not load")));
    s.onerror = () => reject(new Error("Clerk's sign-in could not be loaded."));
    document.head.appendChild(s);
  });
  return clerkLoading;
}

/** Signs out of Clerk; with local sign-in, signing in again replaces the session. */
export async function signOut() {
  if (config.clerkFrontendApi) await (await loadClerk()).signOut();
  else location.assign("/signin");
}

export function SignIn({ onSignedIn }: { onSignedIn: (u: Profile) => void }) {
  usePage("Sign in");
  useEffect(markReady, []);
  return (
    <section class="narrow">
      <h1 tabIndex={-1}>Practise sales calls with AI prospects</h1>
      <p class="lead">
        Pick a prospect, hold the call by text or voice, and get scored on your opening, discovery, objection handling,
        communication and closing.
      </p>
      {config.localSignIn ? <LocalForm onSignedIn={onSignedIn} /> : <ClerkSignIn onSignedIn={onSignedIn} />}
    </section>
  );
}

function LocalForm({ onSignedIn }: { onSignedIn: (u: Profile) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const f = new FormData(ev.target as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const s = await api.devSession({ email: String(f.get("email")).trim(), fullName: String(f.get("fullName")).trim() || undefined });
      onSignedIn(s.user);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={submit} aria-describedby="local-note">
      <h2>Sign in</h2>
      <p id="local-note" class="hint">
        Local sign-in: this server has no identity provider, so anyone who can reach it may sign in with any address.
      </p>
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required maxLength={320} />
      <label for="fullName">Your name</label>
      <input id="fullName" name="fullName" autocomplete="name" maxLength={200} />
      {error != null && <ErrorBox error={error} />}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

function ClerkSignIn({ onSignedIn }: { onSignedIn: (u: Profile) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    loadClerk()
      .then((clerk) => {
        setLoading(false);
        const done = () => api.profile().then(onSignedIn, setError);
        if (clerk.user) return done();
        clerk.addListener(({ user }) => user && done());
        if (el.current) clerk.mountSignIn(el.current);
      })
      .catch((e) => {
        setLoading(false);
        setError(e);
      });
  }, []);
  return (
    <div>
      {loading && <Loading what="sign-in" />}
      {error != null && <ErrorBox error={error} retry={() => location.reload()} />}
      <div ref={el} />
    </div>
  );
}
