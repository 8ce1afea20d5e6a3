package scoring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// WorkerConfig configures the deep-scoring worker.
type WorkerConfig struct {
	Chain DeepChain
	// Lease is how long a claimed job is reserved (default 3 min; longer than
	// a chain can take, so a crashed worker's job is retried after it).
	Lease time.Duration
	// MaxAttempts before a job is parked until the call changes (default 5).
	MaxAttempts int
	// PollInterval is the fallback when no wake arrives (default 1 s).
	PollInterval time.Duration
	// Concurrency is how many jobs run at once (default 2).
	Concurrency int
	Logger      *slog.Logger
}

func (c *WorkerConfig) setDefaults() {
	if c.Lease == 0 {
		c.Lease = 3 * time.Minute
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = 5
	}
	if c.PollInterval == 0 {
		c.PollInterval = time.Second
	}
	if c.Concurrency == 0 {
		c.Concurrency = 2
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Validate reports every problem with the config.
func (c WorkerConfig) Validate() error {
	if c.Lease <= 0 || c.MaxAttempts <= 0 || c.PollInterval <= 0 || c.Concurrency <= 0 {
		return errors.New("scoring: lease, max attempts, poll interval and concurrency must be positive")
	}
	return nil
}

// Worker deep-scores ended calls. It claims a due job in one short
// transaction, runs the provider chain with no transaction open, and appends
// the result; the scoring_jobs projector (projections.ScoringJobs) then
// marks the job done. Appends carry ids derived from (call, transcript
// version), so a retry after a crash or a redelivery never records a second
// score for the same transcript.
type Worker struct {
	app  *app.App
	pool *pgxpool.Pool
	cfg  WorkerConfig
	wake chan struct{}
}

// NewWorker returns a worker.
func NewWorker(a *app.App, pool *pgxpool.Pool, cfg WorkerConfig) (*Worker, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Worker{app: a, pool: pool, cfg: cfg, wake: make(chan struct{}, 1)}, nil
}

// Notify wakes the worker (give it to the jobs runner's OnCommitted).
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run processes due jobs until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	sem := make(chan struct{}, w.cfg.Concurrency)
	for ctx.Err() == nil {
		sem <- struct{}{}
		job, ok, err := w.claim(ctx)
		if err != nil || !ok {
			<-sem
			if err != nil && ctx.Err() == nil {
				w.cfg.Logger.Error("deep scoring: cannot claim a job", "err", err)
			}
			select {
			case <-ctx.Done():
			case <-w.wake:
			case <-time.After(w.cfg.PollInterval):
			}
			continue
		}
		go func() {
			defer func() { <-sem }()
			w.process(ctx, job)
		}()
	}
	for i := 0; i < cap(sem); i++ { // wait for running jobs
		sem <- struct{}{}
	}
	return nil
}

// RunOnce claims and processes one due job; it reports whether there was one.
func (w *Worker) RunOnce(ctx context.Context) (bool, error) {
	job, ok, err := w.claim(ctx)
	if err != nil || !ok {
		return false, err
	}
	return true, w.process(ctx, job)
}

type job struct {
	callID   string
	attempts int
}

func (w *Worker) claim(ctx context.Context) (job, bool, error) {
	var j job
	err := w.pool.QueryRow(ctx, `
UPDATE scoring_jobs SET not_before = now() + $1::interval, attempts = attempts + 1
WHERE call_id = (
  SELECT call_id FROM scoring_jobs
  WHERE ended AND (done_version IS NULL OR done_version < wanted_version) AND not_before <= now()
  ORDER BY not_before LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING call_id::text, attempts`, fmt.Sprintf("%d milliseconds", w.cfg.Lease.Milliseconds())).Scan(&j.callID, &j.attempts)
	if errors.Is(err, pgx.ErrNoRows) {
		return job{}, false, nil
	}
	return j, err == nil, err
}

func (w *Worker) process(ctx context.Context, j job) error {
	err := w.score(ctx, j)
	if err == nil {
		return nil
	}
	backoff := time.Duration(1<<min(j.attempts, 10)) * 5 * time.Second
	parked := j.attempts >= w.cfg.MaxAttempts
	w.cfg.Logger.Error("deep scoring failed", "call", j.callID, "attempt", j.attempts, "parked", parked, "err", err)
	next := "now() + $2::interval"
	if parked {
		next = "'infinity'"
	}
	_, uerr := w.pool.Exec(context.WithoutCancel(ctx), `UPDATE scoring_jobs SET last_error = $3, not_before = `+next+` WHERE call_id = $1`,
		j.callID, fmt.Sprintf("%d milliseconds", backoff.Milliseconds()), err.Error())
	return errors.Join(err, uerr)
}

// score deep-scores the call's current transcript.
func (w *Worker) score(ctx context.Context, j job) error {
	call, err := w.app.CallAsOf(ctx, j.callID, 0)
	if err != nil {
		return err
	}
	tv := call.TranscriptVersion()
	if call.Status() != domain.CallCompleted || call.HasDeepScoreFor(tv) {
		return nil // nothing to do: the projector is about to mark the job
	}
	if _, err := w.app.Profile(ctx, call.UserID()); errors.Is(err, domain.ErrNotFound) {
		return nil // the user was deleted: their calls are not scored (nor quoted) again
	}
	in := w.app.ScoreInputFor(ctx, call)
	out, chainErr := w.cfg.Chain.DeepScore(ctx, in)
	meta := app.Meta{Actor: eventstore.ActorSystem, CorrelationID: j.callID}
	if len(out.Failures) > 0 {
		meta.IdempotencyKey = fmt.Sprintf("deep-failed/%s/%d/%d", j.callID, tv, j.attempts)
		reason := fmt.Sprintf("%d provider(s) failed: %v", len(out.Failures), out.Failures)
		// Final only when no provider was left: a failure a later provider made good is history, not news.
		if err := w.app.RecordDeepScoringFailure(ctx, meta, j.callID, reason, tv, chainErr == nil); err != nil {
			return err
		}
	}
	if chainErr != nil {
		return chainErr
	}
	meta.IdempotencyKey = fmt.Sprintf("deep/%s/%d", j.callID, tv)
	err = w.app.RecordDeepScore(ctx, meta, j.callID, domain.CallDeepScored(out.Score))
	if errors.Is(err, eventstore.ErrEventIDReused) {
		return nil // recorded by an earlier attempt
	}
	return err
}

// Rescore appends a new deep score for a completed call's current transcript
// with the given chain (the history keeps the old ones).
func Rescore(ctx context.Context, a *app.App, chain DeepChain, callID string) (domain.DeepScore, error) {
	call, err := a.CallAsOf(ctx, callID, 0)
	if err != nil {
		return domain.DeepScore{}, err
	}
	if !call.Exists() {
		return domain.DeepScore{}, fmt.Errorf("call %s: %w", callID, domain.ErrNotFound)
	}
	out, err := chain.DeepScore(ctx, a.ScoreInputFor(ctx, call))
	if err != nil {
		return domain.DeepScore{}, err
	}
	return out.Score, a.RecordDeepScore(ctx, app.Meta{Actor: eventstore.ActorSystem, CorrelationID: callID}, callID, domain.CallDeepScored(out.Score))
}
