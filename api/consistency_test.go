package api_test

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/api"
)

// A read that follows a write through the API always sees it: 1,000
// create-then-read attempts (and start-then-read), zero misses.
func TestReadYourWritesThroughHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.cfg.RateLimit.Disabled = true })
	const attempts, workers = 1000, 8
	var misses, done atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		tok := e.newUser(t)
		wg.Go(func() {
			for i := w; i < attempts; i += workers {
				r := e.post(t, "/api/calls", tok, map[string]any{"mode": "cold_call", "personaId": presetID})
				if !assert.Equal(t, http.StatusCreated, r.status, "create: %s", r.body) {
					misses.Add(1)
					continue
				}
				c := decode[api.Call](t, r, http.StatusCreated)
				got := e.get(t, "/api/calls/"+c.ID, tok)
				if got.status != http.StatusOK {
					misses.Add(1)
					continue
				}
				if i%10 == 0 { // and a state change, read back at once
					s := decode[api.Call](t, e.patch(t, "/api/calls/"+c.ID, tok, map[string]any{"status": "in_progress"}), http.StatusOK)
					if s.Status != "in_progress" || decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK).Status != "in_progress" {
						misses.Add(1)
					}
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(attempts), done.Load())
	assert.Zero(t, misses.Load(), "reads that missed a write")
}
