// Package llm is Sparrow's provider layer over the model clients: the quick
// score, the deep call analysis, persona generation and the prospect's reply,
// each sent with the spec §11.2 prompts (ScoringSystemPrompt,
// QuickScorePrompt, copied verbatim) through an OpenAI-compatible server
// (ChatProvider: Groq, Ollama, ...) or Gemini (GeminiProvider).
//
// Invariants:
//   - Every model answer is validated before it leaves this package: it must be
//     the JSON object asked for, with every required field, integer scores in
//     0..100, key-moment types in {strength, improvement}, personas that pass
//     domain.PersonaProfile.Validate and use an offered voice. A structurally
//     invalid answer is an error that matches ErrInvalidAnswer and is
//     retryable, so resilience retries it and a fallback chain treats it as
//     the provider failing.
//   - A key moment whose quote is not verbatim in the transcript (judged by the
//     QuoteChecker, by default VerbatimIn) is dropped, never returned; how many
//     were dropped is reported. A fabricated quote is the model's mistake, not
//     a reason to throw away the whole analysis.
//   - Bad input (unknown mode, empty transcript) is a permanent error wrapping
//     domain.ErrInvalid; no request is made.
//   - Each provider call runs under its resilience.Runner (spec §14 schedule,
//     breaker); validation happens inside the retried operation.
//   - Model names are not chosen here: they are the clients' configuration, and
//     every result reports the model that actually answered.
package llm
