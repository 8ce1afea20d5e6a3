// Package rubric is Sparrow's built-in scorer: it turns a practice call's
// transcript into conversation metrics, five category scores, an overall
// score, strengths, improvements and key moments, without any LLM. It speaks
// the domain's scoring vocabulary (domain.ScoreInput in, domain.DeepScore and
// domain.QuickScore out); Scorer is the same rules as a scoring provider, the
// last one of every chain, and passes internal/scoringtest.
//
// Every threshold is a named constant or a per-mode expectation grounded in a
// published figure (Gong Labs, Chorus, Objective Management Group; see
// expectations.go), and every score is the weighted share of yes/no or
// partial-credit criteria that pass, so a user can see why a score is what it is.
//
// Invariants:
//   - Pure: no I/O, no clock, no randomness, no goroutines; package-level
//     values (the phrase lexicon, one compiled regexp) are built once and
//     never mutated. The same input always yields the same output.
//   - Total: any input to Score and Quick (empty, one word, one side only,
//     thousands of turns, huge or non-Latin lines, unsorted or missing
//     timestamps, an unknown mode judged as a cold call) yields a valid
//     result; nothing panics and nothing returns an error. Scorer, the
//     provider, refuses input that breaks domain.ScoreInput.Validate with
//     domain.ErrInvalid, as every provider does.
//   - Every score (category and overall) is an integer within 0..100, and the
//     overall score is Overall(categories), the spec §11 weights
//     20/25/25/15/15.
//   - Result has 3 to 5 strengths and 3 to 5 improvements.
//   - Every key-moment quote is a verbatim substring of the transcript line
//     whose timestamp it carries (the domain's quote rule,
//     domain.VerbatimKeyMoments, is applied before Score returns).
//   - Quick and Score share one computation, so their overall scores agree.
package rubric
