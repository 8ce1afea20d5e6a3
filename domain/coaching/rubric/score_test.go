package rubric

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/internal/benchdata"
)

func TestOverallUsesSpecWeights(t *testing.T) {
	tests := []struct {
		name                                            string
		opening, discovery, objection, comm, closing, w int
	}{
		{name: "all zero", w: 0},
		{name: "all hundred", opening: 100, discovery: 100, objection: 100, comm: 100, closing: 100, w: 100},
		{name: "opening only weighs 20%", opening: 100, w: 20},
		{name: "discovery only weighs 25%", discovery: 100, w: 25},
		{name: "objection handling only weighs 25%", objection: 100, w: 25},
		{name: "communication only weighs 15%", comm: 100, w: 15},
		{name: "closing only weighs 15%", closing: 100, w: 15},
		{name: "mixed: 16+17.5+15+13.5+7.5 = 69.5 rounds half up", opening: 80, discovery: 70, objection: 60, comm: 90, closing: 50, w: 70},
		{name: "exact", opening: 10, w: 2},
		{name: "2.5 rounds to 3", discovery: 10, w: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.w, domain.WeightedOverall(tt.opening, tt.discovery, tt.objection, tt.comm, tt.closing))
		})
	}
	t.Run("agrees with the float formula within rounding", func(t *testing.T) {
		for o := 0; o <= 100; o += 7 {
			for d := 0; d <= 100; d += 11 {
				for x := 0; x <= 100; x += 13 {
					f := 0.20*float64(o) + 0.25*float64(d) + 0.25*float64(x) + 0.15*float64(50) + 0.15*float64(x)
					got := domain.WeightedOverall(o, d, x, 50, x)
					assert.InDelta(t, f, float64(got), 0.5+1e-9)
				}
			}
		}
	})
}

func TestScoreIsDeterministic(t *testing.T) {
	for _, s := range loadAllScripted(t) {
		in := domain.ScoreInput{Mode: s.mode, Transcript: s.turns, Persona: facts(s.persona)}
		a, b := scored(in), scored(in)
		assert.Equal(t, a, b, s.name)
		ja, err := json.Marshal(a)
		require.NoError(t, err)
		jb, err := json.Marshal(b)
		require.NoError(t, err)
		assert.JSONEq(t, string(ja), string(jb))
		assert.Equal(t, string(ja), string(jb), "byte-identical JSON")
	}
}

func TestScoreDoesNotModifyItsInput(t *testing.T) {
	s := loadScripted(t, "cold_call_strong.txt")
	turns := append([]domain.TranscriptEntry(nil), s.turns...)
	// Shuffle two lines so Score has to sort.
	turns[0], turns[3] = turns[3], turns[0]
	before := append([]domain.TranscriptEntry(nil), turns...)
	scored(domain.ScoreInput{Mode: s.mode, Transcript: turns})
	assert.Equal(t, before, turns)
}

func TestQuickAgreesWithScore(t *testing.T) {
	inputs := []domain.ScoreInput{{Mode: domain.ModeColdCall}, {Mode: domain.ModeDiscovery, Transcript: benchdata.Transcript(600, 3_600_000)}}
	for _, s := range loadAllScripted(t) {
		inputs = append(inputs, domain.ScoreInput{Mode: s.mode, Transcript: s.turns, Persona: facts(s.persona)})
	}
	for _, in := range inputs {
		r, q := scored(in), Quick(in)
		assert.Equal(t, r.Overall, q.Overall)
		assert.Equal(t, r.Summary, q.Summary)
	}
}

func TestResultJSONShape(t *testing.T) {
	s := loadScripted(t, "cold_call_strong.txt")
	b, err := json.Marshal(Score(domain.ScoreInput{Mode: s.mode, Transcript: s.turns}))
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	for _, k := range []string{"rubricVersion", "overall", "opening", "discovery", "objectionHandling", "communication", "closing",
		"strengths", "improvements", "keyMoments", "summary", "metrics", "provider", "model", "transcriptVersion"} {
		assert.Contains(t, got, k)
	}
	metrics := got["metrics"].(map[string]any)
	for _, k := range []string{"repTalkShare", "questions", "openQuestions", "questionsByThird", "firstQuestionMs", "firstQuestionTurn",
		"longestRepMonologueWords", "longestProspectTurnMs", "speakingRateWpm", "fillersPerMinute", "objections", "nextStep", "durationMs"} {
		assert.Contains(t, metrics, k)
	}
	moment := got["keyMoments"].([]any)[0].(map[string]any)
	for _, k := range []string{"timestampMs", "type", "description", "quote"} {
		assert.Contains(t, moment, k)
	}
	qb, err := json.Marshal(Quick(domain.ScoreInput{Mode: s.mode, Transcript: s.turns}))
	require.NoError(t, err)
	assert.Contains(t, string(qb), `"overall"`)
}

func TestSummaryBands(t *testing.T) {
	tests := []struct {
		score int
		want  string
	}{
		{95, "exceptional"}, {90, "exceptional"}, {85, "strong"}, {75, "good"}, {65, "adequate"}, {55, "below average"}, {10, "needs fundamental training"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, band(tt.score), tt.score)
	}
	s := loadScripted(t, "cold_call_strong.txt")
	r := scored(domain.ScoreInput{Mode: s.mode, Transcript: s.turns})
	assert.Contains(t, r.Summary, "booked a next step")
	assert.Contains(t, r.Summary, band(r.Overall))
}

func TestRubricVersion(t *testing.T) {
	assert.Regexp(t, `^rubric-\d{4}\.\d{1,2}$`, RubricVersion)
}
