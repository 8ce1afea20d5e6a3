package llm

import (
	"errors"

	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// Breakers are a provider's circuit breakers, one per use: five failed
// prospect replies must not stop scoring, nor a failing deep analysis the
// quick score. A nil breaker runs its use without one.
type Breakers struct {
	Quick, Deep, Prospect, Persona *resilience.Breaker
}

// NewBreakers returns a new breaker for each use, each configured by cfg.
func NewBreakers(cfg resilience.BreakerConfig) (Breakers, error) {
	var b Breakers
	var errs []error
	for _, p := range []**resilience.Breaker{&b.Quick, &b.Deep, &b.Prospect, &b.Persona} {
		br, err := resilience.NewBreaker(cfg)
		errs = append(errs, err)
		*p = br
	}
	return b, errors.Join(errs...)
}

// errSharedBreaker: a Runner's own breaker would be shared by every use.
var errSharedBreaker = errors.New("llm: give breakers per use (Breakers), not Runner.Breaker, so one use failing does not stop the others")

// with is run under breaker b.
func with(run resilience.Runner, b *resilience.Breaker) resilience.Runner {
	run.Breaker = b
	return run
}
