package domain

import (
	"errors"
	"fmt"
	"strings"
)

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

func validateScore(field string, v int) error {
	if v < 0 || v > 100 {
		return &FieldError{Field: field, Err: fmt.Errorf("%w: %s must be an integer in 0..100, got %d", ErrInvalid, field, v)}
	}
	return nil
}

// ValidateDeepScore checks ranges, that overall agrees with the weighted
// categories within rounding, and the shape of insights and key moments.
func ValidateDeepScore(s CallDeepScored) error {
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
