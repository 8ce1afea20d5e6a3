package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// RunnerConfig configures the live projection runner.
type RunnerConfig struct {
	// Projectors to run (default ReadModels(): a server runs WorkQueues() in
	// a second runner, so read-your-writes does not wait for them).
	Projectors []Projector
	// Waker wakes consumer groups on commit; without it they poll.
	Waker *eventstore.Waker
	// PollInterval is the fallback poll when no wake arrives (default 500ms).
	PollInterval time.Duration
	// BatchSize is the most events one transaction applies (default 500).
	BatchSize int
	// QuarantineAfter is how many times an event that fails for a reason
	// that is not transient is tried before its stream is quarantined
	// (default 3).
	QuarantineAfter int
	// OnQuarantined, when set, is told each time a stream is quarantined.
	OnQuarantined func(projector, streamID string)
	// MaxRetryBackoff caps the wait before a failed projector retries (default 30s).
	MaxRetryBackoff time.Duration
	// OnCommitted, when set, is told each time a projector's transaction
	// commits, with the position it reached (for benchmarks and metrics).
	OnCommitted func(projector string, pos eventstore.Position)
	Logger      *slog.Logger
}

func (c *RunnerConfig) setDefaults() {
	if c.Projectors == nil {
		c.Projectors = ReadModels()
	}
	if c.PollInterval == 0 {
		c.PollInterval = 500 * time.Millisecond
	}
	if c.BatchSize == 0 {
		c.BatchSize = 500
	}
	if c.QuarantineAfter == 0 {
		c.QuarantineAfter = 3
	}
	if c.MaxRetryBackoff == 0 {
		c.MaxRetryBackoff = 30 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Validate reports every problem with the config.
func (c RunnerConfig) Validate() error {
	var errs []error
	if len(c.Projectors) == 0 {
		errs = append(errs, errors.New("no projectors"))
	}
	seen := map[string]bool{}
	for _, p := range c.Projectors {
		if seen[p.Name()] {
			errs = append(errs, fmt.Errorf("projector %q listed twice", p.Name()))
		}
		seen[p.Name()] = true
	}
	if c.PollInterval <= 0 || c.BatchSize <= 0 || c.MaxRetryBackoff <= 0 || c.QuarantineAfter <= 0 {
		errs = append(errs, errors.New("poll interval, batch size, quarantine attempts and max retry backoff must be positive"))
	}
	return errors.Join(errs...)
}

// Runner keeps the read tables up to date while the server runs.
type Runner struct {
	store *eventstore.Store
	db    *sql.DB
	cfg   RunnerConfig

	mu       sync.Mutex
	progress map[string]*progress
	changed  chan struct{} // closed and replaced whenever any progress moves
}

type progress struct {
	committed eventstore.Position
	lastErr   error
	errAt     time.Time
}

// NewRunner returns a runner; db must be the database/sql view of the store's pool.
func NewRunner(store *eventstore.Store, db *sql.DB, cfg RunnerConfig) (*Runner, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("projections: runner: %w", err)
	}
	r := &Runner{store: store, db: db, cfg: cfg, progress: map[string]*progress{}, changed: make(chan struct{})}
	for _, p := range cfg.Projectors {
		r.progress[p.Name()] = &progress{}
	}
	return r, nil
}

// Run consumes the log until ctx ends, one consumer group per projector,
// each on its own loop (eventstore.Consume). A batch applies in bulk in one
// transaction with the group's offset (applyBatch). When it fails for a
// reason that is not transient, the same events are gone through one by one
// in savepoints (applyCarefully) to find the failing event; an event that
// keeps failing (QuarantineAfter tries, with backoff) quarantines its stream
// for that projector, and every other stream goes on. Transient failures
// (the database away, a lost race) are retried with backoff, never
// quarantined.
func (r *Runner) Run(ctx context.Context) error {
	if err := r.loadCommitted(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	for _, p := range r.cfg.Projectors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.loop(ctx, p)
		}()
	}
	wg.Wait()
	return nil
}

// recovery is a projector loop's state after a bulk batch failed: the
// events up to until are applied one by one, and attempts counts the
// failures of each event that failed for a reason that is not transient.
type recovery struct {
	until    eventstore.Position
	bulkEnd  eventstore.Position // the last event of the bulk batch in progress
	attempts map[eventstore.Position]int
	pending  []string // streams quarantined by the round in progress, told once it commits
}

func (rec *recovery) reset() {
	rec.until = eventstore.Position{}
	clear(rec.attempts)
}

