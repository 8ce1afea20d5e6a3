package app_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/prospect"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
	"github.com/sparrow-coach/sparrow/projections"
)

// practiceStart is the time of newPractice's clock when a test begins.
var practiceStart = time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)

// testClock is a settable clock for app.Config.Now.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// practice is a database with live projections, the app on a test clock,
// and every preset persona seeded.
type practice struct {
	app     *app.App
	pool    *pgxpool.Pool
	store   *eventstore.Store
	db      *sql.DB
	clock   *testClock
	presets []personas.Preset
}

func newPractice(t *testing.T) *practice {
	t.Helper()
	pool := pgtest.NewPool(t)
	w := eventstore.NewWaker()
	store, err := eventstore.NewStore(pool, eventstore.StoreConfig{OnAppend: w.Appended})
	require.NoError(t, err)
	db := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { db.Close() })
	runner, err := projections.NewRunner(store, db, projections.RunnerConfig{Waker: w})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	clock := &testClock{now: practiceStart}
	a, err := app.New(store, app.Config{Consistency: runner, QuickScorer: countingScorer{}, ConsistencyTimeout: 10 * time.Second, Now: clock.Now})
	require.NoError(t, err)
	presets := personas.Presets()
	seed := map[string]domain.PersonaProfile{}
	for _, p := range presets {
		seed[p.ID] = p.Profile
	}
	_, err = a.SeedPresets(ctx, seed)
	require.NoError(t, err)
	return &practice{app: a, pool: pool, store: store, db: db, clock: clock, presets: presets}
}

// countingScorer scores by how many lines the call has, so a test can tell
// which transcript a quick score saw.
type countingScorer struct{}

func (countingScorer) QuickScore(_ context.Context, in domain.ScoreInput) (domain.QuickScore, error) {
	return domain.QuickScore{Overall: min(100, len(in.Transcript)), Summary: "lines scored", Provider: "test", Model: "count"}, nil
}

func (p *practice) user(t *testing.T, subject string) string {
	t.Helper()
	id, err := p.app.EnsureUser(context.Background(), app.Meta{Actor: "test"}, app.Identity{Subject: subject, Email: subject + "@example.com", FullName: "Rep " + subject})
	require.NoError(t, err)
	return id
}

func (p *practice) call(t *testing.T, user string, preset int, mode domain.Mode) string {
	t.Helper()
	id, err := p.app.CreateCall(context.Background(), app.Meta{Actor: user}, user, p.presets[preset].ID, mode)
	require.NoError(t, err)
	return id
}

func (p *practice) transcript(t *testing.T, user, call string) []app.TranscriptLine {
	t.Helper()
	lines, err := p.app.Transcript(context.Background(), user, call)
	require.NoError(t, err)
	return lines
}

// mirror is the built-in prospect the app should be replaying for a call.
func (p *practice) mirror(preset int, mode domain.Mode, call string) *prospect.Prospect {
	return prospect.New(p.presets[preset].Profile, mode, app.ProspectSeed(call))
}

