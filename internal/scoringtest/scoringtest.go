// Package scoringtest is the acceptance suite of Sparrow's scoring contract:
// every scoring provider (the built-in rubric, each LLM provider against its
// fake) must pass Run. A new provider is done when its test calls Run.
//
// The contract, in the domain's vocabulary (domain.ScoreInput in,
// domain.QuickScore or domain.DeepScore out):
//   - Valid input, for every mode, with or without persona facts, gets a
//     score: every score in 0..100; a non-empty summary; the provider's name;
//     a model; the input's transcript version echoed; a deep score's overall
//     exactly domain.WeightedOverall of its five categories, its rubric
//     version named, and it passes DeepScore.Validate.
//   - Every key moment passes the one quote rule (domain.VerbatimKeyMoments)
//     and is already in its kept form: its quote is a byte-for-byte substring
//     of the transcript line whose timestamp it carries.
//   - Invalid input (an unknown mode, a malformed line, a negative transcript
//     version) is refused with an error wrapping domain.ErrInvalid, the same
//     error every time, and, when the subject can count them, without a
//     request. An empty transcript is scored, or, for a provider that needs
//     words to judge (Options.NeedsTranscript), refused the same way.
//   - A cancelled context is honoured: the error wraps context.Canceled.
//   - The input is not modified; a deterministic provider (Options.Deterministic)
//     gives the same score for the same input.
//
// Checks returns the contract as plain checks that report errors, so the
// suite can itself be tested against deliberately broken providers (it is:
// see scoringtest_test.go); Run runs them as subtests.
package scoringtest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/sparrow-coach/sparrow/domain"
)

// Provider is a scoring provider: the quick and the deep track, named.
type Provider interface {
	Name() string
	QuickScore(ctx context.Context, in domain.ScoreInput) (domain.QuickScore, error)
	DeepScore(ctx context.Context, in domain.ScoreInput) (domain.DeepScore, error)
}

// Options says what the suite may expect of a provider beyond the contract.
type Options struct {
	// NeedsTranscript: an empty transcript is refused as invalid input (a
	// model has nothing to judge) rather than scored.
	NeedsTranscript bool
	// Deterministic: the same input always yields the same score.
	Deterministic bool
	// Requests, when set, counts the requests the provider has made so far
	// (its fake's request count), so the suite can check that refused input
	// costs none.
	Requests func() int
}

// Check is one clause of the contract.
type Check struct {
	Name string
	Run  func(ctx context.Context) error
}

// Run runs every check of the contract against p as a subtest.
func Run(t *testing.T, p Provider, opts Options) {
	t.Helper()
	for _, c := range Checks(p, opts) {
		t.Run(c.Name, func(t *testing.T) {
			if err := c.Run(t.Context()); err != nil {
				t.Errorf("%s breaks the scoring contract: %v", p.Name(), err)
			}
		})
	}
}

// Checks returns the contract's checks for p.
func Checks(p Provider, opts Options) []Check {
	return []Check{
		{"valid input gets a valid quick score in every mode", func(ctx context.Context) error {
			return eachInput(func(in domain.ScoreInput) error { return quick(ctx, p, in) })
		}},
		{"valid input gets a valid deep score in every mode", func(ctx context.Context) error {
			return eachInput(func(in domain.ScoreInput) error { return deep(ctx, p, in) })
		}},
		{"key moments pass the quote rule and point at their line", func(ctx context.Context) error {
			return eachInput(func(in domain.ScoreInput) error {
				s, err := p.DeepScore(ctx, in)
				if err != nil {
					return err
				}
				return quotesVerbatim(s.KeyMoments, in.Transcript)
			})
		}},
		{"invalid input is refused with domain.ErrInvalid, deterministically", func(ctx context.Context) error {
			return refusesInvalid(ctx, p, opts)
		}},
		{"an empty transcript is scored, or refused as invalid when words are needed", func(ctx context.Context) error {
			return emptyTranscript(ctx, p, opts)
		}},
		{"a cancelled context is honoured", func(ctx context.Context) error {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			in := inputs()[0]
			if _, err := p.QuickScore(cctx, in); !errors.Is(err, context.Canceled) {
				return fmt.Errorf("quick score with a cancelled context: got %v, want an error wrapping context.Canceled", err)
			}
			if _, err := p.DeepScore(cctx, in); !errors.Is(err, context.Canceled) {
				return fmt.Errorf("deep score with a cancelled context: got %v, want an error wrapping context.Canceled", err)
			}
			return nil
		}},
		{"the input is not modified", func(ctx context.Context) error {
			in := inputs()[1]
			before := clone(in)
			_, qerr := p.QuickScore(ctx, in)
			_, derr := p.DeepScore(ctx, in)
			if err := errors.Join(qerr, derr); err != nil {
				return err
			}
			if !reflect.DeepEqual(before, in) {
				return errors.New("the provider modified its input")
			}
			return nil
		}},
		{"a deterministic provider repeats itself", func(ctx context.Context) error {
			if !opts.Deterministic {
				return nil
			}
			return eachInput(func(in domain.ScoreInput) error {
				a, err := p.DeepScore(ctx, in)
				if err != nil {
					return err
				}
				b, err := p.DeepScore(ctx, in)
				if err != nil {
					return err
				}
				qa, err := p.QuickScore(ctx, in)
				if err != nil {
					return err
				}
				qb, err := p.QuickScore(ctx, in)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(a, b) || qa != qb {
					return fmt.Errorf("%s: two scores of the same input differ", in.Mode)
				}
				return nil
			})
		}},
	}
}

// eachInput runs f on every sample input, joining the failures.
func eachInput(f func(domain.ScoreInput) error) error {
	var errs []error
	for _, in := range inputs() {
		if err := f(in); err != nil {
			errs = append(errs, fmt.Errorf("%s (persona %t): %w", in.Mode, in.Persona != nil, err))
		}
	}
	return errors.Join(errs...)
}

