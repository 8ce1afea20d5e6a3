package llm

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/gemini"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// Temperatures of spec §4.4 and §4.5.
const (
	QuickScoreTemperature = 0.2
	AnalysisTemperature   = 0.3
	PersonaTemperature    = 0.7
	ProspectTemperature   = 0.7
)

// PromptRubric is the RubricVersion recorded on deep scores from a model:
// the spec §11.2 prompt is the rubric it was asked to apply.
const PromptRubric = "spec-11.2-prompt"

// validScoreInput checks the input before any request is made: the domain's
// rules, and a transcript to judge (a model cannot judge silence; the
// built-in rubric scores an empty call).
func validScoreInput(in domain.ScoreInput) error {
	if err := in.Validate(); err != nil {
		return err
	}
	if len(in.Transcript) == 0 {
		return &domain.FieldError{Field: "transcript", Err: fmt.Errorf("%w: transcript is empty", domain.ErrInvalid)}
	}
	return nil
}

// Limits on what an answer may contain.
const (
	maxSummaryRunes = 2000
	maxPointRunes   = 1000
	maxPoints       = 10
	maxKeyMoments   = 20
)

// quickScoreUser builds the quick-score request.
func quickScoreUser(in domain.ScoreInput) string {
	return "Call mode: " + modeBrief(in.Mode) +
		"\n\nTranscript (Rep is the salesperson being rated, Prospect is the buyer):\n" + formatTranscript(in.Transcript)
}

type wireQuickScore struct {
	Score   *json.Number `json:"score"`
	Summary *string      `json:"summary"`
}

// parseQuickScore validates a quick-score answer; the caller sets the
// provider and the transcript version.
func parseQuickScore(model, text string) (domain.QuickScore, error) {
	var w wireQuickScore
	if err := decodeAnswer(model, text, &w); err != nil {
		return domain.QuickScore{}, err
	}
	score, err := intInRange(model, "score", w.Score, 0, 100)
	if err != nil {
		return domain.QuickScore{}, err
	}
	summary, err := requiredText(model, "summary", w.Summary, maxSummaryRunes)
	if err != nil {
		return domain.QuickScore{}, err
	}
	return domain.QuickScore{Overall: int(score), Summary: summary, Model: model}, nil
}

// quickScoreSchema mirrors QuickScorePrompt's output for Gemini.
func quickScoreSchema() *gemini.Schema {
	return &gemini.Schema{
		Kind: gemini.Object,
		Properties: map[string]*gemini.Schema{
			"score":   scoreSchema("Overall score of the call, 0-100"),
			"summary": {Kind: gemini.String, Description: "One-sentence summary"},
		},
		Required: []string{"score", "summary"},
	}
}

// analysisUser builds the deep-analysis user message.
func analysisUser(in domain.ScoreInput) string {
	var b strings.Builder
	b.WriteString("CALL MODE: " + modeBrief(in.Mode) + "\n\n")
	b.WriteString("PROSPECT PERSONA: " + personaBrief(in.Persona) + "\n\n")
	b.WriteString("TRANSCRIPT (Rep is the salesperson being coached, Prospect is the AI prospect; " +
		"the number in brackets is milliseconds since the call started):\n")
	b.WriteString(formatTranscript(in.Transcript))
	b.WriteString("\nEvery \"timestamp\" in your answer is in milliseconds, taken from the brackets above. " +
		"Every \"quote\" must be copied verbatim from a single transcript line. " +
		"Scores are integers. Answer with the JSON object only.")
	return b.String()
}

type wirePoint struct {
	Point      *string      `json:"point"`
	Example    *string      `json:"example"`
	Suggestion *string      `json:"suggestion"`
	Timestamp  *json.Number `json:"timestamp"`
}

type wireMoment struct {
	Timestamp   *json.Number `json:"timestamp"`
	Type        *string      `json:"type"`
	Description *string      `json:"description"`
	Quote       *string      `json:"quote"`
}