func TestTakeTurnStartsTheCallRecordsTheOpeningAndReplies(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "user_turns")
	call := p.call(t, user, 0, domain.ModeDiscovery)
	mirror := p.mirror(0, domain.ModeDiscovery, call)
	m := app.Meta{Actor: user}

	first, err := p.app.TakeTurn(ctx, m, user, call, "Hi, this is Sam from Routewise. How do you plan your routes today?", app.TurnOptions{})
	require.NoError(t, err)
	require.NotNil(t, first.Opening, "the first turn records the prospect's opening")
	assert.Equal(t, p.presets[0].Profile.FirstMessageFor(domain.ModeDiscovery), first.Opening.Content)
	assert.Equal(t, int64(0), first.Opening.TimestampMs)
	assert.Equal(t, domain.RoleUser, first.Rep.Role)
	assert.Greater(t, first.Rep.TimestampMs, first.Opening.TimestampMs, "the rep speaks after the opening was spoken")
	assert.Greater(t, first.Prospect.TimestampMs, first.Rep.TimestampMs+400, "the reply comes after the rep's words were spoken")
	assert.Equal(t, mirror.Respond(first.Rep.Content).Text, first.Prospect.Content)
	assert.Equal(t, app.ProspectBuiltin, first.ProspectSource)

	v, err := p.app.GetCall(ctx, user, call)
	require.NoError(t, err)
	assert.Equal(t, domain.CallInProgress, v.Status, "a pending call is started by its first turn")
	assert.Equal(t, first.Version, v.Version)

	p.clock.Advance(40 * time.Second)
	second, err := p.app.TakeTurn(ctx, m, user, call, "What happens when a driver calls in sick?", app.TurnOptions{})
	require.NoError(t, err)
	assert.Nil(t, second.Opening, "the opening is recorded once")
	assert.Equal(t, int64(40_000), second.Rep.TimestampMs, "the rep's line is stamped with the time elapsed since the start")
	assert.Equal(t, mirror.Respond(second.Rep.Content).Text, second.Prospect.Content)

	lines := p.transcript(t, user, call)
	require.Len(t, lines, 5)
	roles := []domain.Role{}
	for i, l := range lines {
		roles = append(roles, l.Role)
		if i > 0 {
			assert.Greater(t, l.TimestampMs, lines[i-1].TimestampMs)
		}
	}
	assert.Equal(t, []domain.Role{domain.RoleAssistant, domain.RoleUser, domain.RoleAssistant, domain.RoleUser, domain.RoleAssistant}, roles)
}

// Each turn rebuilds the prospect from the transcript, so a whole call
// through the app matches the prospect played directly, line by line, until
// the prospect ends the call; the call then ends and is quick-scored.
func TestTakeTurnReplaysTheProspectAndEndsTheCallWhenItEnds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		rep    string
		preset int
		mode   domain.Mode
	}{
		{name: "bad rep on a hostile prospect", rep: "bad", preset: 14, mode: domain.ModeColdCall},
		{name: "good rep on a friendly prospect", rep: "good", preset: 0, mode: domain.ModeDiscovery},
	}
	p := newPractice(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			user := p.user(t, "user_replay_"+tt.rep)
			call := p.call(t, user, tt.preset, tt.mode)
			mirror := p.mirror(tt.preset, tt.mode, call)
			rep, err := prospect.NewRep(tt.rep, 7)
			require.NoError(t, err)
			history := []domain.TranscriptEntry{{Role: domain.RoleAssistant, Content: mirror.Opening()}}
			var last app.TurnResult
			for turn := 0; turn < prospect.DefaultMaxTurns && !last.Ended; turn++ {
				line := rep.Next(history, mirror.State())
				want := mirror.Respond(line)
				p.clock.Advance(5 * time.Second)
				last, err = p.app.TakeTurn(ctx, app.Meta{Actor: user}, user, call, line, app.TurnOptions{})
				require.NoError(t, err, "turn %d", turn)
				if want.Text != "" {
					require.Equal(t, want.Text, last.Prospect.Content, "turn %d", turn)
				}
				require.Equal(t, want.Ended, last.Ended, "turn %d", turn)
				assert.Equal(t, want.MeetingBooked, last.MeetingBooked)
				history = append(history, last.Rep, last.Prospect)
			}
			require.True(t, last.Ended, "the prospect ends the call")
			assert.Equal(t, mirror.State().EndReason, last.EndReason)
			require.NotNil(t, last.QuickScore, "the turn that ends the call returns its quick score")
			v, err := p.app.GetCall(ctx, user, call)
			require.NoError(t, err)
			assert.Equal(t, domain.CallCompleted, v.Status)
			require.NotNil(t, v.EndReason)
			assert.Equal(t, last.EndReason, *v.EndReason)
			assert.Equal(t, min(100, v.TranscriptVersion), last.QuickScore.Overall, "scored on the whole transcript")
			if tt.rep == "bad" {
				assert.False(t, last.MeetingBooked)
				assert.Equal(t, prospect.EndHungUp, last.EndReason)
			}

			_, err = p.app.TakeTurn(ctx, app.Meta{Actor: user}, user, call, "Hello? Are you still there?", app.TurnOptions{})
			assert.ErrorIs(t, err, domain.ErrIllegalTransition, "an ended call takes no more turns")
		})
	}
}

