// Package llm is Sparrow's provider layer over the model clients: the quick
// score, the deep call analysis, persona generation and the prospect's reply,
// each sent with the spec §11.2 prompts (ScoringSystemPrompt,
// QuickScorePrompt, copied verbatim) through an OpenAI-compatible server
// (ChatProvider: Groq, Ollama, ...) or Gemini (GeminiProvider). Both speak
// the domain's scoring vocabulary (domain.ScoreInput in, domain.QuickScore and
// domain.DeepScore out) and pass internal/scoringtest against their fakes.
//
// Invariants:
//   - Every model answer is validated before it leaves this package: it must be
//     the JSON object asked for, with every required field, integer scores in
//     0..100, key-moment types in {strength, improvement}, personas that pass
//     domain.PersonaProfile.Validate and use an offered voice. A structurally
//     invalid answer is an error that matches ErrInvalidAnswer and is
//     retryable, so resilience retries it and a fallback chain treats it as
//     the provider failing.
//   - A key moment whose quote fails the domain's quote rule
//     (domain.VerbatimKeyMoments) is dropped, never returned; a kept one
//     carries the line's own words and timestamp. A fabricated quote is the
//     model's mistake, not a reason to throw away the whole analysis.
//   - A deep score's overall is recomputed from its categories with the spec
//     weights (domain.WeightedOverall): a model's arithmetic is not trusted.
//     Every score names its provider (Name) and echoes the input's transcript
//     version.
//   - Bad input (anything domain.ScoreInput.Validate refuses, or an empty
//     transcript: a model has nothing to judge) is a permanent error wrapping
//     domain.ErrInvalid; no request is made.
//   - No vendor type appears in this package's API: Gemini's response schemas
//     are described with gemini.Schema, which integrations/gemini translates.
//   - Each provider call runs under its resilience.Runner (spec §14 schedule)
//     and the breaker of its use (Breakers: quick, deep, prospect, persona),
//     so one use failing never stops another; validation happens inside the
//     retried operation.
//   - Model names are not chosen here: they are the clients' configuration, and
//     every result reports the model that actually answered.
package llm
