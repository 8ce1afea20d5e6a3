package rubric

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

// rep and pro build transcript lines for the rep ("user") and the prospect ("assistant").
func rep(ts int64, text string) domain.TranscriptEntry {
	return domain.TranscriptEntry{Role: domain.RoleUser, Content: text, TimestampMs: ts}
}

func pro(ts int64, text string) domain.TranscriptEntry {
	return domain.TranscriptEntry{Role: domain.RoleAssistant, Content: text, TimestampMs: ts}
}

// untimed builds alternating lines without timestamps, starting with the rep.
func untimed(lines ...string) []domain.TranscriptEntry {
	out := make([]domain.TranscriptEntry, len(lines))
	for i, l := range lines {
		if i%2 == 0 {
			out[i] = rep(0, l)
		} else {
			out[i] = pro(0, l)
		}
	}
	return out
}

// lineContaining reports whether quote is a verbatim substring of a line,
// and returns the first such line's timestamp.
func lineContaining(turns []domain.TranscriptEntry, quote string) (int64, bool) {
	for _, e := range turns {
		if strings.Contains(e.Content, quote) {
			return e.TimestampMs, true
		}
	}
	return 0, false
}

// requireValidResult checks every invariant the package documents.
func requireValidResult(t *testing.T, in Input, r Result) {
	t.Helper()
	inRange := func(name string, v int) {
		t.Helper()
		assert.GreaterOrEqual(t, v, 0, name)
		assert.LessOrEqual(t, v, 100, name)
	}
	c := r.Categories
	inRange("overall", r.Overall)
	inRange("opening", c.Opening)
	inRange("discovery", c.Discovery)
	inRange("objectionHandling", c.ObjectionHandling)
	inRange("communication", c.Communication)
	inRange("closing", c.Closing)
	assert.Equal(t, Overall(c.Opening, c.Discovery, c.ObjectionHandling, c.Communication, c.Closing), r.Overall, "overall is the weighted categories")
	assert.Equal(t, RubricVersion, r.RubricVersion)

	for name, list := range map[string][]Insight{"strengths": r.Strengths, "improvements": r.Improvements} {
		assert.GreaterOrEqual(t, len(list), 3, name)
		assert.LessOrEqual(t, len(list), 5, name)
		seen := map[string]bool{}
		for _, i := range list {
			assert.NotEmpty(t, i.Point, name)
			assert.NotEmpty(t, i.Evidence, name)
			assert.False(t, seen[i.Point], "%s repeats %q", name, i.Point)
			seen[i.Point] = true
		}
	}

	validText := true
	for _, e := range in.Turns {
		validText = validText && utf8.ValidString(e.Content)
	}
	require.NotNil(t, r.KeyMoments)
	for _, m := range r.KeyMoments {
		assert.Contains(t, []MomentType{MomentStrength, MomentImprovement}, m.Type)
		assert.NotEmpty(t, m.Description)
		require.NotEmpty(t, m.Quote)
		if validText {
			// Quotes never cut a character in half (invalid input stays verbatim).
			assert.True(t, utf8.ValidString(m.Quote))
		}
		assert.LessOrEqual(t, len(m.Quote), maxQuoteBytes)
		found := false
		for _, e := range in.Turns {
			if strings.Contains(e.Content, m.Quote) && e.TimestampMs == m.TimestampMs {
				found = true
				break
			}
		}
		assert.True(t, found, "key moment quote %q (at %d ms) is not verbatim in a line with that timestamp", m.Quote, m.TimestampMs)
	}
	for _, o := range r.Metrics.Objections {
		_, ok := lineContaining(in.Turns, o.Quote)
		assert.True(t, ok, "objection quote %q not verbatim", o.Quote)
		if o.Responded {
			_, ok := lineContaining(in.Turns, o.ResponseQuote)
			assert.True(t, ok, "response quote %q not verbatim", o.ResponseQuote)
		}
	}
	if ns := r.Metrics.NextStep; ns.Proposal != "" || ns.Booked {
		_, ok := lineContaining(in.Turns, ns.Proposal)
		assert.True(t, ok, "proposal %q not verbatim", ns.Proposal)
	}

	assert.NotEmpty(t, r.Summary)
	assert.True(t, strings.HasSuffix(r.Summary, "."), "summary is one sentence: %q", r.Summary)
	assert.NotContains(t, r.Summary, "\n")

	q := Quick(in)
	assert.Equal(t, r.Overall, q.Overall, "Quick and Score agree")
	assert.Equal(t, r.Summary, q.Summary)

	_, err := json.Marshal(r)
	assert.NoError(t, err)
}