func TestTakeTurnRefusesBadInputAndOtherUsersCalls(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	owner, other := p.user(t, "user_owner"), p.user(t, "user_other")
	call := p.call(t, owner, 0, domain.ModeColdCall)
	var before int
	require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&before))

	tests := []struct {
		name    string
		user    string
		call    string
		content string
		want    error
		field   string
	}{
		{name: "empty", user: owner, call: call, content: "", want: domain.ErrInvalid, field: "content"},
		{name: "blank", user: owner, call: call, content: " \n ", want: domain.ErrInvalid, field: "content"},
		{name: "too long", user: owner, call: call, content: strings.Repeat("a", domain.MaxTranscriptContent+1), want: domain.ErrInvalid, field: "content"},
		{name: "another user's call", user: other, call: call, content: "Hi", want: domain.ErrNotFound},
		{name: "no such call", user: owner, call: "6b1f0c1e-2f0a-4f7e-9a55-5b0f3f8f6d10", content: "Hi", want: domain.ErrNotFound},
		{name: "not an id", user: owner, call: "nope", content: "Hi", want: domain.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.app.TakeTurn(ctx, app.Meta{Actor: tt.user}, tt.user, tt.call, tt.content, app.TurnOptions{})
			require.ErrorIs(t, err, tt.want)
			if tt.field != "" {
				var fe *domain.FieldError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, tt.field, fe.Field)
			}
		})
	}
	var after int
	require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&after))
	assert.Equal(t, before, after, "refused turns record nothing")

	require.NoError(t, p.app.FailCall(ctx, app.Meta{Actor: owner}, owner, call, "dropped"))
	_, err := p.app.TakeTurn(ctx, app.Meta{Actor: owner}, owner, call, "Hi", app.TurnOptions{})
	assert.ErrorIs(t, err, domain.ErrIllegalTransition, "a failed call takes no turns")
}

// fakeLLM answers every turn with a fixed line, or fails.
type fakeLLM struct {
	calls atomic.Int64
	fail  bool
	delay time.Duration
}

func (f *fakeLLM) ProspectReply(ctx context.Context, in app.ProspectTurn) (string, error) {
	f.calls.Add(1)
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	if f.fail {
		return "", errors.New("model unavailable")
	}
	if len(in.Transcript) == 0 || in.Transcript[len(in.Transcript)-1].Role != domain.RoleUser || in.Persona.SystemPrompt == "" {
		return "", errors.New("fake llm: bad input")
	}
	return "  (LLM) Tell me more about that.  ", nil
}

func TestTakeTurnWithAnLLMProspect(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "user_llm")

	t.Run("the LLM writes the words", func(t *testing.T) {
		llm := &fakeLLM{}
		call := p.call(t, user, 0, domain.ModeDiscovery)
		res, err := p.app.TakeTurn(ctx, app.Meta{Actor: user}, user, call, "How do you plan routes today?", app.TurnOptions{LLM: llm})
		require.NoError(t, err)
		assert.Equal(t, "(LLM) Tell me more about that.", res.Prospect.Content)
		assert.Equal(t, app.ProspectLLMName, res.ProspectSource)
		assert.EqualValues(t, 1, llm.calls.Load())
	})
	t.Run("a failing LLM falls back to the built-in prospect", func(t *testing.T) {
		llm := &fakeLLM{fail: true}
		call := p.call(t, user, 0, domain.ModeDiscovery)
		mirror := p.mirror(0, domain.ModeDiscovery, call)
		res, err := p.app.TakeTurn(ctx, app.Meta{Actor: user}, user, call, "How do you plan routes today?", app.TurnOptions{LLM: llm})
		require.NoError(t, err)
		assert.Equal(t, mirror.Respond("How do you plan routes today?").Text, res.Prospect.Content)
		assert.Equal(t, app.ProspectBuiltin, res.ProspectSource)
	})
	t.Run("the built-in prospect ends the call in its own words", func(t *testing.T) {
		llm := &fakeLLM{}
		call := p.call(t, user, 14, domain.ModeColdCall)
		mirror := p.mirror(14, domain.ModeColdCall, call)
		rep, err := prospect.NewRep("bad", 3)
		require.NoError(t, err)
		history := []domain.TranscriptEntry{{Role: domain.RoleAssistant, Content: mirror.Opening()}}
		var res app.TurnResult
		for i := 0; i < prospect.DefaultMaxTurns && !res.Ended; i++ {
			line := rep.Next(history, mirror.State())
			want := mirror.Respond(line)
			res, err = p.app.TakeTurn(ctx, app.Meta{Actor: user}, user, call, line, app.TurnOptions{LLM: llm})
			require.NoError(t, err)
			history = append(history, res.Rep, res.Prospect)
			if want.Ended {
				assert.Equal(t, want.Text, res.Prospect.Content)
				assert.Equal(t, app.ProspectBuiltin, res.ProspectSource)
			} else {
				assert.Equal(t, app.ProspectLLMName, res.ProspectSource)
			}
		}
		assert.True(t, res.Ended)
		assert.EqualValues(t, len(history)/2-1, llm.calls.Load(), "the LLM is not asked on the turn that ends the call")
	})
}

