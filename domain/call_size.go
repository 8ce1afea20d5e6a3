package domain

import "fmt"

// The maximum size of one call. Every transcript line a call records is kept
// by its aggregate, cached by the application and sent to every client that
// follows the call, so a call's size is bounded where lines are decided
// (AddTranscript, Import): nothing can append past it.
//
// The bounds are far beyond a real conversation (a 24-hour call at 150 words
// a minute is about 1.3 MB of text in a few thousand lines) and small enough
// that a full call costs a server a few MB, whoever reads it.
const (
	// MaxCallLines bounds the transcript lines of one call.
	MaxCallLines = 5_000
	// MaxCallBytes bounds the transcript text of one call: the sum of its
	// lines' content, in UTF-8 bytes (2 MiB).
	MaxCallBytes = 2 << 20
)

// TranscriptBytes is the size of the call's transcript text, in UTF-8 bytes
// (what MaxCallBytes bounds).
func (c *Call) TranscriptBytes() int { return c.transcriptBytes }

// CheckRoom reports whether the call can take entries without growing past
// MaxCallLines or MaxCallBytes: nil, or a *FieldError on "entries" wrapping
// ErrLimitExceeded. AddTranscript and Import check it; a caller that builds
// TranscriptChunkAdded events itself (a text-practice turn, whose reply is
// written after the turn was decided) checks it before it appends them.
func (c *Call) CheckRoom(entries ...TranscriptEntry) error {
	return checkCallSize(len(c.transcript), c.transcriptBytes, entries)
}

// Room returns how many of entries, taken in order from the first, the call
// can take without growing past MaxCallLines or MaxCallBytes: len(entries)
// when all fit. A caller that must record what it can of a record it cannot
// refuse (a voice provider's finished conversation) takes entries[:Room] and
// says what it dropped; every other caller refuses the whole batch
// (CheckRoom).
func (c *Call) Room(entries []TranscriptEntry) int {
	lines, bytes := len(c.transcript), c.transcriptBytes
	for i, e := range entries {
		if lines+1 > MaxCallLines || bytes+len(e.Content) > MaxCallBytes {
			return i
		}
		lines, bytes = lines+1, bytes+len(e.Content)
	}
	return len(entries)
}

func checkCallSize(lines, bytes int, entries []TranscriptEntry) error {
	add := 0
	for _, e := range entries {
		add += len(e.Content)
	}
	if lines+len(entries) <= MaxCallLines && bytes+add <= MaxCallBytes {
		return nil
	}
	return &FieldError{Field: "entries", Err: ErrLimitExceeded, Issue: fmt.Sprintf(
		"a call holds at most %d transcript lines and %d bytes of text: it has %d lines (%d bytes), these %d lines (%d bytes) would take it past that",
		MaxCallLines, MaxCallBytes, lines, bytes, len(entries), add)}
}
