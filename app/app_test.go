package app_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

// newApp is newPractice (turns_test.go) with one preset persona to use.
func newApp(t *testing.T) (*app.App, string) {
	t.Helper()
	p := newPractice(t)
	return p.app, p.presets[0].ID
}

// When a command returns, a read of what it changed sees it.
func TestReadYourWrites(t *testing.T) {
	t.Parallel()
	a, persona := newApp(t)
	ctx := context.Background()
	m := app.Meta{Actor: "test"}
	user, err := a.EnsureUser(ctx, m, app.Identity{Subject: "user_ryw", Email: "ryw@example.com"})
	require.NoError(t, err)
	misses := 0
	for i := 0; i < 1000; i++ {
		id, err := a.CreateCall(ctx, m, user, persona, domain.ModeColdCall)
		require.NoError(t, err)
		if _, err := a.GetCall(ctx, user, id); err != nil {
			misses++
		}
	}
	assert.Zero(t, misses, "create-then-read misses out of 1000")
	calls, _, err := a.ListCalls(ctx, user, app.CallFilter{Limit: 100})
	require.NoError(t, err)
	assert.Len(t, calls, 100)
}

// Many concurrent writers on one call all succeed, and nothing is lost.
func TestConcurrentTranscriptWritesToOneCall(t *testing.T) {
	t.Parallel()
	a, persona := newApp(t)
	ctx := context.Background()
	m := app.Meta{Actor: "test"}
	user, err := a.EnsureUser(ctx, m, app.Identity{Subject: "user_conc", Email: "conc@example.com"})
	require.NoError(t, err)
	call, err := a.CreateCall(ctx, m, user, persona, domain.ModeDiscovery)
	require.NoError(t, err)
	require.NoError(t, a.StartCall(ctx, m, user, call, practiceStart, ""))
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.AddTranscript(ctx, m, user, call, []domain.TranscriptEntry{{Role: domain.RoleUser, Content: "line", TimestampMs: int64(i)}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	lines, err := a.Transcript(ctx, user, call)
	require.NoError(t, err)
	assert.Len(t, lines, 50)
	res, err := a.EndCall(ctx, m, user, call, "", "")
	require.NoError(t, err)
	assert.Equal(t, 50, res.QuickScore.Overall, "the quick score saw all 50 lines")
	again, err := a.EndCall(ctx, m, user, call, "", "")
	require.NoError(t, err, "ending twice returns the recorded quick score")
	assert.Equal(t, res.QuickScore, again.QuickScore)
}

// Another user's call is not found, exactly like a missing one.
func TestCallsAreScopedToTheirUser(t *testing.T) {
	t.Parallel()
	a, persona := newApp(t)
	ctx := context.Background()
	m := app.Meta{Actor: "test"}
	owner, err := a.EnsureUser(ctx, m, app.Identity{Subject: "user_owner", Email: "owner@example.com"})
	require.NoError(t, err)
	other, err := a.EnsureUser(ctx, m, app.Identity{Subject: "user_other", Email: "other@example.com"})
	require.NoError(t, err)
	call, err := a.CreateCall(ctx, m, owner, persona, domain.ModeColdCall)
	require.NoError(t, err)
	_, err = a.GetCall(ctx, other, call)
	assert.ErrorIs(t, err, domain.ErrNotFound)
	err = a.StartCall(ctx, m, other, call, practiceStart, "")
	assert.ErrorIs(t, err, domain.ErrNotFound)
	_, _, err = a.CallEvents(ctx, other, call, 0, 0)
	assert.ErrorIs(t, err, domain.ErrNotFound)
	_, err = a.Transcript(ctx, other, call)
	assert.ErrorIs(t, err, domain.ErrNotFound)
}
