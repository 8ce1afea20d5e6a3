package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

func TestProfileGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := e.newUser(t), e.newUser(t)
	pa := decode[api.Profile](t, e.get(t, "/api/user/profile", a), http.StatusOK)
	pb := decode[api.Profile](t, e.get(t, "/api/user/profile", b), http.StatusOK)
	assert.NotEqual(t, pa.ID, pb.ID, "each token sees its own profile")
	assert.NotEqual(t, pa.Email, pb.Email)
	assert.Equal(t, map[string]string{}, pa.OnboardingData)
}

func TestProfileUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	otherBefore := decode[api.Profile](t, e.get(t, "/api/user/profile", other), http.StatusOK)
	decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK)
	before := e.countEvents(t)

	tests := []struct {
		name  string
		body  any
		field string
	}{
		{name: "empty object", body: map[string]any{}, field: "body"},
		{name: "email is not editable", body: map[string]any{"email": "x@example.com"}, field: "email"},
		{name: "name of wrong type", body: map[string]any{"fullName": 7}, field: "fullName"},
		{name: "name too long", body: map[string]any{"fullName": strings.Repeat("a", 201)}, field: "fullName"},
		{name: "invalid UTF-8", body: []byte("{\"fullName\": \"\xff\xfe\"}"), field: "body"},
		{name: "not an object", body: `[1,2]`, field: "body"},
		{name: "trailing data", body: `{"fullName": "A"} {"fullName": "B"}`, field: "body"},
		{name: "no body", body: nil, field: "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertError(t, e.patch(t, "/api/user/profile", tok, tt.body), http.StatusBadRequest, api.CodeValidation, tt.field)
		})
	}
	assert.Equal(t, before, e.countEvents(t), "invalid updates store nothing")

	p := decode[api.Profile](t, e.patch(t, "/api/user/profile", tok, map[string]any{"fullName": "  Sam Renamed ", "avatarUrl": "https://img.example.com/a.png"}), http.StatusOK)
	require.NotNil(t, p.FullName)
	assert.Equal(t, "Sam Renamed", *p.FullName)
	require.NotNil(t, p.AvatarURL)
	assert.Equal(t, "https://img.example.com/a.png", *p.AvatarURL)
	// Read-your-writes, and the other user is untouched.
	again := decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK)
	assert.Equal(t, "Sam Renamed", *again.FullName)
	assert.Equal(t, otherBefore, decode[api.Profile](t, e.get(t, "/api/user/profile", other), http.StatusOK))
}

func TestOnboardingComplete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK)
	before := e.countEvents(t)

	tests := []struct {
		name  string
		body  any
		field string
	}{
		{name: "missing timezone", body: map[string]any{"data": map[string]string{"role": "AE"}}, field: "timezone"},
		{name: "unknown timezone", body: map[string]any{"timezone": "Mars/Olympus_Mons"}, field: "timezone"},
		{name: "Local is not a zone", body: map[string]any{"timezone": "Local"}, field: "timezone"},
		{name: "empty timezone", body: map[string]any{"timezone": ""}, field: "timezone"},
		{name: "timezone of wrong type", body: map[string]any{"timezone": 1}, field: "timezone"},
		{name: "data of wrong type", body: map[string]any{"timezone": "UTC", "data": []string{"a"}}, field: "data"},
		{name: "answer too long", body: map[string]any{"timezone": "UTC", "data": map[string]string{"goal": strings.Repeat("x", 1001)}}, field: "data.goal"},
		{name: "unknown field", body: map[string]any{"timezone": "UTC", "plan": "pro"}, field: "plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertError(t, e.post(t, "/api/user/onboarding", tok, tt.body), http.StatusBadRequest, api.CodeValidation, tt.field)
		})
	}
	assert.Equal(t, before, e.countEvents(t), "invalid onboarding stores nothing")

	p := decode[api.Profile](t, e.post(t, "/api/user/onboarding", tok, map[string]any{
		"timezone": "America/New_York", "data": map[string]string{"role": "SDR", "goal": "book more meetings"}}), http.StatusOK)
	assert.True(t, p.OnboardingCompleted)
	require.NotNil(t, p.Timezone)
	assert.Equal(t, "America/New_York", *p.Timezone)
	assert.Equal(t, "SDR", p.OnboardingData["role"])
	prog := decode[api.Progress](t, e.get(t, "/api/user/progress", tok), http.StatusOK)
	assert.Equal(t, "America/New_York", prog.Timezone, "the zone reaches the stats")
}

func TestProgressGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)

	empty := decode[api.Progress](t, e.get(t, "/api/user/progress", tok), http.StatusOK)
	assert.Zero(t, empty.TotalCalls)
	assert.Equal(t, map[string]int{"cold_call": 0, "discovery": 0, "objection_gauntlet": 0}, empty.CallsByMode)
	assert.Empty(t, empty.RecentScores)
	assert.Nil(t, empty.CategoryAverages)

	c := e.endedCall(t, tok)
	// A deep score gives category averages.
	deep := domain.CallDeepScored{Overall: 70, Opening: 70, Discovery: 70, ObjectionHandling: 70, Communication: 70, Closing: 70,
		Summary: "ok", Provider: "test", Model: "m", RubricVersion: "v1", TranscriptVersion: 2}
	require.NoError(t, e.app.RecordDeepScore(context.Background(), app.Meta{Actor: "system"}, c.ID, deep))

	p := decode[api.Progress](t, e.get(t, "/api/user/progress", tok), http.StatusOK)
	assert.Equal(t, 1, p.TotalCalls)
	assert.Equal(t, 1, p.CallsByMode["cold_call"])
	assert.Equal(t, 1, p.CurrentStreak)
	assert.Equal(t, 1, p.LongestStreak)
	require.NotNil(t, p.LastCallDate)
	assert.Equal(t, time.Now().UTC().Format(time.DateOnly), *p.LastCallDate)
	require.Len(t, p.RecentScores, 1)
	assert.Equal(t, c.ID, p.RecentScores[0].CallID)
	assert.Equal(t, 70, p.RecentScores[0].OverallScore)
	require.NotNil(t, p.CategoryAverages)
	assert.Equal(t, 1, p.CategoryAverages.Calls)
	assert.InDelta(t, 70, p.CategoryAverages.Opening, 0.01)

	// Isolation: the other user's stats are untouched.
	po := decode[api.Progress](t, e.get(t, "/api/user/progress", other), http.StatusOK)
	assert.Zero(t, po.TotalCalls)
	assert.Empty(t, po.RecentScores)
}
