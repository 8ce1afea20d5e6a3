package app

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// Consistency waits until the read tables built from a stream kind reflect a position.
type Consistency interface {
	WaitForStream(ctx context.Context, streamType string, pos eventstore.Position) error
}

// QuickScorer gives the fast score when a call ends (spec §11.1), in the
// domain's scoring vocabulary (app/scoring.QuickChain in production).
type QuickScorer interface {
	QuickScore(ctx context.Context, in domain.ScoreInput) (domain.QuickScore, error)
}

// Config configures the application.
type Config struct {
	// Consistency makes commands wait for their effects to be readable; nil skips waiting (CLI tools without projections).
	Consistency Consistency
	// ConsistencyTimeout bounds that wait (default 5s).
	ConsistencyTimeout time.Duration
	// QuickScorer scores a call when it ends. Required.
	QuickScorer QuickScorer
	// MaxConflictRetries bounds retries of a command that lost a concurrency race (default 8).
	MaxConflictRetries int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Projections are the running projection runners, for ProjectorLag
	// (none: ProjectorLag reports no projectors).
	Projections []ProjectorProgress
	Logger      *slog.Logger

	// CallCache bounds the cache of call aggregates (defaults: 10,000 calls, 64 MiB).
	CallCache CallCacheConfig

	// Waker wakes FollowCall's streams when a call's stream grows; optional
	// (without it a follower only polls).
	Waker StreamWaker
	// Voice is the voice agent service; optional. Without it StartVoice
	// gives no signed URL and RecordVoiceTranscript does nothing.
	Voice VoiceProvider
	// VoiceWebhooks verifies the voice provider's webhooks; optional
	// (HandleVoiceWebhook is ErrWebhookOff without it).
	VoiceWebhooks VoiceWebhookVerifier
	// IdentityWebhooks verifies the identity provider's webhooks; optional
	// (HandleIdentityWebhook is ErrWebhookOff without it).
	IdentityWebhooks IdentityWebhookVerifier
}

func (c *Config) setDefaults() {
	if c.ConsistencyTimeout == 0 {
		c.ConsistencyTimeout = 5 * time.Second
	}
	if c.MaxConflictRetries == 0 {
		c.MaxConflictRetries = 8
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.CallCache.setDefaults()
}

// Validate reports every problem with the config.
func (c Config) Validate() error {
	var errs []error
	if c.QuickScorer == nil {
		errs = append(errs, errors.New("a quick scorer is required"))
	}
	if c.ConsistencyTimeout < 0 || c.MaxConflictRetries < 0 {
		errs = append(errs, errors.New("timeouts and retries must not be negative"))
	}
	if err := c.CallCache.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// App runs commands and queries.
type App struct {
	store *eventstore.Store
	pool  *pgxpool.Pool
	cfg   Config
	locks [256]sync.Mutex
	calls *callCache
	// purgeTick counts kept idempotent responses (purgeIdempotency).
	purgeTick atomic.Uint64
}

// New returns the application on a store and the pool holding the read tables.
func New(store *eventstore.Store, cfg Config) (*App, error) {
	if store == nil {
		return nil, errors.New("app: store is nil")
	}
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return &App{store: store, pool: store.Pool(), cfg: cfg, calls: newCallCache(cfg.CallCache)}, nil
}

// Meta describes who asks for a command and why; it becomes event metadata.
type Meta struct {
	// Actor is a user id, or one of eventstore's Actor constants.
	Actor         string
	RequestID     string
	CorrelationID string
	CausationID   string
	// IdempotencyKey, when set, derives the event ids, so retrying the same
	// command appends nothing new. The API sets it to the key's whole scope
	// (IdempotencyScope.String), so two users or routes never share ids.
	IdempotencyKey string
}

func (a *App) newEvents(m Meta, data []domain.Event) []eventstore.NewEvent {
	now := a.cfg.Now().UTC()
	out := make([]eventstore.NewEvent, len(data))
	for i, d := range data {
		id := NewID()
		if m.IdempotencyKey != "" {
			id = uuid.NewSHA1(idempotencyNS, fmt.Appendf(nil, "%s/%d/%s", m.IdempotencyKey, i, d.EventType())).String()
		}
		corr := m.CorrelationID
		if corr == "" {
			corr = m.RequestID
		}
		out[i] = eventstore.NewEvent{ID: id, Data: d, Meta: eventstore.Metadata{
			Actor: m.Actor, RequestID: m.RequestID, CorrelationID: corr, CausationID: m.CausationID, OccurredAt: now,
		}}
	}
	return out
}

var idempotencyNS = uuid.MustParse("6f1c7c1e-2f0a-4f7e-9a55-5b0f3f8f6d10")

// lock serialises commands on one stream within this process.
func (a *App) lock(streamID string) func() {
	h := fnv.New32a()
	h.Write([]byte(streamID))
	m := &a.locks[h.Sum32()%uint32(len(a.locks))]
	m.Lock()
	return m.Unlock
}

// withRetry runs attempt until it does not lose a concurrency race.
func (a *App) withRetry(ctx context.Context, attempt func() error) error {
	var err error
	for i := 0; i <= a.cfg.MaxConflictRetries; i++ {
		if err = attempt(); !errors.Is(err, eventstore.ErrConcurrencyConflict) {
			return err
		}
		// Another process appended to the stream: back off a little, with jitter.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(1+rand.IntN(5<<i)) * time.Millisecond):
		}
	}
	return err
}

// settle waits until the read tables show what an append recorded.
func (a *App) settle(ctx context.Context, res eventstore.AppendResult) {
	if a.cfg.Consistency == nil || res.Position.IsZero() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, a.cfg.ConsistencyTimeout)
	defer cancel()
	if err := a.cfg.Consistency.WaitForStream(ctx, res.StreamType, res.Position); err != nil {
		a.cfg.Logger.Warn("read tables are behind the log; a read may not see this write yet", "position", res.Position.String(), "err", err)
	}
}

// UserIDFor derives the user id (the user stream's id) from the identity
// provider's subject, so a token and a webhook for one person always name
// the same stream and provisioning needs no lookup.
func UserIDFor(subject string) string {
	return uuid.NewSHA1(userNS, []byte(subject)).String()
}

var userNS = uuid.MustParse("0b9e4f2a-8c1d-4e57-b3a6-71d2c9e0f4a8")

// NewID returns a new time-ordered id (UUIDv7). Event ids, transcript rows
// and call ids are primary keys that grow all day: time order makes their
// index inserts land at the right edge instead of on random pages.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ValidID reports whether s is a UUID in canonical form.
func ValidID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

func notFound(what, id string) error {
	return fmt.Errorf("%s %s: %w", what, id, domain.ErrNotFound)
}
