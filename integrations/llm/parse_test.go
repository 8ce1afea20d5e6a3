package llm

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

func validAnalysisMap() map[string]any {
	return map[string]any{
		"overallScore": 72,
		"categoryScores": map[string]any{
			"opening": 80, "discovery": 65, "objectionHandling": 70, "communication": 75, "closing": 60,
		},
		"strengths": []any{
			map[string]any{"point": "Clear reason for the call", "example": "I'm calling because your team is hiring SDRs", "timestamp": 4000},
		},
		"improvements": []any{
			map[string]any{"point": "Ask for a specific next step", "suggestion": "Propose Tuesday at 10am", "timestamp": 52000},
		},
		"keyMoments": []any{
			map[string]any{"timestamp": 4000, "type": "strength", "description": "Relevant hook", "quote": "your team is hiring SDRs"},
		},
		"summary": "Solid opening, weak close.",
	}
}

// mutate returns the valid analysis JSON after f changed it.
func mutate(t *testing.T, f func(m map[string]any)) string {
	t.Helper()
	m := validAnalysisMap()
	f(m)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

func cats(m map[string]any) map[string]any { return m["categoryScores"].(map[string]any) }

// parseInput is a transcript the valid analysis quotes.
func parseInput() domain.ScoreInput {
	return domain.ScoreInput{Mode: domain.ModeColdCall, TranscriptVersion: 3, Transcript: []domain.TranscriptEntry{
		{Role: domain.RoleUser, Content: "Hi Dana, I'm calling because your team is hiring SDRs.", TimestampMs: 4000},
		{Role: domain.RoleAssistant, Content: "We already use a tool. kept", TimestampMs: 9000},
	}}
}

func TestParseAnalysis(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		wantErr string // substring of the reason; "" means valid
	}{
		{name: "valid", text: mutate(t, func(map[string]any) {})},
		{name: "valid in a code fence", text: "```json\n" + mutate(t, func(map[string]any) {}) + "\n```"},
		{name: "integral float accepted", text: mutate(t, func(m map[string]any) { m["overallScore"] = 72.0 })},
		{name: "empty lists allowed", text: mutate(t, func(m map[string]any) { m["strengths"] = []any{}; m["keyMoments"] = []any{} })},
		{name: "prose", text: "The rep did well, I'd say 80.", wantErr: "not a JSON object"},
		{name: "array", text: "[1,2]", wantErr: "not a JSON object"},
		{name: "truncated", text: `{"overallScore": 7`, wantErr: "does not decode"},
		{name: "trailing data", text: mutate(t, func(map[string]any) {}) + ` {"x":1}`, wantErr: "trailing data"},
		{name: "overall missing", text: mutate(t, func(m map[string]any) { delete(m, "overallScore") }), wantErr: "overallScore is missing"},
		{name: "overall 101", text: mutate(t, func(m map[string]any) { m["overallScore"] = 101 }), wantErr: "outside 0..100"},
		{name: "overall negative", text: mutate(t, func(m map[string]any) { m["overallScore"] = -1 }), wantErr: "outside 0..100"},
		{name: "overall fractional", text: mutate(t, func(m map[string]any) { m["overallScore"] = 72.5 }), wantErr: "not an integer"},
		{name: "overall as word", text: mutate(t, func(m map[string]any) { m["overallScore"] = "high" }), wantErr: "does not decode"},
		{name: "categories missing", text: mutate(t, func(m map[string]any) { delete(m, "categoryScores") }), wantErr: "categoryScores is missing"},
		{name: "category missing", text: mutate(t, func(m map[string]any) { delete(cats(m), "closing") }), wantErr: "categoryScores.closing is missing"},
		{name: "category out of range", text: mutate(t, func(m map[string]any) { cats(m)["discovery"] = 250 }), wantErr: "categoryScores.discovery is 250"},
		{name: "strengths missing", text: mutate(t, func(m map[string]any) { delete(m, "strengths") }), wantErr: "strengths is missing"},
		{name: "improvement without point", text: mutate(t, func(m map[string]any) {
			m["improvements"] = []any{map[string]any{"suggestion": "x", "timestamp": 1}}
		}), wantErr: "improvements[0].point is missing"},
		{name: "point timestamp negative", text: mutate(t, func(m map[string]any) {
			m["strengths"] = []any{map[string]any{"point": "p", "example": "e", "timestamp": -5}}
		}), wantErr: "strengths[0].timestamp"},
		{name: "keyMoments missing", text: mutate(t, func(m map[string]any) { delete(m, "keyMoments") }), wantErr: "keyMoments is missing"},
		{name: "bad moment type", text: mutate(t, func(m map[string]any) {
			m["keyMoments"] = []any{map[string]any{"timestamp": 1, "type": "neutral", "description": "d", "quote": "q"}}
		}), wantErr: `type is "neutral"`},
		{name: "moment without timestamp", text: mutate(t, func(m map[string]any) {
			m["keyMoments"] = []any{map[string]any{"type": "strength", "description": "d", "quote": "q"}}
		}), wantErr: "keyMoments[0].timestamp is missing"},
		{name: "moment without quote", text: mutate(t, func(m map[string]any) {
			m["keyMoments"] = []any{map[string]any{"timestamp": 1, "type": "strength", "description": "d"}}
		}), wantErr: "keyMoments[0].quote is missing"},
		{name: "blank summary", text: mutate(t, func(m map[string]any) { m["summary"] = "  " }), wantErr: "summary is missing or empty"},
		{name: "too many points", text: mutate(t, func(m map[string]any) {
			var ps []any
			for range maxPoints + 1 {
				ps = append(ps, map[string]any{"point": "p", "example": "e", "timestamp": 1})
			}
			m["strengths"] = ps
		}), wantErr: "more than 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _, err := parseAnalysis("m1", tt.text, parseInput())
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, "m1", a.Model)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidAnswer)
			assert.True(t, resilience.IsRetryable(err), "an invalid answer is retryable")
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestParseAnalysisMapsFields(t *testing.T) {
	a, dropped, err := parseAnalysis("m1", mutate(t, func(map[string]any) {}), parseInput())
	require.NoError(t, err)
	assert.Zero(t, dropped)
	assert.Equal(t, domain.DeepScore{
		Overall: domain.WeightedOverall(80, 65, 70, 75, 60), // the model said 72: recomputed
		Opening: 80, Discovery: 65, ObjectionHandling: 70, Communication: 75, Closing: 60,
		Strengths:     []domain.Insight{{Point: "Clear reason for the call", Evidence: "I'm calling because your team is hiring SDRs"}},
		Improvements:  []domain.Insight{{Point: "Ask for a specific next step", Evidence: "Propose Tuesday at 10am"}},
		KeyMoments:    []domain.KeyMoment{{TimestampMs: 4000, Type: domain.KeyMomentStrength, Description: "Relevant hook", Quote: "your team is hiring SDRs"}},
		Summary:       "Solid opening, weak close.",
		Model:         "m1",
		RubricVersion: PromptRubric, TranscriptVersion: 3,
	}, a)
	assert.NoError(t, a.Validate())
}

func TestParseAnalysisDropsUnverifiedQuotes(t *testing.T) {
	text := mutate(t, func(m map[string]any) {
		m["keyMoments"] = []any{
			map[string]any{"timestamp": 1000, "type": "strength", "description": "real", "quote": "kept"},
			map[string]any{"timestamp": 2000, "type": "Improvement", "description": "invented", "quote": "made up"},
			map[string]any{"timestamp": 3000, "type": "improvement", "description": "empty quote", "quote": ""},
		}
	})
	a, dropped, err := parseAnalysis("m", text, parseInput())
	require.NoError(t, err)
	require.Len(t, a.KeyMoments, 1)
	assert.Equal(t, "kept", a.KeyMoments[0].Quote)
	assert.Equal(t, int64(9000), a.KeyMoments[0].TimestampMs, "the quoted line's timestamp")
	assert.Equal(t, 2, dropped)
}

func TestParseQuickScore(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    domain.QuickScore
		wantErr string
	}{
		{name: "valid", text: `{"score": 78, "summary": "Good discovery, no next step."}`, want: domain.QuickScore{Overall: 78, Summary: "Good discovery, no next step.", Model: "m"}},
		{name: "bounds", text: `{"score": 0, "summary": "s"}`, want: domain.QuickScore{Overall: 0, Summary: "s", Model: "m"}},
		{name: "100", text: `{"score": 100, "summary": "s"}`, want: domain.QuickScore{Overall: 100, Summary: "s", Model: "m"}},
		{name: "101", text: `{"score": 101, "summary": "s"}`, wantErr: "outside 0..100"},
		{name: "missing score", text: `{"summary": "s"}`, wantErr: "score is missing"},
		{name: "string score", text: `{"score": "78", "summary": "s"}`, want: domain.QuickScore{Overall: 78, Summary: "s", Model: "m"}},
		{name: "missing summary", text: `{"score": 50}`, wantErr: "summary is missing"},
		{name: "huge summary", text: `{"score": 50, "summary": "` + strings.Repeat("a", maxSummaryRunes+1) + `"}`, wantErr: "more than"},
		{name: "prose", text: `78 - good call`, wantErr: "not a JSON object"},
		{name: "reasoning first", text: "<think>\nThe rep asked two questions {good}.\n</think>\n" + `{"score": 64, "summary": "s"}`,
			want: domain.QuickScore{Overall: 64, Summary: "s", Model: "m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseQuickScore("m", tt.text)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidAnswer)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFormatTranscript(t *testing.T) {
	got := formatTranscript([]domain.TranscriptEntry{
		{Role: domain.RoleAssistant, Content: "Hello?", TimestampMs: 0},
		{Role: domain.RoleUser, Content: " Hi, it's Sam. ", TimestampMs: 1500},
	})
	assert.Equal(t, "[0ms] Prospect: Hello?\n[1500ms] Rep: Hi, it's Sam.\n", got)
}

func TestCleanReply(t *testing.T) {
	persona := domain.PersonaProfile{Name: "Dana Whitfield"}
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Who is this?", "Who is this?", true},
		{"  Dana Whitfield: Who is this?  ", "Who is this?", true},
		{"dana: Who is this?", "Who is this?", true},
		{"Prospect: \"Who is this?\"", "Who is this?", true},
		{"   ", "", false},
		{strings.Repeat("a", maxReplyRunes+1), "", false},
		// Reasoning models' thoughts are not the prospect's words.
		{"<think>\nThe rep is cold calling. Dana is busy, so be curt.\n</think>\n\nWho is this?", "Who is this?", true},
		{"<THINK>plan</THINK>Dana: Busy. What is it?", "Busy. What is it?", true},
		{"The user wants a curt answer.</think>Who is this?", "Who is this?", true},
		{"<think>Let me consider how Dana would react to", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := cleanReply("m", tt.in, persona)
			if !tt.ok {
				assert.ErrorIs(t, err, ErrInvalidAnswer)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Text)
		})
	}
}

func TestPromptsAreTheSpecs(t *testing.T) {
	// Spot checks that the §11.2 prompts were copied whole, not summarised.
	assert.True(t, strings.HasPrefix(ScoringSystemPrompt, "You are an expert sales coach analyzing a practice call.\n\nSCORING CATEGORIES (0-100 each):"))
	assert.Contains(t, ScoringSystemPrompt, `{ "timestamp": number, "type": "strength" | "improvement", "description": string, "quote": string }`)
	assert.True(t, strings.HasSuffix(ScoringSystemPrompt, "  \"summary\": string\n}"))
	assert.Equal(t, "Rate this sales call 0-100 and give a one-sentence summary.\n"+
		"Focus on: Did they handle objections? Did they ask good questions? Did they get a next step?\n"+
		`Return JSON: { "score": number, "summary": string }`, QuickScorePrompt)
}
