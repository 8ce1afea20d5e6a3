package scoringtest_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/rubric"
	"github.com/sparrow-coach/sparrow/internal/scoringtest"
)

// mutant is the rubric with one deliberate breach of the contract.
type mutant struct {
	rubric.Scorer
	name     string
	quick    func(domain.ScoreInput, domain.QuickScore) domain.QuickScore
	deep     func(domain.ScoreInput, domain.DeepScore) domain.DeepScore
	before   func(ctx context.Context, in domain.ScoreInput) (context.Context, error) // runs first; an error is returned as is
	requests *atomic.Int64
	lax      bool // scores whatever it gets, as rubric.Score does
}

func (m mutant) Name() string {
	if m.name != "" {
		return m.name
	}
	return m.Scorer.Name()
}

func (m mutant) QuickScore(ctx context.Context, in domain.ScoreInput) (domain.QuickScore, error) {
	if m.before != nil {
		var err error
		if ctx, err = m.before(ctx, in); err != nil {
			return domain.QuickScore{}, err
		}
	}
	if m.requests != nil {
		m.requests.Add(1)
	}
	s, err := m.Scorer.QuickScore(ctx, in)
	if m.lax {
		s, err = rubric.Quick(in), ctx.Err()
	}
	if err == nil && m.quick != nil {
		s = m.quick(in, s)
	}
	return s, err
}

func (m mutant) DeepScore(ctx context.Context, in domain.ScoreInput) (domain.DeepScore, error) {
	if m.before != nil {
		var err error
		if ctx, err = m.before(ctx, in); err != nil {
			return domain.DeepScore{}, err
		}
	}
	if m.requests != nil {
		m.requests.Add(1)
	}
	s, err := m.Scorer.DeepScore(ctx, in)
	if m.lax {
		s, err = rubric.Score(in), ctx.Err()
	}
	if err == nil && m.deep != nil {
		s = m.deep(in, s)
	}
	return s, err
}

// failing runs the suite's checks and returns the names of those that fail.
func failing(t *testing.T, p scoringtest.Provider, opts scoringtest.Options) []string {
	t.Helper()
	var names []string
	for _, c := range scoringtest.Checks(p, opts) {
		if err := c.Run(context.Background()); err != nil {
			names = append(names, c.Name)
			t.Logf("%s: %v", c.Name, err)
		}
	}
	return names
}

func TestTheRubricPasses(t *testing.T) {
	assert.Empty(t, failing(t, rubric.Scorer{}, scoringtest.Options{Deterministic: true}))
	scoringtest.Run(t, rubric.Scorer{}, scoringtest.Options{Deterministic: true})
}

