// Package domain holds Sparrow's business rules: the Call, User and Persona
// aggregates, their events, and the rules that decide which events may happen;
// and the scoring vocabulary every scorer speaks (ScoreInput, QuickScore,
// DeepScore in score.go) with the one quote rule (quote.go).
//
// Invariants:
//   - domain imports only the standard library (checked by `make lint`).
//   - Aggregates decide, events record: a command method validates its input
//     against the current state and returns new events; state changes only in
//     apply(event), so loading a stream and replaying it yields the same state.
//   - Events are past-tense, JSON-tagged structs with no storage concerns.
//   - Every text, instant and duration an event records is checked when the
//     event is decided (text.go, timestamp.go): valid UTF-8 without NUL, in
//     2000..9999, within its column, so the log holds only values the read
//     tables can store (docs/adr/0009-input-validation.md).
//   - A call holds at most MaxCallLines transcript lines and MaxCallBytes of
//     transcript text (call_size.go): the commands that decide lines
//     (AddTranscript, Import) refuse, whole, what would pass either bound
//     (ErrLimitExceeded), and CheckRoom lets a caller that builds lines itself
//     check them. Room counts how many lines of a batch fit, for the one
//     caller that records what fits instead of refusing (a voice provider's
//     finished conversation, which cannot be sent again any smaller).
//   - Every error a command returns wraps one of the sentinels in errors.go, so
//     callers decide with errors.Is and never by matching strings.
package domain
