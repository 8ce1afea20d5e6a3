package scoring_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/testenv"
	"github.com/sparrow-coach/sparrow/projections"
)

type rig struct {
	app     *app.App
	pool    *pgxpool.Pool
	store   *eventstore.Store
	jobs    *projections.Runner
	user    string
	persona string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	e := testenv.New(t)
	jobs := e.NewRunner(t, projections.WorkQueues())
	e.StartProjections(t, jobs)
	a, pool, store := e.App, e.Pool, e.Store
	persona := uuid.NewString()
	_, err := a.SeedPresets(context.Background(), map[string]domain.PersonaProfile{persona: {Name: "Pat", Role: "CFO", Company: "Acme",
		Industry: "SaaS", Personality: domain.PersonalityBusy, Difficulty: domain.DifficultyEasy, Backstory: "b", VoiceID: "v", SystemPrompt: "s"}})
	require.NoError(t, err)
	user, err := a.EnsureUser(context.Background(), app.Meta{Actor: "test"}, app.Identity{Subject: "user_w", Email: "w@example.com"})
	require.NoError(t, err)
	return &rig{app: a, pool: pool, store: store, jobs: jobs, user: user, persona: persona}
}

// endedCall makes a call with a short discovery conversation and ends it.
func (r *rig) endedCall(t *testing.T) string {
	t.Helper()
	ctx, m := context.Background(), app.Meta{Actor: r.user}
	id, err := r.app.CreateCall(ctx, m, r.user, r.persona, domain.ModeDiscovery)
	require.NoError(t, err)
	require.NoError(t, r.app.StartCall(ctx, m, r.user, id, time.Now().Add(-5*time.Minute), ""))
	_, err = r.app.AddTranscript(ctx, m, r.user, id, []domain.TranscriptEntry{
		{Role: domain.RoleUser, Content: "Hi Pat, this is Sam from Routewise. How are you?", TimestampMs: 0},
		{Role: domain.RoleAssistant, Content: "Busy. What is this about?", TimestampMs: 4000},
		{Role: domain.RoleUser, Content: "How do you plan driver schedules today?", TimestampMs: 9000},
		{Role: domain.RoleAssistant, Content: "Spreadsheets, and it eats my Mondays.", TimestampMs: 14000},
	})
	require.NoError(t, err)
	res, err := r.app.EndCall(ctx, m, r.user, id, "", "")
	require.NoError(t, err)
	require.Equal(t, scoring.BuiltinName, res.QuickScore.Provider)
	return id
}

// drain runs the worker until no job is due (waiting for the jobs projector first).
func (r *rig) drain(t *testing.T, w *scoring.Worker) int {
	t.Helper()
	ctx := context.Background()
	last, err := r.store.ReadBatch(ctx, nil, eventstore.Position{}, 0, 100000, eventstore.Filter{})
	require.NoError(t, err)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, r.jobs.WaitFor(wctx, last[len(last)-1].Position))
	n := 0
	for {
		ok, err := w.RunOnce(ctx)
		require.NoError(t, err)
		if !ok {
			return n
		}
		n++
	}
}

func (r *rig) deepScores(t *testing.T, callID string) []*domain.CallDeepScored {
	t.Helper()
	evs, err := r.store.Load(context.Background(), callID)
	require.NoError(t, err)
	var out []*domain.CallDeepScored
	for _, e := range evs {
		if d, ok := e.Data.(*domain.CallDeepScored); ok {
			out = append(out, d)
		}
	}
	return out
}