// Concurrent turns on one call all land, each reply right after its line,
// also when an LLM (slow, outside the lock) writes the replies.
func TestTakeTurnConcurrentTurnsOnOneCall(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "user_concurrent")
	for _, llm := range []*fakeLLM{nil, {delay: 20 * time.Millisecond}} {
		name := "built-in"
		opts := app.TurnOptions{}
		if llm != nil {
			name, opts.LLM = "llm", llm
		}
		t.Run(name, func(t *testing.T) {
			call := p.call(t, user, 0, domain.ModeDiscovery)
			const n = 6
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := p.app.TakeTurn(ctx, app.Meta{Actor: user}, user, call, "What does a normal week look like for your team?"+strings.Repeat("?", i), opts)
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			ok := 0
			for err := range errs {
				if err == nil {
					ok++
					continue
				}
				assert.ErrorIs(t, err, domain.ErrIllegalTransition, "only a call the prospect ended refuses a turn")
			}
			lines := p.transcript(t, user, call)
			require.Len(t, lines, 1+2*ok)
			assert.Equal(t, domain.RoleAssistant, lines[0].Role)
			for i := 1; i < len(lines); i += 2 {
				assert.Equal(t, domain.RoleUser, lines[i].Role)
				assert.Equal(t, domain.RoleAssistant, lines[i+1].Role, "each reply follows its line")
				assert.Greater(t, lines[i+1].TimestampMs, lines[i].TimestampMs)
				assert.Greater(t, lines[i].TimestampMs, lines[i-1].TimestampMs)
			}
			assert.GreaterOrEqual(t, ok, 3)
		})
	}
}

func TestTakeTurnIdempotencyKey(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "user_idem")
	call := p.call(t, user, 0, domain.ModeColdCall)
	m := app.Meta{Actor: user, IdempotencyKey: "turn-1"}
	first, err := p.app.TakeTurn(ctx, m, user, call, "Hi Maya, this is Sam from Routewise.", app.TurnOptions{})
	require.NoError(t, err)
	var before int
	require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE stream_id = $1`, call).Scan(&before))
	p.clock.Advance(time.Minute)
	again, err := p.app.TakeTurn(ctx, m, user, call, "Hi Maya, this is Sam from Routewise.", app.TurnOptions{})
	require.NoError(t, err)
	assert.Equal(t, first, again, "a retry returns the recorded turn")
	var after int
	require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE stream_id = $1`, call).Scan(&after))
	assert.Equal(t, before, after, "and records nothing")

	other := p.user(t, "user_idem_other")
	_, err = p.app.TakeTurn(ctx, m, other, call, "Hi", app.TurnOptions{})
	assert.ErrorIs(t, err, domain.ErrNotFound, "the key does not open another user's call")

	next, err := p.app.TakeTurn(ctx, app.Meta{Actor: user, IdempotencyKey: "turn-2"}, user, call, "Do you have a minute?", app.TurnOptions{})
	require.NoError(t, err)
	assert.Nil(t, next.Opening)
	assert.Greater(t, next.Version, first.Version)
}