// TestTheSuiteCatchesBrokenProviders: the suite can fail, and fails on the
// clause each mutant breaks.
func TestTheSuiteCatchesBrokenProviders(t *testing.T) {
	firstMoment := func(f func(*domain.KeyMoment)) func(domain.ScoreInput, domain.DeepScore) domain.DeepScore {
		return func(_ domain.ScoreInput, s domain.DeepScore) domain.DeepScore {
			if len(s.KeyMoments) > 0 {
				s.KeyMoments = append([]domain.KeyMoment(nil), s.KeyMoments...)
				f(&s.KeyMoments[0])
			}
			return s
		}
	}
	var calls atomic.Int64
	tests := []struct {
		name  string
		p     mutant
		opts  scoringtest.Options
		wants string // a substring of the name of a check that must fail
	}{
		{name: "overall off by one", wants: "valid deep score",
			p: mutant{deep: func(_ domain.ScoreInput, s domain.DeepScore) domain.DeepScore { s.Overall++; return s }}},
		{name: "overall trusted from a model", wants: "valid deep score",
			p: mutant{deep: func(_ domain.ScoreInput, s domain.DeepScore) domain.DeepScore {
				s.Closing = min(100, s.Closing+3) // within the domain's rounding tolerance, not the exact formula
				return s
			}}},
		{name: "category out of range", wants: "valid deep score",
			p: mutant{deep: func(_ domain.ScoreInput, s domain.DeepScore) domain.DeepScore { s.Closing = 130; return s }}},
		{name: "quick score out of range", wants: "valid quick score",
			p: mutant{quick: func(_ domain.ScoreInput, s domain.QuickScore) domain.QuickScore { s.Overall = -1; return s }}},
		{name: "no summary", wants: "valid quick score",
			p: mutant{quick: func(_ domain.ScoreInput, s domain.QuickScore) domain.QuickScore { s.Summary = " "; return s }}},
		{name: "another provider's name", wants: "valid quick score",
			p: mutant{quick: func(_ domain.ScoreInput, s domain.QuickScore) domain.QuickScore { s.Provider = "gemini"; return s }}},
		{name: "transcript version not echoed", wants: "valid deep score",
			p: mutant{deep: func(_ domain.ScoreInput, s domain.DeepScore) domain.DeepScore { s.TranscriptVersion = 0; return s }}},
		{name: "a fabricated quote", wants: "quote rule",
			p: mutant{deep: func(in domain.ScoreInput, s domain.DeepScore) domain.DeepScore {
				if len(in.Transcript) > 0 {
					s.KeyMoments = append(s.KeyMoments, domain.KeyMoment{TimestampMs: in.Transcript[0].TimestampMs, Type: domain.KeyMomentStrength,
						Description: "invented", Quote: "I can double your pipeline in a week"})
				}
				return s
			}}},
		{name: "a quote with its case changed", wants: "quote rule",
			p: mutant{deep: firstMoment(func(m *domain.KeyMoment) { m.Quote = strings.ToUpper(m.Quote) })}},
		{name: "a quote at the wrong timestamp", wants: "quote rule",
			p: mutant{deep: firstMoment(func(m *domain.KeyMoment) { m.TimestampMs += 1 })}},
		{name: "a quote not in its kept form", wants: "quote rule",
			p: mutant{deep: firstMoment(func(m *domain.KeyMoment) { m.Quote = "“" + m.Quote + "”" })}},
		{name: "invalid input scored", wants: "invalid input",
			p: mutant{lax: true}},
		{name: "invalid input refused with a plain error", wants: "invalid input",
			p: mutant{before: func(ctx context.Context, in domain.ScoreInput) (context.Context, error) {
				if in.Validate() != nil {
					return ctx, errors.New("bad input")
				}
				return ctx, nil
			}}},
		{name: "invalid input costs a request", wants: "invalid input", opts: scoringtest.Options{Requests: func() int { return int(calls.Load()) }},
			p: mutant{requests: &calls}},
		{name: "an empty transcript refused", wants: "empty transcript",
			p: mutant{before: func(ctx context.Context, in domain.ScoreInput) (context.Context, error) {
				if len(in.Transcript) == 0 {
					return ctx, errors.New("nothing to score")
				}
				return ctx, nil
			}}},
		{name: "an empty transcript scored when words are needed", wants: "empty transcript", opts: scoringtest.Options{NeedsTranscript: true},
			p: mutant{}},
		{name: "cancellation ignored", wants: "cancelled context",
			p: mutant{before: func(ctx context.Context, _ domain.ScoreInput) (context.Context, error) {
				return context.WithoutCancel(ctx), nil
			}}},
		{name: "input modified", wants: "not modified",
			p: mutant{before: func(ctx context.Context, in domain.ScoreInput) (context.Context, error) {
				if len(in.Transcript) > 0 {
					in.Transcript[0].TimestampMs++
				}
				return ctx, nil
			}}},
		{name: "not deterministic", wants: "deterministic", opts: scoringtest.Options{Deterministic: true},
			p: func() mutant {
				var n atomic.Int64
				return mutant{deep: func(_ domain.ScoreInput, s domain.DeepScore) domain.DeepScore {
					s.Summary += strings.Repeat(" ", int(n.Add(1)%2))
					return s
				}}
			}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failed := failing(t, tt.p, tt.opts)
			require.NotEmpty(t, failed, "the suite passed a broken provider")
			assert.True(t, containsSubstring(failed, tt.wants), "failed %q, want a check about %q", failed, tt.wants)
		})
	}
}

func containsSubstring(list []string, s string) bool {
	for _, l := range list {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}
