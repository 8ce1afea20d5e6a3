package domain

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuoteRule(t *testing.T) {
	turns := []TranscriptEntry{
		{Role: RoleUser, Content: "Hi Dana, this is Sam   from Ledgerly.\nHow have you been?", TimestampMs: 1_000},
		{Role: RoleAssistant, Content: "We already use NetSuite.", TimestampMs: 4_000},
		{Role: RoleUser, Content: "That's fair. What happens when an invoice doesn't match?", TimestampMs: 8_000},
		{Role: RoleUser, Content: "That's fair.", TimestampMs: 12_000},
		{Role: RoleUser, Content: "I’m calling because   your team — the SDRs — is hiring…", TimestampMs: 15_000},
	}
	tests := []struct {
		name   string
		quote  string
		prefer int64
		keep   bool
		text   string // the line's own words, when kept
		ts     int64
	}{
		{name: "exact substring", quote: "already use NetSuite", prefer: 4_000, keep: true, text: "already use NetSuite", ts: 4_000},
		{name: "whole line", quote: "We already use NetSuite.", prefer: 4_000, keep: true, text: "We already use NetSuite.", ts: 4_000},
		{name: "a run of whitespace equals one space", quote: "this is Sam from Ledgerly. How have", prefer: 1_000, keep: true,
			text: "this is Sam   from Ledgerly.\nHow have", ts: 1_000},
		{name: "surrounding quotation marks and spaces are ignored", quote: "  “We already use NetSuite.”  ", keep: true, text: "We already use NetSuite.", ts: 4_000},
		{name: "surrounding ellipses are ignored", quote: "...already use NetSuite…", keep: true, text: "already use NetSuite", ts: 4_000},
		{name: "ASCII apostrophe matches a curly one", quote: "I'm calling because your team", keep: true, text: "I’m calling because   your team", ts: 15_000},
		{name: "ASCII dashes match typographic ones; the ellipsis is trimmed", quote: "your team - the SDRs - is hiring...", keep: true,
			text: "your team — the SDRs — is hiring", ts: 15_000},
		{name: "curly apostrophe matches an ASCII one", quote: "That’s fair. What happens", keep: true, text: "That's fair. What happens", ts: 8_000},
		{name: "wrong timestamp is corrected to the line's", quote: "What happens when", prefer: 99_000, keep: true, text: "What happens when", ts: 8_000},
		{name: "a quote in two lines keeps the line with the claimed timestamp", quote: "That's fair.", prefer: 12_000, keep: true, text: "That's fair.", ts: 12_000},
		{name: "a quote in two lines, no timestamp match: the first line", quote: "That's fair.", keep: true, text: "That's fair.", ts: 8_000},
		{name: "paraphrase is dropped", quote: "We already have NetSuite."},
		{name: "case matters", quote: "we already use netsuite"},
		{name: "spanning two lines is dropped", quote: "NetSuite. That's fair."},
		{name: "empty quote is dropped", quote: ""},
		{name: "only quotation marks is dropped", quote: ` "" `},
		{name: "no letter or digit is dropped", quote: `"..."`},
		{name: "punctuation alone is dropped", quote: "."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := FindQuote(turns, tt.quote, tt.prefer)
			require.Equal(t, tt.keep, ok)
			if !tt.keep {
				return
			}
			assert.Equal(t, tt.text, m.Text)
			assert.Equal(t, tt.ts, m.TimestampMs)
			assert.Contains(t, turns[m.Line].Content, m.Text, "the kept text is the line's own")
		})
	}
}

func TestVerbatimKeyMoments(t *testing.T) {
	turns := []TranscriptEntry{
		{Role: RoleUser, Content: "Hi, how have you been?", TimestampMs: 0},
		{Role: RoleAssistant, Content: "We already use   NetSuite.", TimestampMs: 4_000},
	}
	in := []KeyMoment{
		{Type: KeyMomentStrength, Description: "a", Quote: "how have you been?", TimestampMs: 7},
		{Type: KeyMomentImprovement, Description: "b", Quote: "invented"},
		{Type: KeyMomentImprovement, Description: "c", Quote: "“already use NetSuite”", TimestampMs: 4_000},
		{Type: KeyMomentImprovement, Description: "d", Quote: "How have you been?"},
	}
	before := append([]KeyMoment(nil), in...)
	kept, dropped := VerbatimKeyMoments(in, turns)
	assert.Equal(t, 2, dropped)
	assert.Equal(t, []KeyMoment{
		{Type: KeyMomentStrength, Description: "a", Quote: "how have you been?", TimestampMs: 0},
		{Type: KeyMomentImprovement, Description: "c", Quote: "already use   NetSuite", TimestampMs: 4_000},
	}, kept, "in order, with the line's own words and timestamp")
	assert.Equal(t, before, in, "the input is not modified")

	kept, dropped = VerbatimKeyMoments(nil, nil)
	assert.NotNil(t, kept)
	assert.Empty(t, kept)
	assert.Zero(t, dropped)
}

// FuzzFindQuote: whatever the quote and the line, a match is a substring of
// the line that holds a letter or digit, and is valid UTF-8 if the line is.
func FuzzFindQuote(f *testing.F) {
	f.Add("We already use   NetSuite…", "already use NetSuite...")
	f.Add("I’m — here", "I'm - here")
	f.Add("\xff\xfe a", "a")
	f.Fuzz(func(t *testing.T, line, quote string) {
		turns := []TranscriptEntry{{Role: RoleUser, Content: line}}
		m, ok := FindQuote(turns, quote, 0)
		if !ok {
			return
		}
		require.True(t, strings.Contains(line, m.Text), "%q not in %q", m.Text, line)
		if utf8.ValidString(line) {
			assert.True(t, utf8.ValidString(m.Text))
		}
		if sub, ok := FindQuote(turns, line, 0); ok {
			assert.Equal(t, line, turns[sub.Line].Content)
		}
	})
}
