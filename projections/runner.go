package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	wmsql "github.com/ThreeDotsLabs/watermill-sql/v3/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jackc/pgx/v5"

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
	// BatchSize is how many events one transaction applies (default 50, at most 60).
	BatchSize int
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
		// Each event applies in its own savepoint, a subtransaction; past 64
		// in one transaction PostgreSQL's subxid cache overflows and every
		// snapshot in the cluster gets slower. So batches stay below that.
		c.BatchSize = 50
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
	if c.PollInterval <= 0 || c.BatchSize <= 0 || c.MaxRetryBackoff <= 0 {
		errs = append(errs, errors.New("poll interval, batch size and max retry backoff must be positive"))
	}
	if c.BatchSize > 60 {
		errs = append(errs, errors.New("batch size must be at most 60 (one subtransaction per event; PostgreSQL caches 64)"))
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

// Run consumes the log until ctx ends, one consumer group per projector. A
// projector whose handler fails stops consuming (the failing event stays
// unacknowledged, earlier ones commit), reports the error, and retries with
// backoff; the others go on.
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

func (r *Runner) loop(ctx context.Context, p Projector) {
	backoff := 200 * time.Millisecond
	for ctx.Err() == nil {
		err := r.consume(ctx, p)
		if ctx.Err() != nil {
			return
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

func (r *Runner) consume(ctx context.Context, p Projector) error {
	subCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	sub, err := eventstore.NewSubscriber(subCtx, r.db, eventstore.SubscriberConfig{
		ConsumerGroup: ConsumerGroup(p),
		BatchSize:     r.cfg.BatchSize,
		PollInterval:  r.cfg.PollInterval,
		Waker:         r.cfg.Waker,
		WakeOn:        p.Streams(),
		Committed:     func(pos eventstore.Position) { r.setCommitted(p.Name(), pos) },
	})
	if err != nil {
		return err
	}
	defer sub.Close()
	msgs, err := sub.Subscribe(subCtx, eventstore.Topic)
	if err != nil {
		return fmt.Errorf("subscribe %s: %w", ConsumerGroup(p), err)
	}
	for msg := range msgs {
		if err := r.handle(sub, msg, p); err != nil {
			// Leave the message unacknowledged and stop: watermill commits the
			// acks before it, and the event is retried by the next subscription.
			cancel()
			for range msgs {
			}
			return err
		}
		msg.Ack()
		r.clearError(p.Name())
	}
	return ctx.Err()
}

// handle applies one delivered event to one projector, inside the batch
// transaction watermill hands over and inside a savepoint of its own.
func (r *Runner) handle(sub *eventstore.Subscription, msg *message.Message, p Projector) error {
	if !consumes(p, msg.Metadata.Get("stream_type")) {
		return nil // not this projector's stream kind: no work, just the ack
	}
	ctx := msg.Context()
	tx, ok := wmsql.TxFromContext(ctx)
	if !ok {
		return errors.New("projections: message carries no transaction")
	}
	ev, err := r.store.DecodeMessage(msg)
	if err != nil {
		return err
	}
	return sub.WithConn(tx, func(conn *pgx.Conn) error { return applyInSavepoint(ctx, r.store, conn, p, ev) })
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
