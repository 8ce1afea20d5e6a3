// Package providers is the registry of Sparrow's external AI providers: each
// entry says how to build one provider from Config and which tracks it serves
// (the quick score, the deep score, persona generation, the text-practice
// prospect), at which place in each track's chain. cmd/sparrow only turns the
// environment into a Config, calls Build, and hands the Set's chains to app;
// `sparrow doctor` lists the same entries.
//
// Adding a provider takes a client package, one Entry in Registry and the
// scoring acceptance suite (internal/scoringtest) run against its fake;
// nothing in cmd changes beyond reading its configuration.
//
// Invariants:
//   - An entry is built only when its configuration turns it on (Enabled);
//     the built-in providers (the rubric, the persona generator, the prospect
//     simulator) are not entries: app and app/scoring add them last, always.
//   - A track's chain lists the built providers that serve it, by their
//     place for that track (1 first); a provider built once serves every
//     track it is in, with one circuit breaker per track (llm.Breakers):
//     failing prospect replies never open the scoring breakers.
//   - An entry that claims a track builds a provider implementing it
//     (checked by Build, so a wrong entry fails at start, not mid-call).
package providers
