package scoring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

// QuickProvider gives a fast overall score (app.QuickScorer, named).
type QuickProvider interface {
	Name() string
	app.QuickScorer
}

// DeepProvider gives a full analysis.
type DeepProvider interface {
	Name() string
	DeepScore(ctx context.Context, in domain.ScoreInput) (domain.DeepScore, error)
}

// QuickChain tries fast providers in turn within one time budget and falls
// back to the built-in rubric when they are slow, fail or answer nonsense.
type QuickChain struct {
	// Providers are tried first, in order (none: built-in only).
	Providers []QuickProvider
	// Budget bounds all of them together (default 1.5 s; the spec's quick
	// target is < 500 ms, and the built-in rubric takes about a millisecond).
	Budget time.Duration
	Logger *slog.Logger
}

// QuickScore implements app.QuickScorer.
func (q QuickChain) QuickScore(ctx context.Context, in domain.ScoreInput) (domain.QuickScore, error) {
	budget := q.Budget
	if budget == 0 {
		budget = 1500 * time.Millisecond
	}
	bctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	for _, p := range q.Providers {
		s, err := p.QuickScore(bctx, in)
		if err == nil {
			s.TranscriptVersion = in.TranscriptVersion
			if err = s.Validate(); err != nil {
				err = fmt.Errorf("rejected answer: %w", err)
			}
		}
		if err == nil {
			if s.Provider == "" {
				s.Provider = p.Name()
			}
			return s, nil
		}
		if q.Logger != nil {
			q.Logger.Warn("quick score: provider failed, trying the next", "provider", p.Name(), "err", err)
		}
		if ctx.Err() != nil {
			return domain.QuickScore{}, ctx.Err()
		}
	}
	return Builtin{}.QuickScore(ctx, in)
}

// DeepChain asks each provider in turn; the built-in rubric is always
// appended last, so a chain always produces a score.
type DeepChain struct {
	Providers []DeepProvider
	// Timeout bounds each provider, retries included (default 60 s).
	Timeout time.Duration
	Logger  *slog.Logger
}

// DeepOutcome is a chain's result and the failures on the way.
type DeepOutcome struct {
	Score    domain.DeepScore
	Failures []string
}

// DeepScore runs the chain. Every answer is checked (ranges, weighted
// overall, required fields, verbatim quotes) before it is accepted; a
// provider whose answer fails the checks counts as failed.
func (c DeepChain) DeepScore(ctx context.Context, in domain.ScoreInput) (DeepOutcome, error) {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = time.Minute
	}
	var out DeepOutcome
	var providers []DeepProvider
	for _, p := range c.Providers {
		if p.Name() != BuiltinName { // the built-in runs last, once
			providers = append(providers, p)
		}
	}
	providers = append(providers, Builtin{})
	for _, p := range providers {
		pctx, cancel := context.WithTimeout(ctx, timeout)
		s, err := p.DeepScore(pctx, in)
		cancel()
		if err == nil {
			s, err = accept(s, in)
		}
		if err == nil {
			if s.Provider == "" {
				s.Provider = p.Name()
			}
			out.Score = s
			return out, nil
		}
		out.Failures = append(out.Failures, p.Name()+": "+err.Error())
		if c.Logger != nil {
			c.Logger.Warn("deep score: provider failed, trying the next", "provider", p.Name(), "call", in.CallID, "err", err)
		}
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, errors.New("deep score: every provider failed: " + strings.Join(out.Failures, "; "))
}

// accept normalises and checks a provider's analysis: the transcript version
// is the one scored, key moments are kept only if they pass the quote rule,
// and the result must pass the domain's rules.
func accept(s domain.DeepScore, in domain.ScoreInput) (domain.DeepScore, error) {
	s.TranscriptVersion = in.TranscriptVersion
	s.KeyMoments, _ = domain.VerbatimKeyMoments(s.KeyMoments, in.Transcript)
	if err := s.Validate(); err != nil {
		return domain.DeepScore{}, fmt.Errorf("rejected answer: %w", err)
	}
	return s, nil
}