// errRecover: a bulk batch failed; go through it one event at a time, now.
var errRecover = errors.New("projections: batch failed, applying its events one by one")

func (r *Runner) loop(ctx context.Context, p Projector) {
	backoff := 200 * time.Millisecond
	rec := &recovery{attempts: map[eventstore.Position]int{}}
	for ctx.Err() == nil {
		err := r.consume(ctx, p, rec)
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, errRecover) {
			continue
		}
		if errors.Is(err, eventstore.ErrDeferred) && !eventstore.Transient(err) && !rec.bulkEnd.IsZero() {
			// The bulk batch failed at commit, in a statement it deferred:
			// go through it one event at a time, as for any failed batch.
			rec.until, rec.bulkEnd = rec.bulkEnd, eventstore.Position{}
			r.cfg.Logger.Warn("projection batch failed; applying its events one by one", "projector", p.Name(), "err", err)
			continue
		}
		r.mu.Lock()
		r.progress[p.Name()].lastErr, r.progress[p.Name()].errAt = err, time.Now()
		r.mu.Unlock()
		r.cfg.Logger.Error("projection stopped on an event; will retry", "projector", p.Name(), "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, r.cfg.MaxRetryBackoff)
	}
}

func (r *Runner) consume(ctx context.Context, p Projector, rec *recovery) error {
	cache := newVersionCache() // good for this Consume's unbroken rounds only
	return r.store.Consume(ctx, eventstore.ConsumerConfig{
		ConsumerGroup: ConsumerGroup(p),
		BatchSize:     r.cfg.BatchSize,
		PollInterval:  r.cfg.PollInterval,
		AsyncCommit:   true, // read tables are derived from the log: a lost round is applied again
		Waker:         r.cfg.Waker,
		WakeOn:        p.Streams(),
		Decode:        p.Streams(),
		Committed: func(pos eventstore.Position) {
			cache.commit()
			// Quarantines are told before the commit is announced: whoever
			// waits for the position then also sees them.
			for _, s := range rec.pending {
				if r.cfg.OnQuarantined != nil {
					r.cfg.OnQuarantined(p.Name(), s)
				}
			}
			rec.pending = rec.pending[:0]
			r.setCommitted(p.Name(), pos)
			r.clearError(p.Name())
		},
	}, func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
		return r.handle(ctx, tx, p, rec, cache, batch)
	})
}

// handle applies a delivered batch to one projector inside tx, in bulk, or
// one by one while recovering from a failed batch.
func (r *Runner) handle(ctx context.Context, tx eventstore.Round, p Projector, rec *recovery, cache *versionCache, batch []eventstore.Delivery) (int, error) {
	rec.pending = rec.pending[:0]
	cache.begin(tx.Unbroken())
	if !rec.until.Less(batch[0].Position) {
		cache.forget() // the careful path writes versions and quarantines the cache does not follow
		skip, err := openQuarantines(ctx, tx, p)
		if err != nil {
			return 0, err
		}
		return r.applyCarefully(ctx, tx, p, rec, batch, skip)
	}
	rec.reset()
	rec.bulkEnd = batch[len(batch)-1].Position
	err := applyBatch(ctx, r.store, tx, p, batch, true, cache)
	if err == nil {
		return len(batch), nil
	}
	if eventstore.Transient(err) {
		return 0, err
	}
	rec.until = batch[len(batch)-1].Position
	r.cfg.Logger.Warn("projection batch failed; applying its events one by one", "projector", p.Name(), "err", err)
	return 0, fmt.Errorf("%w: %w", errRecover, err)
}

// carefulBatch bounds the events applied one by one in one transaction:
// each is a subtransaction, and past 64 PostgreSQL's subxid cache
// overflows, which slows every snapshot in the cluster.
const carefulBatch = 50

