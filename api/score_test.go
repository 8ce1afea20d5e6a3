package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

func testDeepScore(tv int) domain.CallDeepScored {
	return domain.CallDeepScored{Overall: 74, Opening: 80, Discovery: 70, ObjectionHandling: 65, Communication: 85, Closing: 75,
		Strengths:    []domain.Insight{{Point: "Clear opener", Evidence: "Hi Dana, this is Sam from Sparrow."}},
		Improvements: []domain.Insight{{Point: "Ask about pains", Evidence: "No discovery questions"}},
		KeyMoments: []domain.KeyMoment{{TimestampMs: 0, Type: domain.KeyMomentStrength, Description: "Named himself",
			Quote: "Hi Dana, this is Sam from Sparrow."}},
		Summary: "A decent start.", Provider: "test", Model: "deep-1", RubricVersion: "rubric-v1", TranscriptVersion: tv,
		Metrics: json.RawMessage(`{"talkRatio":0.5,"questions":1}`)}
}

func TestScoreGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	ctx := context.Background()

	t.Run("a call that has not ended has no score yet", func(t *testing.T) {
		c := e.startedCall(t, tok)
		s := decode[api.Score](t, e.get(t, "/api/calls/"+c.ID+"/score", tok), http.StatusOK)
		assert.Equal(t, "pending", s.Status)
		assert.Nil(t, s.Quick)
		assert.Nil(t, s.Deep)
		assert.Nil(t, s.OverallScore)
	})

	c := e.endedCall(t, tok)
	path := "/api/calls/" + c.ID + "/score"
	s := decode[api.Score](t, e.get(t, path, tok), http.StatusOK)
	assert.Equal(t, "pending", s.Status, "quick score only: deep analysis pending")
	require.NotNil(t, s.Quick)
	assert.Equal(t, 72, s.Quick.Overall)
	assert.Equal(t, "test", s.Quick.Provider)
	require.NotNil(t, s.OverallScore)
	assert.Equal(t, 72, *s.OverallScore)
	assert.Nil(t, s.Deep)
	assert.Equal(t, 2, s.TranscriptVersion)

	assertError(t, e.get(t, path, other), http.StatusNotFound, api.CodeNotFound, "")

	require.NoError(t, e.app.RecordDeepScoringFailure(ctx, app.Meta{Actor: "system"}, c.ID, "provider down", 2, false))
	f := decode[api.Score](t, e.get(t, path, tok), http.StatusOK)
	assert.Equal(t, "failed", f.Status)
	require.NotNil(t, f.DeepError)
	assert.Equal(t, "provider down", *f.DeepError)

	require.NoError(t, e.app.RecordDeepScore(ctx, app.Meta{Actor: "system"}, c.ID, testDeepScore(2)))
	r := decode[api.Score](t, e.get(t, path, tok), http.StatusOK)
	assert.Equal(t, "ready", r.Status)
	require.NotNil(t, r.Deep)
	assert.Equal(t, 74, r.Deep.OverallScore)
	assert.Equal(t, 65, r.Deep.ObjectionScore)
	assert.Equal(t, 85, r.Deep.CommunicationScore)
	assert.Equal(t, []api.Insight{{Point: "Clear opener", Evidence: "Hi Dana, this is Sam from Sparrow."}}, r.Deep.Strengths)
	require.Len(t, r.Deep.KeyMoments, 1)
	assert.Equal(t, "strength", r.Deep.KeyMoments[0].Type)
	assert.JSONEq(t, `{"talkRatio":0.5,"questions":1}`, string(r.Deep.Metrics))
	assert.Equal(t, "rubric-v1", r.Deep.RubricVersion)
	assert.Equal(t, 74, *r.OverallScore, "the deep overall score wins once there is one")

	t.Run("a late transcript line makes deep analysis pending again", func(t *testing.T) {
		decode[api.TranscriptAdded](t, e.post(t, "/api/calls/"+c.ID+"/transcript", tok, map[string]any{"role": "user", "content": "One more thing", "timestampMs": 9000}), http.StatusCreated)
		p := decode[api.Score](t, e.get(t, path, tok), http.StatusOK)
		assert.Equal(t, "pending", p.Status)
		assert.Equal(t, 3, p.TranscriptVersion)
		assert.NotNil(t, p.Deep, "the previous analysis is still shown")
	})
}

func TestCallEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	c := e.endedCall(t, tok)
	path := "/api/calls/" + c.ID + "/events"
	owner := decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK)

	l := decode[api.CallEventList](t, e.get(t, path, tok), http.StatusOK)
	var types []string
	for i, ev := range l.Events {
		types = append(types, ev.Type)
		assert.Equal(t, i+1, ev.Version)
		assert.Equal(t, owner.ID, ev.Actor)
		assert.NotEmpty(t, ev.ID)
		assert.False(t, ev.Time.IsZero())
	}
	assert.Equal(t, []string{"CallCreated", "CallStarted", "TranscriptChunkAdded", "TranscriptChunkAdded", "CallEnded", "CallQuickScored"}, types)
	var chunk domain.TranscriptChunkAdded
	require.NoError(t, json.Unmarshal(l.Events[2].Payload, &chunk))
	assert.Equal(t, "Hi Dana, this is Sam from Sparrow.", chunk.Content)

	after := decode[api.CallEventList](t, e.get(t, path+"?after=4", tok), http.StatusOK)
	require.Len(t, after.Events, 2)
	assert.Equal(t, 5, after.Events[0].Version)

	assertError(t, e.get(t, path, other), http.StatusNotFound, api.CodeNotFound, "")
	assertError(t, e.get(t, path+"?after=-1", tok), http.StatusBadRequest, api.CodeValidation, "after")
	assertError(t, e.get(t, path+"?after=x", tok), http.StatusBadRequest, api.CodeValidation, "after")
}
