package app

import (
	"context"
	"sync"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// callCache keeps recently used call aggregates so a command on a long call
// loads only the events appended since, not the whole stream. Entries are
// only touched under the stream's lock; the log stays the truth, and a
// cached call is always caught up from it before use.
type callCache struct {
	mu    sync.Mutex
	max   int
	calls map[string]*domain.Call
}

func newCallCache(max int) *callCache { return &callCache{max: max, calls: map[string]*domain.Call{}} }

func (c *callCache) get(id string) *domain.Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[id]
}

func (c *callCache) put(call *domain.Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.calls) >= c.max {
		for k := range c.calls { // evict an arbitrary entry
			delete(c.calls, k)
			break
		}
	}
	c.calls[call.ID()] = call
}

func (c *callCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.calls, id)
}

// loadCall returns the call caught up with the log. The caller holds the
// stream's lock.
func (a *App) loadCall(ctx context.Context, id string) (*domain.Call, error) {
	call := a.calls.get(id)
	if call == nil {
		call = domain.NewCall(id)
	}
	evs, err := a.store.LoadRange(ctx, id, call.Version(), 0)
	if err != nil {
		a.calls.drop(id)
		return nil, err
	}
	for _, e := range evs {
		call.ApplyAt(e.Data, e.Metadata.OccurredAt)
	}
	if call.Exists() {
		a.calls.put(call)
	}
	return call, nil
}

// LoadCallAsOf rebuilds a call's state as of a stream version (0 = latest),
// returning the events up to it too. Used by replay and the scoring worker.
func (a *App) LoadCallAsOf(ctx context.Context, id string, version int) (*domain.Call, []eventstore.Event, error) {
	evs, err := a.store.LoadRange(ctx, id, 0, version)
	if err != nil {
		return nil, nil, err
	}
	call := domain.NewCall(id)
	for _, e := range evs {
		call.ApplyAt(e.Data, e.Metadata.OccurredAt)
	}
	return call, evs, nil
}