// applyCarefully applies events up to rec.until one by one, each in its own
// savepoint (applyInSavepoint), quarantining the stream of an event that
// has failed QuarantineAfter times for a reason that is not transient.
func (r *Runner) applyCarefully(ctx context.Context, tx eventstore.Tx, p Projector, rec *recovery, batch []eventstore.Delivery, skip map[string]bool) (int, error) {
	n := 0
	for _, d := range batch {
		if n == carefulBatch || rec.until.Less(d.Position) {
			break
		}
		n++
		if !consumes(p, d.StreamType) || skip[d.StreamID] {
			continue
		}
		err := d.Err
		if err == nil {
			err = applyInSavepoint(ctx, r.store, tx, p, d.Event)
		} else {
			err = fmt.Errorf("projection %s: event %s v%d (%s) at position %s: %w", p.Name(), d.StreamID, d.Version, d.Type, d.Position, err)
		}
		if err == nil {
			continue
		}
		if eventstore.Transient(err) {
			return 0, err
		}
		rec.attempts[d.Position]++
		if tries := rec.attempts[d.Position]; tries < r.cfg.QuarantineAfter {
			return 0, fmt.Errorf("attempt %d of %d: %w", tries, r.cfg.QuarantineAfter, err)
		}
		if err := quarantine(ctx, tx, p, d.Event, err, rec.attempts[d.Position]); err != nil {
			return 0, err
		}
		skip[d.StreamID] = true
		r.cfg.Logger.Error("projection quarantined a stream: its later events wait for `sparrow projections quarantine retry|skip`",
			"projector", p.Name(), "stream", d.StreamID, "version", d.Version, "type", d.Type, "err", err)
		rec.pending = append(rec.pending, d.StreamID)
	}
	if batch[n-1].Position == rec.until {
		rec.reset()
	}
	return n, nil
}

func (r *Runner) clearError(name string) {
	r.mu.Lock()
	if r.progress[name].lastErr != nil {
		r.progress[name].lastErr = nil
	}
	r.mu.Unlock()
}

// setCommitted records that this process's consumer of projector name
// committed pos, and announces it to the other processes (Waker.Committed),
// whose waiters may be waiting for it.
func (r *Runner) setCommitted(name string, pos eventstore.Position) {
	r.learnCommitted(name, pos)
	if p, ok := r.projector(name); ok && r.cfg.Waker != nil {
		r.cfg.Waker.Committed(ConsumerGroup(p), pos)
	}
}

// loadCommitted reads every projector's committed position from the
// database, then (until ctx ends) follows the commits the Waker learns from
// other processes (followCommits), so waits and health see them.
func (r *Runner) loadCommitted(ctx context.Context) error {
	for _, p := range r.cfg.Projectors {
		pos, err := eventstore.ConsumerPosition(ctx, eventstore.SQLQuerier{Q: r.db}, ConsumerGroup(p))
		if err != nil {
			return err
		}
		r.learnCommitted(p.Name(), pos)
		if r.cfg.Waker != nil {
			r.cfg.Waker.Committed(ConsumerGroup(p), pos)
		}
	}
	if r.cfg.Waker != nil {
		go r.followCommits(ctx)
	}
	return nil
}

// WaitFor blocks until every projector has committed position pos (or ctx
// ends): after it returns nil, reads of any read table see the event at pos.
// It does not matter which process's consumer applied the event: commits in
// other processes reach this one through the Waker (announced with NOTIFY,
// polled from the offsets table while anyone waits), so a wait never times
// out because the work was done elsewhere.
func (r *Runner) WaitFor(ctx context.Context, pos eventstore.Position) error {
	return r.WaitForStream(ctx, "", pos)
}

// WaitForStream is WaitFor limited to the projectors that consume a stream
// kind: after an append to a call stream, the tables built from call
// streams show it ("" waits for every projector).
func (r *Runner) WaitForStream(ctx context.Context, streamType string, pos eventstore.Position) error {
	var stopWatch func()
	defer func() {
		if stopWatch != nil {
			stopWatch()
		}
	}()
	for {
		r.mu.Lock()
		var behind []string
		for _, p := range r.cfg.Projectors {
			if streamType != "" && !consumes(p, streamType) {
				continue
			}
			if r.progress[p.Name()].committed.Less(pos) {
				behind = append(behind, ConsumerGroup(p))
			}
		}
		ch := r.changed
		r.mu.Unlock()
		if len(behind) == 0 {
			return nil
		}
		if stopWatch == nil && r.cfg.Waker != nil {
			// Another process may apply the event: have the Waker poll
			// the offsets while we wait, in case its announcement is lost.
			stopWatch = r.cfg.Waker.WatchCommits(behind...)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("projections: waiting for position %s: %w", pos, ctx.Err())
		}
	}
}

// Health is a projector's state as the runner sees it.
type Health struct {
	Name      string
	Committed eventstore.Position
	LastError string
}

// Health reports each projector's committed position and last error.
func (r *Runner) Health() []Health {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Health, 0, len(r.cfg.Projectors))
	for _, p := range r.cfg.Projectors {
		pr := r.progress[p.Name()]
		h := Health{Name: p.Name(), Committed: pr.committed}
		if pr.lastErr != nil {
			h.LastError = pr.lastErr.Error()
		}
		out = append(out, h)
	}
	return out
}
