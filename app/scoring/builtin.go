// Package scoring is Sparrow's two-track scoring pipeline: a quick score
// computed synchronously when a call ends, and a deep analysis computed
// asynchronously by a worker. Every provider speaks the domain's scoring
// vocabulary (domain.ScoreInput in, domain.QuickScore or domain.DeepScore
// out) and passes the acceptance suite in internal/scoringtest.
//
// Invariants:
//   - The built-in rubric provider is always available and always last in a
//     chain, so every ended call gets scored even with no external AI configured.
//   - A chain accepts an answer only if it passes the domain's rules: a quick
//     score in range with a summary; a deep score whose overall agrees with the
//     weighted categories and whose key moments pass the one quote rule
//     (domain.VerbatimKeyMoments: moments that fail it are dropped, not fatal).
//   - A score carries the transcript version of its input, whatever a provider said.
package scoring

import "github.com/sparrow-coach/sparrow/domain/coaching/rubric"

// BuiltinName is the provider name recorded on scores from the rubric.
const BuiltinName = rubric.ProviderName

// Builtin scores calls with the transparent rubric (domain/coaching/rubric):
// deterministic, local, a few milliseconds even for an hour-long call.
type Builtin struct{ rubric.Scorer }
