package domain_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

// fill records n lines of size bytes each on c, in batches, as a client would.
func fill(t *testing.T, c *domain.Call, n, size int) {
	t.Helper()
	for n > 0 {
		batch := make([]domain.TranscriptEntry, 0, 500)
		for range min(n, 500) {
			batch = append(batch, domain.TranscriptEntry{Role: domain.RoleUser, Content: strings.Repeat("a", size)})
		}
		evs, err := c.AddTranscript(batch...)
		require.NoError(t, err)
		for _, e := range evs {
			c.Apply(e)
		}
		n -= len(batch)
	}
}

func line(size int) domain.TranscriptEntry {
	return domain.TranscriptEntry{Role: domain.RoleAssistant, Content: strings.Repeat("b", size), TimestampMs: 1}
}

// recorded applies lines transcript lines holding bytes bytes of text to c,
// straight from events (as the log would give them back).
func recorded(c *domain.Call, lines, bytes int) {
	for i := range lines {
		n := 1
		if i == 0 {
			n = bytes - (lines - 1)
		}
		c.Apply(&domain.TranscriptChunkAdded{TranscriptEntry: line(n)})
	}
}

// A call takes lines up to MaxCallLines and MaxCallBytes, exactly, and refuses
// a batch that would pass either bound as a whole (no line of it is decided),
// with ErrLimitExceeded on "entries".
func TestCallSizeIsBounded(t *testing.T) {
	t.Parallel()
	const full = domain.MaxTranscriptContent
	tests := []struct {
		name         string
		lines, bytes int // recorded before
		add          []domain.TranscriptEntry
		ok           bool
	}{
		{name: "the last line that fits", lines: domain.MaxCallLines - 1, bytes: 10_000, add: []domain.TranscriptEntry{line(1)}, ok: true},
		{name: "one line past the line bound", lines: domain.MaxCallLines, bytes: 10_000, add: []domain.TranscriptEntry{line(1)}},
		{name: "a batch crossing the line bound", lines: domain.MaxCallLines - 1, bytes: 10_000, add: []domain.TranscriptEntry{line(1), line(1)}},
		{name: "exactly the byte bound", lines: 1000, bytes: domain.MaxCallBytes - 2*full, add: []domain.TranscriptEntry{line(full), line(full)}, ok: true},
		{name: "one byte past the byte bound", lines: 1000, bytes: domain.MaxCallBytes - 2*full + 1, add: []domain.TranscriptEntry{line(full), line(full)}},
		{name: "multibyte text counts in bytes", lines: 1, bytes: domain.MaxCallBytes - 3,
			add: []domain.TranscriptEntry{{Role: domain.RoleUser, Content: "é", TimestampMs: 1}, {Role: domain.RoleUser, Content: "é", TimestampMs: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := recordedCall(t, domain.CallInProgress)
			recorded(c, tt.lines, tt.bytes)
			require.Equal(t, tt.lines, c.TranscriptVersion())
			require.Equal(t, tt.bytes, c.TranscriptBytes())
			evs, err := c.AddTranscript(tt.add...)
			if tt.ok {
				require.NoError(t, err)
				assert.Len(t, evs, len(tt.add))
				for _, e := range evs {
					c.Apply(e)
				}
				assert.LessOrEqual(t, c.TranscriptVersion(), domain.MaxCallLines)
				assert.LessOrEqual(t, c.TranscriptBytes(), domain.MaxCallBytes)
				return
			}
			require.ErrorIs(t, err, domain.ErrLimitExceeded)
			assert.False(t, errors.Is(err, domain.ErrInvalid), "a full call is not invalid input")
			assert.Nil(t, evs)
			var fe *domain.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "entries", fe.Field)
			assert.Contains(t, domain.IssueOf(err), "at most 5000 transcript lines and 2097152 bytes")
			assert.Equal(t, tt.lines, c.TranscriptVersion())
			assert.Equal(t, tt.bytes, c.TranscriptBytes())
		})
	}
}

// The byte count follows the stream: Apply adds each line's bytes, a clone keeps them.
func TestCallTranscriptBytes(t *testing.T) {
	t.Parallel()
	c := recordedCall(t, domain.CallInProgress)
	fill(t, c, 3, 10)
	c.Apply(&domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleUser, Content: "héllo"}})
	assert.Equal(t, 36, c.TranscriptBytes())
	assert.Equal(t, 36, c.Clone().TranscriptBytes())
	assert.NoError(t, c.CheckRoom(line(domain.MaxCallBytes-36)))
	assert.ErrorIs(t, c.CheckRoom(line(domain.MaxCallBytes-35)), domain.ErrLimitExceeded)
}

// Room counts the entries that fit, in order: it stops at the first that
// does not, even when a later, smaller one would.
func TestCallRoom(t *testing.T) {
	t.Parallel()
	const full = domain.MaxTranscriptContent
	tests := []struct {
		name         string
		lines, bytes int // recorded before
		add          []domain.TranscriptEntry
		want         int
	}{
		{name: "all fit", lines: 10, bytes: 100, add: []domain.TranscriptEntry{line(1), line(1)}, want: 2},
		{name: "none to add", lines: 10, bytes: 100, want: 0},
		{name: "the line bound", lines: domain.MaxCallLines - 2, bytes: 10_000, add: []domain.TranscriptEntry{line(1), line(1), line(1)}, want: 2},
		{name: "a full call", lines: domain.MaxCallLines, bytes: 10_000, add: []domain.TranscriptEntry{line(1)}, want: 0},
		{name: "the byte bound, exactly", lines: 1000, bytes: domain.MaxCallBytes - full - 5, add: []domain.TranscriptEntry{line(full), line(5), line(1)}, want: 2},
		{name: "stops at the first that does not fit", lines: 1000, bytes: domain.MaxCallBytes - 10, add: []domain.TranscriptEntry{line(5), line(full), line(1)}, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := recordedCall(t, domain.CallInProgress)
			recorded(c, tt.lines, tt.bytes)
			got := c.Room(tt.add)
			require.Equal(t, tt.want, got)
			require.NoError(t, c.CheckRoom(tt.add[:got]...), "what Room counts fits")
			if got < len(tt.add) {
				assert.ErrorIs(t, c.CheckRoom(tt.add[:got+1]...), domain.ErrLimitExceeded, "one more does not")
			}
		})
	}
}

// An imported call is bounded like any other: text past MaxCallBytes is refused.
func TestImportedCallSizeIsBounded(t *testing.T) {
	t.Parallel()
	entries := make([]domain.TranscriptEntry, 0, 220)
	for i := range 220 { // 220 lines of 10,000 bytes: 2.2 MB > 2 MiB
		role := domain.RoleUser
		if i%2 == 1 {
			role = domain.RoleAssistant
		}
		entries = append(entries, domain.TranscriptEntry{Role: role, Content: strings.Repeat("c", domain.MaxTranscriptContent), TimestampMs: int64(i) * 1000})
	}
	in := domain.ImportedCall{UserID: "u1", Mode: domain.ModeDiscovery, StartedAt: t0, Entries: entries}
	_, err := domain.NewCall("c2").Import(in, t0.Add(time.Hour))
	require.ErrorIs(t, err, domain.ErrLimitExceeded)
	in.Entries = entries[:200]
	_, err = domain.NewCall("c3").Import(in, t0.Add(time.Hour))
	require.NoError(t, err)
}
