package rubric

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sparrow-coach/sparrow/domain"
)

// RubricVersion identifies the rules that produced a score, so stored scores
// can be compared only with scores from the same rules.
const RubricVersion = "rubric-2026.11"

// ProviderName is the provider recorded on the rubric's scores; its model is
// RubricVersion.
const ProviderName = "builtin"

// Score judges a call in depth. It never fails; see the package invariants.
// An unknown mode is judged as a cold call; in.Persona, when given, has its
// hidden pains checked against what the prospect revealed.
func Score(in domain.ScoreInput) domain.DeepScore {
	s, _ := score(in)
	return s
}

// score is Score with the metrics as a value (the tests read them).
func score(in domain.ScoreInput) (domain.DeepScore, Metrics) {
	t := analyze(in.Transcript)
	m := t.metrics()
	e := evaluate(in.Mode, t, &m, in.Persona)
	strengths, improvements := e.insights()
	moments, _ := domain.VerbatimKeyMoments(e.keyMoments(), in.Transcript)
	metrics, err := json.Marshal(m)
	if err != nil { // Metrics holds only numbers, strings and slices of them
		metrics = nil
	}
	return domain.DeepScore{
		Overall:           e.overall,
		Opening:           e.scores[catOpening],
		Discovery:         e.scores[catDiscovery],
		ObjectionHandling: e.scores[catObjection],
		Communication:     e.scores[catCommunication],
		Closing:           e.scores[catClosing],
		Strengths:         strengths,
		Improvements:      improvements,
		KeyMoments:        moments,
		Summary:           e.summary(),
		Provider:          ProviderName,
		Model:             RubricVersion,
		RubricVersion:     RubricVersion,
		TranscriptVersion: in.TranscriptVersion,
		Metrics:           metrics,
	}, m
}

// Quick returns the overall score and a one-sentence summary. It runs the
// same measurement and category rules as Score and skips the feedback, so
// its overall score always equals Score's for the same input.
func Quick(in domain.ScoreInput) domain.QuickScore {
	t := analyze(in.Transcript)
	m := t.metrics()
	e := evaluate(in.Mode, t, &m, in.Persona)
	return domain.QuickScore{Overall: e.overall, Summary: e.summary(), Provider: ProviderName, Model: RubricVersion,
		TranscriptVersion: in.TranscriptVersion}
}

// Scorer is the rubric as a scoring provider (the scoring chain's last
// resort, and the reference the acceptance suite is run against). Unlike
// Score and Quick it checks its input: invalid input (an unknown mode, a bad
// transcript line) is an error wrapping domain.ErrInvalid, as with every
// provider. It never fails on valid input, including an empty transcript.
type Scorer struct{}

// Name is ProviderName.
func (Scorer) Name() string { return ProviderName }

// QuickScore is Quick on valid input.
func (Scorer) QuickScore(ctx context.Context, in domain.ScoreInput) (domain.QuickScore, error) {
	if err := ready(ctx, in); err != nil {
		return domain.QuickScore{}, err
	}
	return Quick(in), nil
}

// DeepScore is Score on valid input.
func (Scorer) DeepScore(ctx context.Context, in domain.ScoreInput) (domain.DeepScore, error) {
	if err := ready(ctx, in); err != nil {
		return domain.DeepScore{}, err
	}
	return Score(in), nil
}

func ready(ctx context.Context, in domain.ScoreInput) error {
	if err := in.Validate(); err != nil {
		return fmt.Errorf("rubric: %w", err)
	}
	return ctx.Err()
}
