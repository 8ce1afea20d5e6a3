// Package elevenlabs is Sparrow's client for ElevenLabs Agents (Conversational
// AI): signed WebSocket URLs for the browser, conversation details after a
// call, and the post-call webhooks (signature verification and parsing).
//
// Invariants:
//   - Every request carries the API key in the xi-api-key header only; the key
//     never appears in errors.
//   - One method call is one HTTP request bounded by Config.Timeout; retries
//     belong to the caller (resilience.ElevenLabsPolicy), helped by *APIError
//     being retryable for 408, 429 and 5xx and carrying Retry-After.
//   - A 404 matches ErrNotFound and a 422 matches ErrValidation.
//   - VerifyWebhook accepts a body only if its ElevenLabs-Signature header has
//     a timestamp within the tolerance (30 minutes by default, both ways) and
//     a v0 HMAC-SHA256 of "<t>.<body>" under the secret, compared in constant
//     time. Each rejection wraps exactly one sentinel: ErrMissingSignature,
//     ErrMalformedSignature, ErrStaleSignature or ErrBadSignature.
//   - ParseWebhook never fails on an unknown event type: the event keeps its
//     type and raw data so the handler can acknowledge and ignore it.
//   - Voice and WebhookVerifier implement the app's ports (app.VoiceProvider,
//     app.VoiceWebhookVerifier): Voice retries behind the port with the
//     resilience.Runner it is given, and WebhookVerifier's rejections wrap
//     app.ErrWebhookSignature or app.ErrMalformedWebhook as well as this
//     package's sentinel.
package elevenlabs
