package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
)

// grownCall is a started call of the token's user with lines transcript
// lines of size bytes each (see grow).
func (e *env) grownCall(t testing.TB, token string, lines, size int) api.Call {
	t.Helper()
	c := e.startedCall(t, token)
	e.grow(t, c, lines, size)
	return c
}

// grow appends lines transcript lines of size bytes each ("0042 xxx...") to
// the started call c, straight to the log, in one go. It does not wait for
// the read tables (a few thousand lines take a loaded machine minutes to
// project): what follows should read the log, or need only what the read
// tables knew before.
func (e *env) grow(t testing.TB, c api.Call, lines, size int) {
	t.Helper()
	evs := make([]eventstore.NewEvent, 0, lines)
	for i := 1; i <= lines; i++ {
		text := fmt.Sprintf("%04d ", i)
		text += strings.Repeat("x", max(0, size-len(text)))
		evs = append(evs, eventstore.NewEvent{ID: app.NewID(), Data: &domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{
			Role: domain.RoleUser, Content: text, TimestampMs: int64(i)}}, Meta: eventstore.Metadata{Actor: c.UserID, OccurredAt: time.Now()}})
	}
	_, err := e.store.Append(context.Background(), c.ID, 2, evs...)
	require.NoError(t, err)
}

// A request that would take a call past its maximum size answers 422
// LIMIT_EXCEEDED on entries and stores nothing, whatever the route (the
// transcript, a turn); up to the bound it is taken. The ElevenLabs
// post-call webhook is the exception (TestElevenLabsWebhookPastTheMaximumSize).
func TestCallMaximumSize(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks(t))
	tok := e.newUser(t)
	line := func(content string) map[string]any {
		return map[string]any{"role": "user", "content": content, "timestampMs": 1}
	}

	big, c := e.startedCall(t, tok), e.startedCall(t, tok) // both before the read tables have thousands of lines to project

	// 209 lines of 10,000 bytes leave 7,152 bytes of the 2 MiB.
	e.grow(t, big, 209, domain.MaxTranscriptContent)
	room := domain.MaxCallBytes - 209*domain.MaxTranscriptContent
	require.Equal(t, 7152, room)
	before := e.countEvents(t)
	r := e.post(t, "/api/calls/"+big.ID+"/transcript", tok, line(strings.Repeat("y", room+1)))
	assertError(t, r, http.StatusUnprocessableEntity, api.CodeLimitExceeded, "entries")
	assert.Contains(t, r.apiError(t).Error.Message, "2097152 bytes")
	assert.Equal(t, before, e.countEvents(t))
	added := decode[api.TranscriptAdded](t, e.post(t, "/api/calls/"+big.ID+"/transcript", tok, line(strings.Repeat("y", room))), http.StatusCreated)
	assert.Equal(t, 1, added.Added)
	assertError(t, e.post(t, "/api/calls/"+big.ID+"/transcript", tok, line("z")), http.StatusUnprocessableEntity, api.CodeLimitExceeded, "entries")

	e.grow(t, c, domain.MaxCallLines-1, 10)
	path := "/api/calls/" + c.ID + "/transcript"
	before = e.countEvents(t)
	assertError(t, e.post(t, path, tok, map[string]any{"entries": []any{line("a"), line("b")}}), http.StatusUnprocessableEntity, api.CodeLimitExceeded, "entries")
	assertError(t, e.post(t, "/api/calls/"+c.ID+"/turns", tok, map[string]any{"content": "Are you still there?"}),
		http.StatusUnprocessableEntity, api.CodeLimitExceeded, "entries") // the rep's line fits, the reply would not
	assert.Equal(t, before, e.countEvents(t), "nothing stored past the maximum")

	decode[api.TranscriptAdded](t, e.post(t, path, tok, line("the last line")), http.StatusCreated)
	before = e.countEvents(t)
	assertError(t, e.post(t, path, tok, line("one line too many")), http.StatusUnprocessableEntity, api.CodeLimitExceeded, "entries")
	assertError(t, e.post(t, "/api/calls/"+c.ID+"/turns", tok, map[string]any{"content": "Are you still there?"}),
		http.StatusUnprocessableEntity, api.CodeLimitExceeded, "entries")
	assert.Equal(t, before, e.countEvents(t), "nothing stored past the maximum")
}