type wireAnalysis struct {
	OverallScore   *json.Number `json:"overallScore"`
	CategoryScores *struct {
		Opening           *json.Number `json:"opening"`
		Discovery         *json.Number `json:"discovery"`
		ObjectionHandling *json.Number `json:"objectionHandling"`
		Communication     *json.Number `json:"communication"`
		Closing           *json.Number `json:"closing"`
	} `json:"categoryScores"`
	Strengths    *[]wirePoint  `json:"strengths"`
	Improvements *[]wirePoint  `json:"improvements"`
	KeyMoments   *[]wireMoment `json:"keyMoments"`
	Summary      *string       `json:"summary"`
}

// parseAnalysis validates a deep-analysis answer into a deep score of in's
// transcript. The overall score is recomputed from the categories with the
// spec's weights (a model's own arithmetic is not trusted, and the domain
// requires the two to agree), and key moments are kept only if they pass the
// domain's quote rule; how many were dropped is returned. The caller sets the
// provider.
func parseAnalysis(model, text string, in domain.ScoreInput) (domain.DeepScore, int, error) {
	var w wireAnalysis
	if err := decodeAnswer(model, text, &w); err != nil {
		return domain.DeepScore{}, 0, err
	}
	s := domain.DeepScore{Model: model, RubricVersion: PromptRubric, TranscriptVersion: in.TranscriptVersion}
	if _, err := intInRange(model, "overallScore", w.OverallScore, 0, 100); err != nil {
		return domain.DeepScore{}, 0, err
	}
	if w.CategoryScores == nil {
		return domain.DeepScore{}, 0, invalid(model, "categoryScores is missing", nil)
	}
	cs := w.CategoryScores
	for _, c := range []struct {
		name string
		n    *json.Number
		dst  *int
	}{
		{"categoryScores.opening", cs.Opening, &s.Opening},
		{"categoryScores.discovery", cs.Discovery, &s.Discovery},
		{"categoryScores.objectionHandling", cs.ObjectionHandling, &s.ObjectionHandling},
		{"categoryScores.communication", cs.Communication, &s.Communication},
		{"categoryScores.closing", cs.Closing, &s.Closing},
	} {
		v, err := intInRange(model, c.name, c.n, 0, 100)
		if err != nil {
			return domain.DeepScore{}, 0, err
		}
		*c.dst = int(v)
	}
	s.Overall = domain.WeightedOverall(s.Opening, s.Discovery, s.ObjectionHandling, s.Communication, s.Closing)
	var err error
	if s.Strengths, err = parsePoints(model, "strengths", w.Strengths, func(p wirePoint) *string { return p.Example }); err != nil {
		return domain.DeepScore{}, 0, err
	}
	if s.Improvements, err = parsePoints(model, "improvements", w.Improvements, func(p wirePoint) *string { return p.Suggestion }); err != nil {
		return domain.DeepScore{}, 0, err
	}
	if w.KeyMoments == nil {
		return domain.DeepScore{}, 0, invalid(model, "keyMoments is missing", nil)
	}
	if len(*w.KeyMoments) > maxKeyMoments {
		return domain.DeepScore{}, 0, invalid(model, fmt.Sprintf("keyMoments has %d items, more than %d", len(*w.KeyMoments), maxKeyMoments), nil)
	}
	moments := make([]domain.KeyMoment, 0, len(*w.KeyMoments))
	for i, m := range *w.KeyMoments {
		field := fmt.Sprintf("keyMoments[%d]", i)
		ts, err := intInRange(model, field+".timestamp", m.Timestamp, 0, 1<<53)
		if err != nil {
			return domain.DeepScore{}, 0, err
		}
		typ := domain.KeyMomentType(strings.ToLower(optionalText(m.Type)))
		if typ != domain.KeyMomentStrength && typ != domain.KeyMomentImprovement {
			return domain.DeepScore{}, 0, invalid(model, fmt.Sprintf("%s.type is %q, want strength or improvement", field, optionalText(m.Type)), nil)
		}
		desc, err := requiredText(model, field+".description", m.Description, maxPointRunes)
		if err != nil {
			return domain.DeepScore{}, 0, err
		}
		if m.Quote == nil {
			return domain.DeepScore{}, 0, invalid(model, field+".quote is missing", nil)
		}
		moments = append(moments, domain.KeyMoment{TimestampMs: ts, Type: typ, Description: desc, Quote: *m.Quote})
	}
	var dropped int
	s.KeyMoments, dropped = domain.VerbatimKeyMoments(moments, in.Transcript)
	if s.Summary, err = requiredText(model, "summary", w.Summary, maxSummaryRunes); err != nil {
		return domain.DeepScore{}, 0, err
	}
	return s, dropped, nil
}

