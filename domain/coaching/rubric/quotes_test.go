package rubric

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

func TestVerifyQuotes(t *testing.T) {
	turns := []domain.TranscriptEntry{
		rep(1_000, "Hi Dana, this is Sam   from Ledgerly.\nHow have you been?"),
		pro(4_000, "We already use NetSuite."),
		rep(8_000, "That's fair. What happens when an invoice doesn't match?"),
		rep(12_000, "That's fair."),
	}
	tests := []struct {
		name   string
		moment KeyMoment
		keep   bool
		quote  string // expected quote after verification
		ts     int64  // expected timestamp after verification
	}{
		{name: "exact substring", moment: KeyMoment{TimestampMs: 4_000, Quote: "already use NetSuite"}, keep: true, quote: "already use NetSuite", ts: 4_000},
		{name: "whole line", moment: KeyMoment{TimestampMs: 4_000, Quote: "We already use NetSuite."}, keep: true, quote: "We already use NetSuite.", ts: 4_000},
		{name: "whitespace differences compare equal", moment: KeyMoment{TimestampMs: 1_000, Quote: "this is Sam from Ledgerly. How have"}, keep: true, quote: "this is Sam from Ledgerly. How have", ts: 1_000},
		{name: "surrounding quotation marks and spaces are ignored", moment: KeyMoment{TimestampMs: 4_000, Quote: "  “We already use NetSuite.”  "}, keep: true, quote: "We already use NetSuite.", ts: 4_000},
		{name: "wrong timestamp is corrected to the line's", moment: KeyMoment{TimestampMs: 99_000, Quote: "What happens when"}, keep: true, quote: "What happens when", ts: 8_000},
		{name: "a quote in two lines keeps the timestamp that matches", moment: KeyMoment{TimestampMs: 12_000, Quote: "That's fair."}, keep: true, quote: "That's fair.", ts: 12_000},
		{name: "a quote in two lines, no timestamp match: the first line", moment: KeyMoment{TimestampMs: 0, Quote: "That's fair."}, keep: true, quote: "That's fair.", ts: 8_000},
		{name: "paraphrase is dropped", moment: KeyMoment{TimestampMs: 4_000, Quote: "We already have NetSuite."}, keep: false},
		{name: "case matters", moment: KeyMoment{TimestampMs: 4_000, Quote: "we already use netsuite"}, keep: false},
		{name: "spanning two lines is dropped", moment: KeyMoment{Quote: "NetSuite. That's fair."}, keep: false},
		{name: "empty quote is dropped", moment: KeyMoment{TimestampMs: 4_000, Quote: ""}, keep: false},
		{name: "only quotation marks is dropped", moment: KeyMoment{TimestampMs: 4_000, Quote: ` "" `}, keep: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []KeyMoment{{Type: MomentStrength, Description: "d", TimestampMs: tt.moment.TimestampMs, Quote: tt.moment.Quote}}
			out := VerifyQuotes(in, turns)
			require.NotNil(t, out)
			if !tt.keep {
				assert.Empty(t, out)
				return
			}
			require.Len(t, out, 1)
			assert.Equal(t, tt.quote, out[0].Quote)
			assert.Equal(t, tt.ts, out[0].TimestampMs)
			assert.Equal(t, MomentStrength, out[0].Type)
			assert.Equal(t, "d", out[0].Description)
			assert.Equal(t, tt.moment.Quote, in[0].Quote, "input not modified")
		})
	}
	t.Run("keeps order, drops only the bad ones", func(t *testing.T) {
		out := VerifyQuotes([]KeyMoment{{Quote: "How have you been?"}, {Quote: "invented"}, {Quote: "We already use"}}, turns)
		require.Len(t, out, 2)
		assert.Equal(t, "How have you been?", out[0].Quote)
		assert.Equal(t, "We already use", out[1].Quote)
	})
	t.Run("nil in, empty out", func(t *testing.T) {
		out := VerifyQuotes(nil, nil)
		assert.NotNil(t, out)
		assert.Empty(t, out)
		assert.Empty(t, VerifyQuotes([]KeyMoment{{Quote: "anything"}}, nil))
	})
}

func TestExcerptIsAVerbatimPrefix(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "short", in: "How have you been?"},
		{name: "long with spaces", in: strings.Repeat("we help finance teams close faster ", 20)},
		{name: "long without spaces", in: strings.Repeat("日本語のテキスト", 40)},
		{name: "long, one early space", in: "a " + strings.Repeat("é", 300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := strings.TrimSpace(tt.in)
			got := excerpt(s)
			assert.True(t, strings.HasPrefix(s, got))
			assert.LessOrEqual(t, len(got), 200, "quotes stay short enough to show")
			assert.True(t, utf8.ValidString(got))
			assert.NotEmpty(t, got)
			if len(s) <= maxQuoteBytes {
				assert.Equal(t, s, got)
			} else {
				assert.Greater(t, len(got), maxQuoteBytes/2, "cuts near the limit, not at the first space")
			}
		})
	}
}