func TestWorkerDeepScoresEachTranscriptVersionOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	w, err := scoring.NewWorker(r.app, r.pool, scoring.WorkerConfig{})
	require.NoError(t, err)
	call := r.endedCall(t)
	assert.Equal(t, 1, r.drain(t, w))
	scores := r.deepScores(t, call)
	require.Len(t, scores, 1)
	assert.Equal(t, 4, scores[0].TranscriptVersion)
	assert.Equal(t, scoring.BuiltinName, scores[0].Provider)
	assert.NotEmpty(t, scores[0].Metrics)
	assert.Zero(t, r.drain(t, w), "nothing is due once the transcript is scored")
	assert.Len(t, r.deepScores(t, call), 1)

	// The post-call webhook brings a late line: the call is scored again, at the new version.
	// (no user scope: the webhook acts for the system)
	_, err = r.app.AddTranscript(context.Background(), app.Meta{Actor: eventstore.ActorWebhookElevenLab}, "", call,
		[]domain.TranscriptEntry{{Role: domain.RoleAssistant, Content: "Send me something on Tuesday at 2pm.", TimestampMs: 20000}})
	require.NoError(t, err)
	assert.Equal(t, 1, r.drain(t, w))
	scores = r.deepScores(t, call)
	require.Len(t, scores, 2)
	assert.Equal(t, 5, scores[1].TranscriptVersion)

	view, err := r.app.Score(context.Background(), r.user, call)
	require.NoError(t, err)
	assert.Equal(t, app.DeepReady, view.DeepStatus)
	require.NotNil(t, view.Deep)
	assert.Equal(t, 5, view.Deep.TranscriptVersion)
}

type failingProvider struct{ err error }

func (failingProvider) Name() string { return "flaky" }
func (f failingProvider) DeepScore(context.Context, domain.ScoreInput) (domain.DeepScore, error) {
	return domain.DeepScore{}, f.err
}

type lyingProvider struct{}

func (lyingProvider) Name() string { return "liar" }
func (lyingProvider) DeepScore(_ context.Context, in domain.ScoreInput) (domain.DeepScore, error) {
	return domain.DeepScore{Overall: 95, Opening: 10, Discovery: 10, ObjectionHandling: 10, Communication: 10, Closing: 10,
		KeyMoments: []domain.KeyMoment{{Type: domain.KeyMomentStrength, Quote: "words nobody said", Description: "x"}}}, nil
}

func TestChainFallsBackToTheBuiltinRubricAndRecordsFailures(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	w, err := scoring.NewWorker(r.app, r.pool, scoring.WorkerConfig{Chain: scoring.DeepChain{Providers: []scoring.DeepProvider{
		failingProvider{errors.New("503 upstream")}, lyingProvider{}}}})
	require.NoError(t, err)
	call := r.endedCall(t)
	assert.Equal(t, 1, r.drain(t, w))
	scores := r.deepScores(t, call)
	require.Len(t, scores, 1)
	assert.Equal(t, scoring.BuiltinName, scores[0].Provider, "the failing and the lying provider were both refused")

	evs, err := r.store.Load(context.Background(), call)
	require.NoError(t, err)
	var failed *domain.CallDeepScoringFailed
	for _, e := range evs {
		if f, ok := e.Data.(*domain.CallDeepScoringFailed); ok {
			failed = f
		}
	}
	require.NotNil(t, failed, "the failures are in the call's history")
	assert.Contains(t, failed.Reason, "flaky: 503 upstream")
	assert.Contains(t, failed.Reason, "liar: rejected answer")
	assert.True(t, failed.Partial, "the built-in rubric scored the call: not a failure the user is told of")
	require.Eventually(t, func() bool {
		v, err := r.app.Score(context.Background(), r.user, call)
		return err == nil && v.Deep != nil && v.DeepStatus == "ready" && v.DeepError == nil
	}, 10*time.Second, 20*time.Millisecond, "the score never says failed")
}

func TestAClaimedJobIsRetriedAfterItsLeaseWhenTheWorkerDies(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	call := r.endedCall(t)
	// Claim the job the way a worker that then dies would: lease taken, nothing appended.
	_, err := r.pool.Exec(context.Background(), `UPDATE scoring_jobs SET not_before = now() + interval '300 milliseconds', attempts = 1 WHERE call_id = $1`, call)
	require.NoError(t, err)
	healthy, err := scoring.NewWorker(r.app, r.pool, scoring.WorkerConfig{})
	require.NoError(t, err)
	ok, err := healthy.RunOnce(context.Background())
	require.NoError(t, err)
	assert.False(t, ok, "the job is leased")
	time.Sleep(400 * time.Millisecond)
	assert.Equal(t, 1, r.drain(t, healthy))
	assert.Len(t, r.deepScores(t, call), 1)
}
