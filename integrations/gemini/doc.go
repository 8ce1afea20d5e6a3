// Package gemini is Sparrow's client for Google's Gemini models (Gemini API or
// Vertex AI) through google.golang.org/genai, reduced to the two calls Sparrow
// makes: a JSON answer constrained by a response schema (described with this
// package's Schema, so no genai type leaves the package), and a plain-text
// turn in a conversation.
//
// Invariants:
//   - One call is one generateContent request (the SDK's own retries are left
//     off), bounded by Config.Timeout; retries and fallback belong to the
//     caller (package resilience), which this package supports by typing errors.
//   - Every error from the service is an *APIError with the HTTP status, the
//     Google status name (RESOURCE_EXHAUSTED, UNAVAILABLE, ...) and any
//     RetryInfo delay; it is retryable for 408, 429 and 5xx.
//   - A successful call never returns empty text: a blocked prompt or a
//     safety stop wraps ErrBlocked (permanent), an answer without text wraps
//     ErrEmptyResponse (retryable).
//   - A 2xx body that is not a generateContent response wraps
//     ErrMalformedResponse (retryable), including bodies that make the SDK
//     panic, which is recovered.
//   - The returned model name is the one the service reports (modelVersion),
//     or the configured one when it reports none.
//   - Configuration comes from Config; this package reads no environment
//     variable itself. Caveat: the genai SDK falls back to GOOGLE_* variables
//     for fields left empty here (GOOGLE_GEMINI_BASE_URL when BaseURL is
//     empty, GOOGLE_API_KEY in Vertex mode), so cmd/ should pass every value
//     explicitly.
package gemini