func quick(ctx context.Context, p Provider, in domain.ScoreInput) error {
	s, err := p.QuickScore(ctx, in)
	if err != nil {
		return fmt.Errorf("quick score: %w", err)
	}
	var errs []error
	if err := s.Validate(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, common(p, s.Summary, s.Provider, s.Model, s.TranscriptVersion, in)...)
	return errors.Join(errs...)
}

func deep(ctx context.Context, p Provider, in domain.ScoreInput) error {
	s, err := p.DeepScore(ctx, in)
	if err != nil {
		return fmt.Errorf("deep score: %w", err)
	}
	var errs []error
	if err := s.Validate(); err != nil {
		errs = append(errs, err)
	}
	if w := domain.WeightedOverall(s.Opening, s.Discovery, s.ObjectionHandling, s.Communication, s.Closing); s.Overall != w {
		errs = append(errs, fmt.Errorf("overall is %d, the weighted categories make %d", s.Overall, w))
	}
	if strings.TrimSpace(s.RubricVersion) == "" {
		errs = append(errs, errors.New("no rubric version"))
	}
	errs = append(errs, common(p, s.Summary, s.Provider, s.Model, s.TranscriptVersion, in)...)
	return errors.Join(errs...)
}

// common checks what both tracks share.
func common(p Provider, summary, provider, model string, tv int, in domain.ScoreInput) []error {
	var errs []error
	if strings.TrimSpace(summary) == "" {
		errs = append(errs, errors.New("empty summary"))
	}
	if provider != p.Name() {
		errs = append(errs, fmt.Errorf("provider is %q, want the provider's name %q", provider, p.Name()))
	}
	if strings.TrimSpace(model) == "" {
		errs = append(errs, errors.New("no model"))
	}
	if tv != in.TranscriptVersion {
		errs = append(errs, fmt.Errorf("transcript version %d, want the input's %d", tv, in.TranscriptVersion))
	}
	return errs
}

// quotesVerbatim: the moments are exactly what the quote rule keeps.
func quotesVerbatim(moments []domain.KeyMoment, transcript []domain.TranscriptEntry) error {
	var errs []error
	for i, m := range moments {
		found := false
		for _, e := range transcript {
			if e.TimestampMs == m.TimestampMs && strings.Contains(e.Content, m.Quote) {
				found = true
				break
			}
		}
		if !found {
			errs = append(errs, fmt.Errorf("key moment %d: quote %q is not in the line at %d ms", i, m.Quote, m.TimestampMs))
		}
	}
	if kept, dropped := domain.VerbatimKeyMoments(moments, transcript); dropped > 0 || !reflect.DeepEqual(kept, nonNil(moments)) {
		errs = append(errs, fmt.Errorf("key moments are not in the quote rule's kept form (%d would be dropped)", dropped))
	}
	return errors.Join(errs...)
}

func nonNil(m []domain.KeyMoment) []domain.KeyMoment {
	if m == nil {
		return []domain.KeyMoment{}
	}
	return m
}

func refusesInvalid(ctx context.Context, p Provider, opts Options) error {
	var errs []error
	before := 0
	if opts.Requests != nil {
		before = opts.Requests()
	}
	for _, bad := range invalidInputs() {
		q1, err := p.QuickScore(ctx, bad.in)
		_, err2 := p.QuickScore(ctx, bad.in)
		errs = append(errs, refused("quick score", bad.name, q1 != domain.QuickScore{}, err, err2))
		d1, err := p.DeepScore(ctx, bad.in)
		_, err2 = p.DeepScore(ctx, bad.in)
		errs = append(errs, refused("deep score", bad.name, !reflect.DeepEqual(d1, domain.DeepScore{}), err, err2))
	}
	if opts.Requests != nil {
		if n := opts.Requests() - before; n > 0 {
			errs = append(errs, fmt.Errorf("refusing invalid input made %d request(s)", n))
		}
	}
	return errors.Join(errs...)
}

func refused(track, name string, scored bool, err, again error) error {
	switch {
	case err == nil:
		return fmt.Errorf("%s of %s: no error", track, name)
	case !errors.Is(err, domain.ErrInvalid):
		return fmt.Errorf("%s of %s: %v does not wrap domain.ErrInvalid", track, name, err)
	case again == nil || again.Error() != err.Error():
		return fmt.Errorf("%s of %s: the same input gave %v, then %v", track, name, err, again)
	case scored:
		return fmt.Errorf("%s of %s: a score came with the error", track, name)
	}
	return nil
}

func emptyTranscript(ctx context.Context, p Provider, opts Options) error {
	var errs []error
	for _, m := range domain.Modes {
		in := domain.ScoreInput{CallID: "empty", Mode: m}
		if opts.NeedsTranscript {
			_, err := p.QuickScore(ctx, in)
			_, again := p.QuickScore(ctx, in)
			errs = append(errs, refused("quick score", "an empty transcript", false, err, again))
			_, err = p.DeepScore(ctx, in)
			_, again = p.DeepScore(ctx, in)
			errs = append(errs, refused("deep score", "an empty transcript", false, err, again))
			continue
		}
		errs = append(errs, quick(ctx, p, in), deep(ctx, p, in))
	}
	return errors.Join(errs...)
}

func clone(in domain.ScoreInput) domain.ScoreInput {
	in.Transcript = append([]domain.TranscriptEntry(nil), in.Transcript...)
	if in.Persona != nil {
		p := *in.Persona
		p.HiddenPains = append([]string(nil), p.HiddenPains...)
		p.Objections = append([]string(nil), p.Objections...)
		in.Persona = &p
	}
	return in
}
