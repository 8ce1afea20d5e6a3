// Package app is Sparrow's application layer: one method per command
// (load the aggregate from the log, let the domain decide, append) and the
// queries on the read tables. The HTTP API, the CLI and the webhook and
// scoring workers all go through it, so every write path enforces the same
// rules.
//
// It is the HTTP API's only door: besides commands and queries it follows a
// call's stream (FollowCall), reports health (Health), starts voice sessions
// (StartVoice) and applies webhook deliveries (HandleVoiceWebhook,
// HandleIdentityWebhook). The external services it needs are ports declared
// here and implemented in integrations (VoiceProvider, VoiceWebhookVerifier,
// IdentityWebhookVerifier; ProjectorLagSource and StreamWaker for the
// projections and the store's wakes); app never imports integrations, and
// cmd/sparrow wires the implementations, retries included.
//
// Invariants:
//   - A command never changes state except by appending events; it appends
//     with the aggregate's version as the expected version and retries a
//     concurrency conflict a bounded number of times. Commands on one stream
//     in one process queue on a striped lock, so they rarely conflict at all.
//   - Commands are scoped to a user: a call or persona that is not the
//     user's answers domain.ErrNotFound, exactly like one that does not exist.
//   - Read-your-writes: a command returns only once the live projections have
//     applied what it appended (Consistency.WaitFor), so a read that follows
//     sees it.
//   - No transaction is open while anything slow (a scorer, the network) runs.
//   - A call's history is never loaded whole: loadCall, CallAsOf,
//     CallEvents and CallStream read it a page at a time (eventPage,
//     StreamPage, MaxEventsPage events), so a reader holds at most a page
//     beside the aggregate, which domain.MaxCallLines and
//     domain.MaxCallBytes bound. The call cache is a least recently used
//     cache bounded by count and bytes (CallCacheConfig).
//   - Errors leaving the methods the API calls speak app's and domain's
//     vocabulary (door): ErrUnavailable, ErrConflict, ErrExternalService,
//     the webhook sentinels, the idempotency sentinels, domain's sentinels and
//     *domain.FieldError, with the cause wrapped for logs.
//   - Idempotency keys are scoped to (user, method, route, path id, key) and
//     honest (idempotency.go): the same request answers its first 2xx
//     response again, another request under the key is refused. The table
//     idempotency_requests is owned here.
package app
