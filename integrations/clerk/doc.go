// Package clerk is Sparrow's side of Clerk authentication: decoding a
// publishable key into the instance's Frontend API host, verifying session
// tokens (RS256 JWTs) against the instance's JWKS or a PEM key, and verifying
// and parsing Clerk's user webhooks (sent by Svix).
//
// Invariants:
//   - Verify accepts a token only if it is RS256-signed by a key of the
//     instance, its iss equals the configured issuer, it has not expired and
//     is already valid (exp required; nbf and iat checked; Config.Leeway of
//     clock skew), it has a subject, and its azp, when present and when
//     authorized parties are configured, is one of them. Every other algorithm
//     is refused, including "none" and HS256 signed with the public key.
//   - Every rejection wraps ErrInvalidToken and exactly one specific sentinel
//     (ErrMalformedToken, ErrUnsupportedAlgorithm, ErrBadSignature,
//     ErrUnknownKey, ErrExpired, ErrNotYetValid, ErrWrongIssuer,
//     ErrUnauthorizedParty, ErrMissingClaim), or is ErrMissingToken.
//   - JWKS keys are cached and refreshed in the background; a token with an
//     unknown kid triggers at most one refresh per UnknownKIDRefreshInterval,
//     and a token arriving while that budget is spent fails at once instead of
//     waiting (a forged kid cannot stall requests).
//   - Webhooks verify with the svix library (HMAC-SHA256 over
//     "<id>.<timestamp>.<body>", 5-minute tolerance both ways) against a clock
//     the caller may pass; each rejection wraps exactly one webhook sentinel.
//   - ParseWebhook never fails on an unknown event type.
//   - WebhookVerifier implements the app's port (app.IdentityWebhookVerifier):
//     its rejections wrap app.ErrWebhookHeaders, app.ErrWebhookSignature or
//     app.ErrMalformedWebhook as well as this package's sentinel, and a
//     signing secret of the wrong shape is refused at construction.
package clerk
