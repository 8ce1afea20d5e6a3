// Package scoring is Sparrow's two-track scoring pipeline: a quick score
// computed synchronously when a call ends, and a deep analysis computed
// asynchronously by a worker. Providers sit behind small interfaces; the
// built-in rubric provider is always available and always last in a chain,
// so every ended call gets scored even with no external AI configured.
package scoring

import (
	"context"
	"encoding/json"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/rubric"
)

// BuiltinName is the provider name recorded on scores from the rubric.
const BuiltinName = "builtin"

// Builtin scores calls with the transparent rubric (domain/coaching/rubric):
// deterministic, local, a few milliseconds even for an hour-long call.
type Builtin struct{}

// QuickScore implements app.QuickScorer.
func (Builtin) QuickScore(_ context.Context, in app.ScoreInput) (app.QuickScore, error) {
	q := rubric.Quick(rubric.Input{Mode: in.Mode, Turns: in.Transcript, Persona: in.Persona})
	return app.QuickScore{Overall: q.Overall, Summary: q.Summary, Provider: BuiltinName, Model: rubric.RubricVersion}, nil
}

// DeepScore returns the rubric's full analysis as a CallDeepScored.
func (Builtin) DeepScore(_ context.Context, in app.ScoreInput) (domain.CallDeepScored, error) {
	r := rubric.Score(rubric.Input{Mode: in.Mode, Turns: in.Transcript, Persona: in.Persona})
	metrics, err := json.Marshal(r.Metrics)
	if err != nil {
		return domain.CallDeepScored{}, err
	}
	out := domain.CallDeepScored{
		Overall: r.Overall, Opening: r.Categories.Opening, Discovery: r.Categories.Discovery,
		ObjectionHandling: r.Categories.ObjectionHandling, Communication: r.Categories.Communication, Closing: r.Categories.Closing,
		Summary: r.Summary, Provider: BuiltinName, Model: rubric.RubricVersion, RubricVersion: r.RubricVersion,
		TranscriptVersion: in.TranscriptVersion, Metrics: metrics,
	}
	for _, s := range r.Strengths {
		out.Strengths = append(out.Strengths, domain.Insight{Point: s.Point, Evidence: s.Evidence})
	}
	for _, s := range r.Improvements {
		out.Improvements = append(out.Improvements, domain.Insight{Point: s.Point, Evidence: s.Evidence})
	}
	for _, m := range r.KeyMoments {
		out.KeyMoments = append(out.KeyMoments, domain.KeyMoment{TimestampMs: m.TimestampMs, Type: domain.KeyMomentType(m.Type),
			Description: m.Description, Quote: m.Quote})
	}
	return out, nil
}