func parsePoints(model, field string, ps *[]wirePoint, evidence func(wirePoint) *string) ([]domain.Insight, error) {
	if ps == nil {
		return nil, invalid(model, field+" is missing", nil)
	}
	if len(*ps) > maxPoints {
		return nil, invalid(model, fmt.Sprintf("%s has %d items, more than %d", field, len(*ps), maxPoints), nil)
	}
	out := make([]domain.Insight, 0, len(*ps))
	for i, p := range *ps {
		point, err := requiredText(model, fmt.Sprintf("%s[%d].point", field, i), p.Point, maxPointRunes)
		if err != nil {
			return nil, err
		}
		if p.Timestamp != nil {
			if _, err := intInRange(model, fmt.Sprintf("%s[%d].timestamp", field, i), p.Timestamp, 0, 1<<53); err != nil {
				return nil, err
			}
		}
		out = append(out, domain.Insight{Point: point, Evidence: optionalText(evidence(p))})
	}
	return out, nil
}

func scoreSchema(desc string) *gemini.Schema {
	return &gemini.Schema{Kind: gemini.Integer, Description: desc, Min: ptr(0.0), Max: ptr(100.0)}
}

func ptr[T any](v T) *T { return &v }

func timestampSchema() *gemini.Schema {
	return &gemini.Schema{Kind: gemini.Integer, Description: "milliseconds since the call started", Min: ptr(0.0)}
}

func pointSchema(evidence, evidenceDesc string) *gemini.Schema {
	return &gemini.Schema{
		Kind: gemini.Object,
		Properties: map[string]*gemini.Schema{
			"point":     {Kind: gemini.String},
			evidence:    {Kind: gemini.String, Description: evidenceDesc},
			"timestamp": timestampSchema(),
		},
		Required: []string{"point", evidence, "timestamp"},
	}
}

// analysisSchema is the Gemini response schema mirroring spec §11.2's output
// format. Each call returns a fresh value.
func analysisSchema() *gemini.Schema {
	categories := []string{"opening", "discovery", "objectionHandling", "communication", "closing"}
	catProps := map[string]*gemini.Schema{}
	for _, c := range categories {
		catProps[c] = scoreSchema("")
	}
	return &gemini.Schema{
		Kind: gemini.Object,
		Properties: map[string]*gemini.Schema{
			"overallScore":   scoreSchema("Weighted overall score, 0-100"),
			"categoryScores": {Kind: gemini.Object, Properties: catProps, Required: categories},
			"strengths":      {Kind: gemini.Array, Items: pointSchema("example", "what the rep said or did"), MaxItems: ptr[int64](maxPoints)},
			"improvements":   {Kind: gemini.Array, Items: pointSchema("suggestion", "what to do instead"), MaxItems: ptr[int64](maxPoints)},
			"keyMoments": {
				Kind:     gemini.Array,
				MaxItems: ptr[int64](maxKeyMoments),
				Items: &gemini.Schema{
					Kind: gemini.Object,
					Properties: map[string]*gemini.Schema{
						"timestamp":   timestampSchema(),
						"type":        {Kind: gemini.String, Enum: []string{string(domain.KeyMomentStrength), string(domain.KeyMomentImprovement)}},
						"description": {Kind: gemini.String},
						"quote":       {Kind: gemini.String, Description: "verbatim words from one transcript line"},
					},
					Required: []string{"timestamp", "type", "description", "quote"},
				},
			},
			"summary": {Kind: gemini.String},
		},
		Required: []string{"overallScore", "categoryScores", "strengths", "improvements", "keyMoments", "summary"},
	}
}

// badInput marks an input error as permanent: retrying cannot fix it.
func badInput(op string, err error) error {
	return resilience.Permanent(fmt.Errorf("llm: %s: %w", op, err))
}
