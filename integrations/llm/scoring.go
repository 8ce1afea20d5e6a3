package llm

import (
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// Temperatures of spec §4.4 and §4.5.
const (
	QuickScoreTemperature = 0.2
	AnalysisTemperature   = 0.3
	PersonaTemperature    = 0.7
	ProspectTemperature   = 0.7
)

// ScoreInput is what both scoring tracks read.
type ScoreInput struct {
	Mode       domain.Mode
	Persona    *domain.PersonaProfile // optional: sharpens the deep analysis
	Transcript []domain.TranscriptEntry
}

// Validate checks the input before any request is made.
func (in ScoreInput) Validate() error {
	if _, err := domain.ParseMode(string(in.Mode)); err != nil {
		return &domain.FieldError{Field: "mode", Err: err}
	}
	if len(in.Transcript) == 0 {
		return &domain.FieldError{Field: "transcript", Err: fmt.Errorf("%w: transcript is empty", domain.ErrInvalid)}
	}
	for i, e := range in.Transcript {
		if err := e.Validate(); err != nil {
			return &domain.FieldError{Field: fmt.Sprintf("transcript[%d]", i), Err: err}
		}
	}
	return nil
}

// QuickScore is the fast track's answer (spec §11.1).
type QuickScore struct {
	Overall int
	Summary string
	Model   string
}

// CategoryScores are the five rubric categories, each 0..100.
type CategoryScores struct {
	Opening           int `json:"opening"`
	Discovery         int `json:"discovery"`
	ObjectionHandling int `json:"objectionHandling"`
	Communication     int `json:"communication"`
	Closing           int `json:"closing"`
}

// Point is a strength or an improvement. Evidence is the prompt's "example"
// (for a strength) or "suggestion" (for an improvement).
type Point struct {
	Point    string
	Evidence string
}

// KeyMomentType is strength or improvement.
type KeyMomentType string

const (
	KeyMomentStrength    KeyMomentType = "strength"
	KeyMomentImprovement KeyMomentType = "improvement"
)

// KeyMoment is a quoted moment of the call; Quote is verbatim in the transcript.
type KeyMoment struct {
	TimestampMs int64
	Type        KeyMomentType
	Description string
	Quote       string
}

// Analysis is the deep track's answer (spec §11.2's output format).
type Analysis struct {
	Overall      int
	Categories   CategoryScores
	Strengths    []Point
	Improvements []Point
	KeyMoments   []KeyMoment
	Summary      string
	Model        string
	// DroppedKeyMoments counts key moments removed because their quote was not
	// verbatim in the transcript.
	DroppedKeyMoments int
}

// Limits on what an answer may contain.
const (
	maxSummaryRunes = 2000
	maxPointRunes   = 1000
	maxPoints       = 10
	maxKeyMoments   = 20
)

// quickScoreMessages builds the quick-score request.
func quickScoreUser(in ScoreInput) string {
	return "Call mode: " + modeBrief(in.Mode) +
		"\n\nTranscript (Rep is the salesperson being rated, Prospect is the buyer):\n" + formatTranscript(in.Transcript)
}

type wireQuickScore struct {
	Score   *json.Number `json:"score"`
	Summary *string      `json:"summary"`
}

// parseQuickScore validates a quick-score answer.
func parseQuickScore(model, text string) (QuickScore, error) {
	var w wireQuickScore
	if err := decodeAnswer(model, text, &w); err != nil {
		return QuickScore{}, err
	}
	score, err := intInRange(model, "score", w.Score, 0, 100)
	if err != nil {
		return QuickScore{}, err
	}
	summary, err := requiredText(model, "summary", w.Summary, maxSummaryRunes)
	if err != nil {
		return QuickScore{}, err
	}
	return QuickScore{Overall: int(score), Summary: summary, Model: model}, nil
}

// quickScoreSchema mirrors QuickScorePrompt's output for Gemini.
func quickScoreSchema() *genai.Schema {
	return &genai.Schema{
		Type: genai.TypeObject,
		Properties: map[string]*genai.Schema{
			"score":   scoreSchema("Overall score of the call, 0-100"),
			"summary": {Type: genai.TypeString, Description: "One-sentence summary"},
		},
		Required:         []string{"score", "summary"},
		PropertyOrdering: []string{"score", "summary"},
	}
}

// analysisUser builds the deep-analysis user message.
func analysisUser(in ScoreInput) string {
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

// parseAnalysis validates a deep-analysis answer and drops key moments whose
// quote fails check.
func parseAnalysis(model, text string, check QuoteChecker) (Analysis, error) {
	var w wireAnalysis
	if err := decodeAnswer(model, text, &w); err != nil {
		return Analysis{}, err
	}
	a := Analysis{Model: model}
	overall, err := intInRange(model, "overallScore", w.OverallScore, 0, 100)
	if err != nil {
		return Analysis{}, err
	}
	a.Overall = int(overall)
	if w.CategoryScores == nil {
		return Analysis{}, invalid(model, "categoryScores is missing", nil)
	}
	cs := w.CategoryScores
	for _, c := range []struct {
		name string
		n    *json.Number
		dst  *int
	}{
		{"categoryScores.opening", cs.Opening, &a.Categories.Opening},
		{"categoryScores.discovery", cs.Discovery, &a.Categories.Discovery},
		{"categoryScores.objectionHandling", cs.ObjectionHandling, &a.Categories.ObjectionHandling},
		{"categoryScores.communication", cs.Communication, &a.Categories.Communication},
		{"categoryScores.closing", cs.Closing, &a.Categories.Closing},
	} {
		v, err := intInRange(model, c.name, c.n, 0, 100)
		if err != nil {
			return Analysis{}, err
		}
		*c.dst = int(v)
	}
	if a.Strengths, err = parsePoints(model, "strengths", w.Strengths, func(p wirePoint) *string { return p.Example }); err != nil {
		return Analysis{}, err
	}
	if a.Improvements, err = parsePoints(model, "improvements", w.Improvements, func(p wirePoint) *string { return p.Suggestion }); err != nil {
		return Analysis{}, err
	}
	if w.KeyMoments == nil {
		return Analysis{}, invalid(model, "keyMoments is missing", nil)
	}
	if len(*w.KeyMoments) > maxKeyMoments {
		return Analysis{}, invalid(model, fmt.Sprintf("keyMoments has %d items, more than %d", len(*w.KeyMoments), maxKeyMoments), nil)
	}
	for i, m := range *w.KeyMoments {
		field := fmt.Sprintf("keyMoments[%d]", i)
		ts, err := intInRange(model, field+".timestamp", m.Timestamp, 0, 1<<53)
		if err != nil {
			return Analysis{}, err
		}
		typ := KeyMomentType(strings.ToLower(optionalText(m.Type)))
		if typ != KeyMomentStrength && typ != KeyMomentImprovement {
			return Analysis{}, invalid(model, fmt.Sprintf("%s.type is %q, want strength or improvement", field, optionalText(m.Type)), nil)
		}
		desc, err := requiredText(model, field+".description", m.Description, maxPointRunes)
		if err != nil {
			return Analysis{}, err
		}
		if m.Quote == nil {
			return Analysis{}, invalid(model, field+".quote is missing", nil)
		}
		quote := strings.TrimSpace(*m.Quote)
		if !check(quote) {
			a.DroppedKeyMoments++
			continue
		}
		a.KeyMoments = append(a.KeyMoments, KeyMoment{TimestampMs: ts, Type: typ, Description: desc, Quote: quote})
	}
	if a.Summary, err = requiredText(model, "summary", w.Summary, maxSummaryRunes); err != nil {
		return Analysis{}, err
	}
	return a, nil
}

func parsePoints(model, field string, ps *[]wirePoint, evidence func(wirePoint) *string) ([]Point, error) {
	if ps == nil {
		return nil, invalid(model, field+" is missing", nil)
	}
	if len(*ps) > maxPoints {
		return nil, invalid(model, fmt.Sprintf("%s has %d items, more than %d", field, len(*ps), maxPoints), nil)
	}
	out := make([]Point, 0, len(*ps))
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
		out = append(out, Point{Point: point, Evidence: optionalText(evidence(p))})
	}
	return out, nil
}

func scoreSchema(desc string) *genai.Schema {
	return &genai.Schema{Type: genai.TypeInteger, Description: desc, Minimum: genai.Ptr(0.0), Maximum: genai.Ptr(100.0)}
}

func pointSchema(evidence, evidenceDesc string) *genai.Schema {
	return &genai.Schema{
		Type: genai.TypeObject,
		Properties: map[string]*genai.Schema{
			"point":     {Type: genai.TypeString},
			evidence:    {Type: genai.TypeString, Description: evidenceDesc},
			"timestamp": {Type: genai.TypeInteger, Description: "milliseconds since the call started", Minimum: genai.Ptr(0.0)},
		},
		Required:         []string{"point", evidence, "timestamp"},
		PropertyOrdering: []string{"point", evidence, "timestamp"},
	}
}

// AnalysisSchema is the Gemini response schema mirroring spec §11.2's output
// format. Each call returns a fresh value.
func AnalysisSchema() *genai.Schema {
	categories := []string{"opening", "discovery", "objectionHandling", "communication", "closing"}
	catProps := map[string]*genai.Schema{}
	for _, c := range categories {
		catProps[c] = scoreSchema("")
	}
	return &genai.Schema{
		Type: genai.TypeObject,
		Properties: map[string]*genai.Schema{
			"overallScore":   scoreSchema("Weighted overall score, 0-100"),
			"categoryScores": {Type: genai.TypeObject, Properties: catProps, Required: categories, PropertyOrdering: categories},
			"strengths":      {Type: genai.TypeArray, Items: pointSchema("example", "what the rep said or did"), MaxItems: genai.Ptr[int64](maxPoints)},
			"improvements":   {Type: genai.TypeArray, Items: pointSchema("suggestion", "what to do instead"), MaxItems: genai.Ptr[int64](maxPoints)},
			"keyMoments": {
				Type:     genai.TypeArray,
				MaxItems: genai.Ptr[int64](maxKeyMoments),
				Items: &genai.Schema{
					Type: genai.TypeObject,
					Properties: map[string]*genai.Schema{
						"timestamp":   {Type: genai.TypeInteger, Description: "milliseconds since the call started", Minimum: genai.Ptr(0.0)},
						"type":        {Type: genai.TypeString, Format: "enum", Enum: []string{string(KeyMomentStrength), string(KeyMomentImprovement)}},
						"description": {Type: genai.TypeString},
						"quote":       {Type: genai.TypeString, Description: "verbatim words from one transcript line"},
					},
					Required:         []string{"timestamp", "type", "description", "quote"},
					PropertyOrdering: []string{"timestamp", "type", "description", "quote"},
				},
			},
			"summary": {Type: genai.TypeString},
		},
		Required:         []string{"overallScore", "categoryScores", "strengths", "improvements", "keyMoments", "summary"},
		PropertyOrdering: []string{"overallScore", "categoryScores", "strengths", "improvements", "keyMoments", "summary"},
	}
}

// badInput marks an input error as permanent: retrying cannot fix it.
func badInput(op string, err error) error {
	return resilience.Permanent(fmt.Errorf("llm: %s: %w", op, err))
}
