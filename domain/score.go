package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Scoring vocabulary: what every scorer (the built-in rubric, each LLM
// provider) reads, ScoreInput, and what it returns, QuickScore and DeepScore.
// The events CallQuickScored and CallDeepScored record exactly these values
// (they are defined from them), so a score goes from a provider to the log
// without a converter.

// Category weights of the overall score (spec §11.2), in percent.
const (
	WeightOpening           = 20
	WeightDiscovery         = 25
	WeightObjectionHandling = 25
	WeightCommunication     = 15
	WeightClosing           = 15
)

// WeightedOverall returns the overall score the categories imply, rounded half up.
func WeightedOverall(opening, discovery, objection, communication, closing int) int {
	sum := WeightOpening*opening + WeightDiscovery*discovery + WeightObjectionHandling*objection +
		WeightCommunication*communication + WeightClosing*closing
	return (sum + 50) / 100
}

// ScoreInput is everything a scorer may see of a call.
type ScoreInput struct {
	// CallID names the call in logs; a score must not depend on it.
	CallID string
	Mode   Mode
	// Persona is what the scorer may know of the prospect (nil: unknown).
	Persona *PersonaFacts
	// Transcript is the call's transcript as it stands, oldest line first.
	Transcript []TranscriptEntry
	// TranscriptVersion is how many transcript lines the score covers; every
	// score echoes it.
	TranscriptVersion int
}

// PersonaFacts are the facts about the prospect a scorer may use: who they
// are, the pains a good rep would uncover and the objections they were ready
// to raise. The persona's prompt, voice and opening lines are not scoring
// material and are left out.
type PersonaFacts struct {
	Name        string
	Role        string
	Company     string
	Industry    string
	Personality Personality
	Difficulty  Difficulty
	HiddenPains []string
	Objections  []string
}

// ScoringFacts returns the part of the persona a scorer may use.
func (p PersonaProfile) ScoringFacts() PersonaFacts {
	return PersonaFacts{Name: p.Name, Role: p.Role, Company: p.Company, Industry: p.Industry,
		Personality: p.Personality, Difficulty: p.Difficulty,
		HiddenPains: append([]string(nil), p.HiddenPains...), Objections: append([]string(nil), p.Objections...)}
}

// Validate checks the input every scorer relies on: a known mode, valid
// transcript lines and a non-negative transcript version. An empty transcript
// is valid (a call may end before anyone spoke). Errors wrap ErrInvalid and
// name the field.
func (in ScoreInput) Validate() error {
	if _, err := ParseMode(string(in.Mode)); err != nil {
		return &FieldError{Field: "mode", Err: err}
	}
	for i, e := range in.Transcript {
		if err := e.Validate(); err != nil {
			return &FieldError{Field: fmt.Sprintf("transcript[%d]", i), Err: err}
		}
	}
	if in.TranscriptVersion < 0 {
		return &FieldError{Field: "transcriptVersion", Err: fmt.Errorf("%w: transcriptVersion must be >= 0", ErrInvalid)}
	}
	return nil
}

// QuickScore is the fast overall score given when a call ends (spec §11.1).
type QuickScore struct {
	Overall  int    `json:"overall"`
	Summary  string `json:"summary"`
	Provider string `json:"provider"`
	Model    string `json:"model"`
	// TranscriptVersion is the version of the transcript that was scored.
	TranscriptVersion int `json:"transcriptVersion"`
}

// Validate checks the score's range and summary.
func (s QuickScore) Validate() error {
	var errs []error
	if err := validateScore("overall", s.Overall); err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(s.Summary) == "" {
		errs = append(errs, &FieldError{Field: "summary", Err: fmt.Errorf("%w: summary is required", ErrInvalid)})
	} else if err := validateText("summary", s.Summary, MaxSummaryLength); err != nil {
		errs = append(errs, err)
	}
	if s.TranscriptVersion < 0 {
		errs = append(errs, &FieldError{Field: "transcriptVersion", Err: fmt.Errorf("%w: transcriptVersion must be >= 0", ErrInvalid)})
	}
	return errors.Join(errs...)
}

// Insight is one strength or improvement with the evidence behind it.
type Insight struct {
	Point    string `json:"point"`
	Evidence string `json:"evidence"`
}

// KeyMomentType says whether a key moment was done well or should improve.
type KeyMomentType string

const (
	KeyMomentStrength    KeyMomentType = "strength"
	KeyMomentImprovement KeyMomentType = "improvement"
)

// KeyMoment points at a quote of the transcript; scorers keep only quotes
// that pass the quote rule (VerbatimKeyMoments), so Quote is the line's own
// words and TimestampMs that line's.
type KeyMoment struct {
	TimestampMs int64         `json:"timestampMs"`
	Type        KeyMomentType `json:"type"`
	Description string        `json:"description"`
	Quote       string        `json:"quote"`
}

// DeepScore is the full analysis of a call's transcript at TranscriptVersion.
type DeepScore struct {
	Overall           int             `json:"overall"`
	Opening           int             `json:"opening"`
	Discovery         int             `json:"discovery"`
	ObjectionHandling int             `json:"objectionHandling"`
	Communication     int             `json:"communication"`
	Closing           int             `json:"closing"`
	Strengths         []Insight       `json:"strengths"`
	Improvements      []Insight       `json:"improvements"`
	KeyMoments        []KeyMoment     `json:"keyMoments"`
	Summary           string          `json:"summary"`
	Provider          string          `json:"provider"`
	Model             string          `json:"model"`
	RubricVersion     string          `json:"rubricVersion"`
	TranscriptVersion int             `json:"transcriptVersion"`
	Metrics           json.RawMessage `json:"metrics,omitempty"`
}

func validateScore(field string, v int) error {
	if v < 0 || v > 100 {
		return &FieldError{Field: field, Err: fmt.Errorf("%w: %s must be an integer in 0..100, got %d", ErrInvalid, field, v)}
	}
	return nil
}

// Validate checks ranges, that overall agrees with the weighted categories
// within rounding, and the shape of insights and key moments. (Whether the
// quotes are in the transcript is the quote rule's business: see
// VerbatimKeyMoments.)
func (s DeepScore) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    int
	}{{"overall", s.Overall}, {"opening", s.Opening}, {"discovery", s.Discovery},
		{"objectionHandling", s.ObjectionHandling}, {"communication", s.Communication}, {"closing", s.Closing}} {
		if err := validateScore(f.name, f.v); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		exact := WeightOpening*s.Opening + WeightDiscovery*s.Discovery + WeightObjectionHandling*s.ObjectionHandling +
			WeightCommunication*s.Communication + WeightClosing*s.Closing
		if d := 100*s.Overall - exact; d > 50 || d < -50 {
			errs = append(errs, &FieldError{Field: "overall", Err: fmt.Errorf(
				"%w: overall %d disagrees with the weighted categories (%.2f)", ErrInvalid, s.Overall, float64(exact)/100)})
		}
	}
	if err := validateText("summary", s.Summary, MaxSummaryLength); err != nil {
		errs = append(errs, err)
	}
	for i, in := range append(append([]Insight(nil), s.Strengths...), s.Improvements...) {
		if strings.TrimSpace(in.Point) == "" {
			errs = append(errs, &FieldError{Field: fmt.Sprintf("insights[%d].point", i), Err: fmt.Errorf("%w: point is required", ErrInvalid)})
		}
		if err := validateText("insights.point", in.Point+in.Evidence, MaxInsightLength); err != nil {
			errs = append(errs, err)
		}
	}
	for i, m := range s.KeyMoments {
		if m.Type != KeyMomentStrength && m.Type != KeyMomentImprovement {
			errs = append(errs, &FieldError{Field: fmt.Sprintf("keyMoments[%d].type", i), Err: fmt.Errorf("%w: type must be strength or improvement", ErrInvalid)})
		}
		if m.TimestampMs < 0 {
			errs = append(errs, &FieldError{Field: fmt.Sprintf("keyMoments[%d].timestampMs", i), Err: fmt.Errorf("%w: timestampMs must be >= 0", ErrInvalid)})
		}
		if strings.TrimSpace(m.Quote) == "" {
			errs = append(errs, &FieldError{Field: fmt.Sprintf("keyMoments[%d].quote", i), Err: fmt.Errorf("%w: quote is required", ErrInvalid)})
		}
	}
	if s.TranscriptVersion < 0 {
		errs = append(errs, &FieldError{Field: "transcriptVersion", Err: fmt.Errorf("%w: transcriptVersion must be >= 0", ErrInvalid)})
	}
	return errors.Join(errs...)
}

func asFieldError(err error, target **FieldError) bool { return errors.As(err, target) }