// A signed ElevenLabs post-call delivery whose conversation would take the
// call past its maximum size is not refused (ElevenLabs would retry it for
// ever, and the call would stay in progress): the lines that fit are
// recorded in order, the rest dropped, the call is ended with reason
// transcript_limit_exceeded and quick-scored, and the delivery is
// acknowledged with 200 and result "truncated". Its redelivery changes
// nothing.
func TestElevenLabsWebhookPastTheMaximumSize(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks(t))
	tok := e.newUser(t)
	c := e.startedCall(t, tok)
	e.grow(t, c, 209, domain.MaxTranscriptContent) // 7,152 bytes of the 2 MiB left
	now := time.Now()
	// The second line (7,200 bytes) does not fit; the third would, but comes after it.
	body := elevenlabsfake.TranscriptionEvent(conversation("conv_long", c.ID,
		item("agent", "Are you still there?", 0), item("user", strings.Repeat("and another thing ", 400), 2), item("agent", "Okay, bye.", 9)),
		now)
	before := e.countEvents(t)
	ack := decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK)
	assert.Equal(t, api.WebhookTruncated, ack.Result)
	require.NotNil(t, ack.CallID)
	assert.Equal(t, c.ID, *ack.CallID)

	got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
	assert.Equal(t, "completed", got.Status, "the call does not stay in progress")
	require.NotNil(t, got.EndReason)
	assert.Equal(t, app.EndReasonTranscriptLimit, *got.EndReason)
	assert.Equal(t, 210, got.TranscriptVersion, "the first line fit, the rest did not")
	score := decode[api.Score](t, e.get(t, "/api/calls/"+c.ID+"/score", tok), http.StatusOK)
	require.NotNil(t, score.Quick, "quick-scored on the lines it holds")
	assert.Greater(t, e.countEvents(t), before)

	events := e.countEvents(t)
	again := decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now.Add(time.Minute)), http.StatusOK)
	assert.Equal(t, api.WebhookIgnored, again.Result, "a redelivery changes nothing")
	assert.Equal(t, events, e.countEvents(t))
}

// Following next through GET /events covers the history exactly once, in
// order, a page of at most limit events at a time.
func TestCallEventsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	c := e.grownCall(t, tok, 1234, 20)
	total := 2 + 1234
	path := "/api/calls/" + c.ID + "/events"

	first := decode[api.CallEventList](t, e.get(t, path, tok), http.StatusOK)
	assert.Len(t, first.Events, app.DefaultEventsPage, "no limit: the default page")
	require.NotNil(t, first.NextAfter)
	assert.Equal(t, app.DefaultEventsPage, *first.NextAfter)
	require.NotNil(t, first.Next)
	assert.Equal(t, path+"?after=500&limit=500", *first.Next)

	for _, limit := range []int{1000, 300, 617} {
		var versions []int
		next, pages := path+"?limit="+strconv.Itoa(limit), 0
		for {
			l := decode[api.CallEventList](t, e.get(t, next, tok), http.StatusOK)
			pages++
			require.LessOrEqual(t, len(l.Events), limit)
			for _, ev := range l.Events {
				versions = append(versions, ev.Version)
			}
			if l.Next == nil {
				assert.Nil(t, l.NextAfter)
				break
			}
			require.NotNil(t, l.NextAfter)
			assert.Equal(t, versions[len(versions)-1], *l.NextAfter)
			next = *l.Next
		}
		require.Len(t, versions, total, "limit %d", limit)
		for i, v := range versions {
			require.Equal(t, i+1, v, "limit %d: every event once, in order", limit)
		}
		assert.Equal(t, (total+limit-1)/limit, pages, "limit %d", limit)
	}

	last := decode[api.CallEventList](t, e.get(t, path+"?after="+strconv.Itoa(total), tok), http.StatusOK)
	assert.Empty(t, last.Events)
	assert.Nil(t, last.Next)
	for _, q := range []string{"limit=0", "limit=1001", "limit=-1", "limit=ten", "limit=1.5"} {
		assertError(t, e.get(t, path+"?"+q, tok), http.StatusBadRequest, api.CodeValidation, "limit")
	}
	assertError(t, e.get(t, path+"?limit=10", other), http.StatusNotFound, api.CodeNotFound, "")
}

// A client without Last-Event-ID on a large call (2 MB of text, several
// pages of the history) gets every line, in order, once (the server reads
// and writes the history in pages), then live events as they come.
func TestCallStreamSendsALargeHistoryInOrder(t *testing.T) {
	t.Parallel()
	e := streamEnv(t)
	tok := e.newUser(t)
	const lines = 5*app.StreamPage + 17
	c := e.grownCall(t, tok, lines, 2000)
	s := e.openStream(t, c.ID, tok, "")
	started := s.next(t, 10*time.Second)
	assert.Equal(t, api.SSECallStarted, started.event)
	for i := 1; i <= lines; i++ {
		ev := s.next(t, 10*time.Second)
		require.Equal(t, api.SSETranscript, ev.event)
		require.Equal(t, strconv.Itoa(i+2), ev.id)
		require.Contains(t, ev.data, fmt.Sprintf(`"content":"%04d x`, i))
	}
	_, err := e.app.EndCall(context.Background(), app.Meta{Actor: "test"}, "", c.ID, "user_ended", "")
	require.NoError(t, err)
	assert.Equal(t, api.SSECallEnded, s.next(t, 10*time.Second).event)
}
