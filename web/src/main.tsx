// Sparrow in the browser: the shell (header, navigation, skip link), the
// session (who is signed in, whether onboarding is done) and the page routes.
import "./style.css";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, setUnauthenticatedHandler, type Profile } from "./api/client";
import { config } from "./config";
import { navigate, useLocation } from "./router";
import { ErrorBox, Loading } from "./states";
import { SignIn, signOut } from "./pages/signin";
import { Onboarding } from "./pages/onboarding";
import { Dashboard } from "./pages/dashboard";
import { Practice } from "./pages/practice";
import { LiveCall } from "./pages/call";
import { Debrief } from "./pages/debrief";
import { History } from "./pages/history";

type Session = { status: "loading" } | { status: "anonymous" } | { status: "error"; error: unknown } | { status: "ok"; user: Profile };

function App() {
  const loc = useLocation();
  const [session, setSession] = useState<Session>({ status: "loading" });
  const load = () =>
    api.profile().then(
      (user) => setSession({ status: "ok", user }),
      (error) =>
        setSession(error instanceof ApiError && error.status === 401 ? { status: "anonymous" } : { status: "error", error }),
    );
  useEffect(() => {
    setUnauthenticatedHandler(() => setSession({ status: "anonymous" }));
    load();
  }, []);

  let page;
  const path = loc.pathname;
  if (session.status === "loading") page = <Loading what="your session" />;
  else if (session.status === "error") page = <ErrorBox error={session.error} retry={load} />;
  else if (session.status === "anonymous" || path === "/signin")
    page = (
      <SignIn
        onSignedIn={(user) => {
          setSession({ status: "ok", user });
          const next = loc.searchParams.get("next");
          navigate(!user.onboardingCompleted ? "/onboarding" : next && next.startsWith("/") && !next.startsWith("//") ? next : "/", true);
        }}
      />
    );
  else if (!session.user.onboardingCompleted || path === "/onboarding")
    page = (
      <Onboarding
        user={session.user}
        onDone={(user) => {
          setSession({ status: "ok", user });
          navigate("/", true);
        }}
      />
    );
  else page = route(path, loc);

  const signedIn = session.status === "ok";
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          Sparrow
        </a>
        {signedIn && session.user.onboardingCompleted && (
          <nav aria-label="Main">
            <ul>
              {[
                ["/", "Dashboard"],
                ["/practice", "Practice"],
                ["/history", "History"],
              ].map(([href, label]) => (
                <li key={href}>
                  <a href={href} aria-current={isCurrent(path, href) ? "page" : undefined}>
                    {label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {signedIn && (
          <div class="who">
            <span class="name">{session.user.fullName || session.user.email}</span>
            {config.localSignIn ? (
              <a href="/signin">Switch user</a>
            ) : (
              <button type="button" class="link" onClick={() => signOut().then(() => setSession({ status: "anonymous" }))}>
                Sign out
              </button>
            )}
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

function isCurrent(path: string, href: string) {
  if (href === "/") return path === "/";
  return path === href || path.startsWith(href + "/") || (href === "/practice" && path.startsWith("/calls/") && !path.endsWith("/debrief"));
}

function route(path: string, loc: URL) {
  let m: RegExpMatchArray | null;
  if (path === "/" || path === "/dashboard") return <Dashboard />;
  if (path === "/practice") return <Practice personaId={null} mode={loc.searchParams.get("mode")} />;
  if ((m = path.match(/^\/practice\/([0-9a-f-]{36})$/))) return <Practice personaId={m[1]} mode={loc.searchParams.get("mode")} />;
  if ((m = path.match(/^\/calls\/([0-9a-f-]{36})\/debrief$/))) return <Debrief callId={m[1]} />;
  if ((m = path.match(/^\/calls\/([0-9a-f-]{36})$/))) return <LiveCall callId={m[1]} voice={loc.searchParams.get("voice") === "1"} />;
  if (path === "/history") return <History />;
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/">Go to your dashboard</a>.
      </p>
    </section>
  );
}

const root = document.getElementById("app")!;
root.textContent = ""; // the "Loading Sparrow…" shown before the script ran
render(<App />, root);
