// Package transcriptfile reads the transcript of a sales call held elsewhere, so that Sparrow can score it.
//
// Four formats are read (Parse, with FormatAuto to tell them apart):
//   - plain text: one "Speaker: text" line per turn; a line without a speaker continues the turn before it;
//     a leading timestamp ("[00:01:02]" or "00:01:02") is kept;
//   - WebVTT: cues with their start times; the speaker is a voice tag ("<v Ada>text") or a "Speaker:" prefix;
//   - SRT: numbered cues with their start times; the speaker is a "Speaker:" prefix;
//   - JSON: the API's own transcript shape, {"entries": [{"role", "content", "timestampMs"}]} or the bare array,
//     where roles are already "user" (the rep) and "assistant" (the prospect).
//
// Invariants: Parse never panics and bounds its work by MaxBytes and MaxLines; every error it returns is a
// *ParseError naming the 1-based line it is about (0 when it is about the whole file), wrapping domain.ErrInvalid.
// Entries turns the lines into transcript entries, the rep's speaker becoming "user" and every other speaker
// "assistant", with timestamps that never go backwards. The package is pure: standard library and domain only.
package transcriptfile
