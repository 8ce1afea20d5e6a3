// Package openaicompat is Sparrow's client for OpenAI-compatible chat
// completion servers: Groq by default, and Ollama, llama.cpp's server or vLLM
// by changing Config.BaseURL.
//
// Invariants:
//   - One Chat call is one HTTP request (POST {BaseURL}/chat/completions),
//     bounded by Config.Timeout; retries and fallback belong to the caller
//     (see package resilience), which this package supports by typing errors.
//   - Every non-2xx answer is an *APIError carrying the status, the provider's
//     error code and message, and the server's Retry-After; it reports itself
//     retryable for 408, 429 and 5xx, and for Groq's 400 json_validate_failed
//     (the model produced invalid JSON: asking again may work).
//   - A 2xx answer whose body is not the chat-completions shape wraps
//     ErrMalformedResponse; one with no choices wraps ErrEmptyChoices, and one
//     whose first choice has no text wraps ErrEmptyContent. All three are
//     retryable. Chat never returns an empty Content with a nil error.
//   - The API key is sent only as "Authorization: Bearer"; without a key no
//     Authorization header is sent (local servers). It never appears in errors.
package openaicompat
