// Package api is Sparrow's HTTP API on Echo: every route of spec §7, session
// authentication (Clerk tokens or local sign-in), per-user isolation, the
// call event stream over Server-Sent Events, health, metrics and the OpenAPI
// document.
//
// Package app is its only door to the rest of Sparrow: api imports app,
// domain, its own subpackages and HTTP/OpenAPI/metrics libraries, never the
// event store, the projections, the integrations or the database driver.
// Handlers decode the request, call one app method and map its result;
// what a webhook delivery does, how voice starts and how health is measured
// are app's rules.
//
// Invariants:
//   - Handlers are methods on Server, registered in routes.go only, and answer
//     with the DTOs of dto files (camelCase JSON, spec §7.3), never with
//     domain or database structs.
//   - Errors become HTTP responses in one place (errors.go), chosen by their
//     sentinels and types (app's, domain's, auth's), never their text: the
//     body is always {"error": {"code", "message", "details", "requestId"}};
//     only 5xx are logged as errors and their messages never show internals.
//   - Every route except the public ones (health, metrics, the OpenAPI
//     document, the local sign-in endpoint, and the Clerk and ElevenLabs
//     webhooks, which are verified by their signatures instead) requires a
//     verified session token, and every read and write is scoped to the
//     token's user: another user's call, transcript, score, events or stream
//     answers 404, exactly like one that does not exist.
//   - A webhook delivery has no second effect when redelivered, and is
//     acknowledged (200) whenever retrying could not help; only our own
//     failures (5xx) make the sender retry.
//   - Bodies are decoded strictly (size limit, valid UTF-8, no unknown fields,
//     typed values); invalid input stores nothing.
//   - Commands return only after the read tables show their effects (package
//     app), so a read that follows a write sees it.
//   - Each SSE event id is the call stream's version: resuming with
//     Last-Event-ID sends every later event once, and delivery is woken by the
//     commit (app.CallStream, on app.Config.Waker), with only a slow poll as a
//     fallback for appends made by other processes without a waker bridge.
//   - Every response carries X-Request-Id, and every log line of a request
//     names it.
package api
