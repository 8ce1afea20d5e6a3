package app

import (
	"container/list"
	"context"
	"fmt"
	"sync"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// CallCacheConfig bounds the cache of call aggregates, by count and by the
// bytes their transcripts hold. The least recently used calls go first.
type CallCacheConfig struct {
	// MaxCalls bounds the number of cached calls (default 10,000).
	MaxCalls int
	// MaxBytes bounds their estimated size, transcripts included (default
	// 64 MiB: thousands of ordinary calls, or 30 calls at domain.MaxCallBytes).
	MaxBytes int
}

func (c *CallCacheConfig) setDefaults() {
	if c.MaxCalls == 0 {
		c.MaxCalls = 10_000
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = 64 << 20
	}
}

func (c CallCacheConfig) validate() error {
	if c.MaxCalls < 1 || c.MaxBytes < callSizeMax {
		return fmt.Errorf("the call cache must hold at least one call at its maximum size (MaxCalls >= 1, MaxBytes >= %d)", callSizeMax)
	}
	return nil
}

// Estimated memory of a cached call: a fixed part, and per transcript line
// its entry (role, content header, timestamp) beside its text's bytes.
const (
	callSizeBase    = 512
	callSizePerLine = 48
	callSizeMax     = callSizeBase + domain.MaxCallLines*callSizePerLine + domain.MaxCallBytes
)

func callSize(c *domain.Call) int {
	return callSizeBase + c.TranscriptVersion()*callSizePerLine + c.TranscriptBytes()
}

// callCache keeps recently used call aggregates so a command on a long call
// loads only the events appended since, not the whole stream. Entries are
// only touched under the stream's lock; the log stays the truth, and a
// cached call is always caught up from it before use. It is a least recently
// used cache bounded by CallCacheConfig; a call's size is taken when it is
// put (each load puts it again), so the byte count trails a call by at most
// the command that last grew it.
type callCache struct {
	cfg CallCacheConfig

	mu    sync.Mutex
	bytes int
	lru   *list.List // of *cachedCall, most recently used first
	byID  map[string]*list.Element
}

type cachedCall struct {
	call *domain.Call
	size int
}

func newCallCache(cfg CallCacheConfig) *callCache {
	return &callCache{cfg: cfg, lru: list.New(), byID: map[string]*list.Element{}}
}

func (c *callCache) get(id string) *domain.Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byID[id]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cachedCall).call
}

func (c *callCache) put(call *domain.Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	size := callSize(call)
	if el, ok := c.byID[call.ID()]; ok {
		cc := el.Value.(*cachedCall)
		c.bytes += size - cc.size
		cc.call, cc.size = call, size
		c.lru.MoveToFront(el)
	} else {
		c.byID[call.ID()] = c.lru.PushFront(&cachedCall{call: call, size: size})
		c.bytes += size
	}
	for c.lru.Len() > 1 && (c.lru.Len() > c.cfg.MaxCalls || c.bytes > c.cfg.MaxBytes) {
		c.remove(c.lru.Back())
	}
}

func (c *callCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[id]; ok {
		c.remove(el)
	}
}

func (c *callCache) remove(el *list.Element) {
	cc := c.lru.Remove(el).(*cachedCall)
	delete(c.byID, cc.call.ID())
	c.bytes -= cc.size
}

// len and size report the cache's content (tests).
func (c *callCache) len() (calls, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.bytes
}

// eventPage is how many events a read of one stream loads at a time: a
// call's history is read in pages, never whole (a call at its maximum size
// is over 5,000 events).
const eventPage = 200

// loadPages reads the stream's events with after < version <= until (until
// 0: to the end) a page at a time, handing each page to fn in order. A
// stream's versions are contiguous (1, 2, ...: Append assigns them), so a
// page shorter than asked for is the stream's end.
func (a *App) loadPages(ctx context.Context, id string, after, until int, fn func([]eventstore.Event) error) error {
	if until <= 0 || until > maxVersion {
		until = maxVersion
	}
	for after < until {
		to := min(after+eventPage, until)
		evs, err := a.store.LoadRange(ctx, id, after, to)
		if err != nil {
			return err
		}
		if len(evs) > 0 {
			if err := fn(evs); err != nil {
				return err
			}
		}
		if len(evs) < to-after {
			return nil
		}
		after = to
	}
	return nil
}

// maxVersion is the largest stream version the log can hold (an INTEGER column).
const maxVersion = 1<<31 - 1

// loadCall returns the call caught up with the log. The caller holds the
// stream's lock.
func (a *App) loadCall(ctx context.Context, id string) (*domain.Call, error) {
	call := a.calls.get(id)
	if call == nil {
		call = domain.NewCall(id)
	}
	err := a.loadPages(ctx, id, call.Version(), 0, func(evs []eventstore.Event) error {
		for _, e := range evs {
			call.ApplyAt(e.Data, e.Metadata.OccurredAt)
		}
		return nil
	})
	if err != nil {
		a.calls.drop(id)
		return nil, err
	}
	if call.Exists() {
		a.calls.put(call)
	}
	return call, nil
}

// CallAsOf rebuilds a call's state as of a stream version (0 = latest),
// reading its history a page at a time.
func (a *App) CallAsOf(ctx context.Context, id string, version int) (*domain.Call, error) {
	call := domain.NewCall(id)
	err := a.loadPages(ctx, id, 0, version, func(evs []eventstore.Event) error {
		for _, e := range evs {
			call.ApplyAt(e.Data, e.Metadata.OccurredAt)
		}
		return nil
	})
	return call, err
}
