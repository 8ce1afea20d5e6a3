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

// result is a deep score with the rubric's metrics as a value.
type result struct {
	domain.DeepScore
	Metrics Metrics // shadows DeepScore.Metrics, the same metrics as JSON
}

func scored(in domain.ScoreInput) result {
	s, m := score(in)
	return result{s, m}
}

// facts is what a scorer sees of a test persona.
func facts(p *domain.PersonaProfile) *domain.PersonaFacts {
	if p == nil {
		return nil
	}
	f := p.ScoringFacts()
	return &f
}

// requireValidResult checks every invariant the package documents.
func requireValidResult(t *testing.T, in domain.ScoreInput, r result) {
	t.Helper()
	inRange := func(name string, v int) {
		t.Helper()
		assert.GreaterOrEqual(t, v, 0, name)
		assert.LessOrEqual(t, v, 100, name)
	}
	inRange("overall", r.Overall)
	inRange("opening", r.Opening)
	inRange("discovery", r.Discovery)
	inRange("objectionHandling", r.ObjectionHandling)
	inRange("communication", r.Communication)
	inRange("closing", r.Closing)
	assert.Equal(t, domain.WeightedOverall(r.Opening, r.Discovery, r.ObjectionHandling, r.Communication, r.Closing), r.Overall, "overall is the weighted categories")
	assert.Equal(t, RubricVersion, r.RubricVersion)
	assert.Equal(t, in.TranscriptVersion, r.TranscriptVersion)
	if in.Validate() == nil { // (hostile inputs may carry negative timestamps into the quotes)
		assert.NoError(t, r.DeepScore.Validate())
	}
	var decoded Metrics
	require.NoError(t, json.Unmarshal(r.DeepScore.Metrics, &decoded))
	assert.Equal(t, r.Metrics, decoded, "the stored metrics are the rubric's")

	for name, list := range map[string][]domain.Insight{"strengths": r.Strengths, "improvements": r.Improvements} {
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
	for _, e := range in.Transcript {
		validText = validText && utf8.ValidString(e.Content)
	}
	require.NotNil(t, r.KeyMoments)
	for _, m := range r.KeyMoments {
		assert.Contains(t, []domain.KeyMomentType{domain.KeyMomentStrength, domain.KeyMomentImprovement}, m.Type)
		assert.NotEmpty(t, m.Description)
		require.NotEmpty(t, m.Quote)
		if validText {
			// Quotes never cut a character in half (invalid input stays verbatim).
			assert.True(t, utf8.ValidString(m.Quote))
		}
		assert.LessOrEqual(t, len(m.Quote), maxQuoteBytes)
		found := false
		for _, e := range in.Transcript {
			if strings.Contains(e.Content, m.Quote) && e.TimestampMs == m.TimestampMs {
				found = true
				break
			}
		}
		assert.True(t, found, "key moment quote %q (at %d ms) is not verbatim in a line with that timestamp", m.Quote, m.TimestampMs)
	}
	for _, o := range r.Metrics.Objections {
		_, ok := lineContaining(in.Transcript, o.Quote)
		assert.True(t, ok, "objection quote %q not verbatim", o.Quote)
		if o.Responded {
			_, ok := lineContaining(in.Transcript, o.ResponseQuote)
			assert.True(t, ok, "response quote %q not verbatim", o.ResponseQuote)
		}
	}
	if ns := r.Metrics.NextStep; ns.Proposal != "" || ns.Booked {
		_, ok := lineContaining(in.Transcript, ns.Proposal)
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
