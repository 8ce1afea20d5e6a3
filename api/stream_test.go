package api_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// sseEvent is one dispatched frame (or a comment).
type sseEvent struct {
	id, event, data string
	hasID           bool
	comment         string
	at              time.Time
}

// sseClient reads an event stream in the background.
type sseClient struct {
	resp   *http.Response
	events chan sseEvent
	cancel context.CancelFunc
	done   chan struct{}
}

func (e *env) openStream(t testing.TB, callID, token, lastEventID string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.http.URL+"/api/calls/"+callID+"/stream", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+token)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	c := &sseClient{resp: resp, events: make(chan sseEvent, 1024), cancel: cancel, done: make(chan struct{})}
	go c.read()
	t.Cleanup(c.close)
	return c
}

func (c *sseClient) read() {
	defer close(c.done)
	defer close(c.events)
	sc := bufio.NewScanner(c.resp.Body)
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.event != "" || cur.data != "" {
				cur.at = time.Now()
				c.events <- cur
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, ":"):
			c.events <- sseEvent{comment: strings.TrimSpace(line[1:]), at: time.Now()}
		case strings.HasPrefix(line, "id: "):
			cur.id, cur.hasID = line[4:], true
		case strings.HasPrefix(line, "event: "):
			cur.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			cur.data = line[6:]
		}
	}
}

func (c *sseClient) close() {
	c.cancel()
	c.resp.Body.Close()
	<-c.done
}

// next returns the next frame (skipping comments), failing after timeout.
func (c *sseClient) next(t testing.TB, timeout time.Duration) sseEvent {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev, ok := <-c.events:
			require.True(t, ok, "stream ended")
			if ev.comment != "" {
				continue
			}
			return ev
		case <-deadline:
			require.FailNow(t, "no event within "+timeout.String())
		}
	}
}

// drain returns the frames that arrive until the stream is quiet for quiet.
// (heartbeat comments do not count as activity).
func (c *sseClient) drain(quiet time.Duration) []sseEvent {
	var out []sseEvent
	timer := time.NewTimer(quiet)
	defer timer.Stop()
	for {
		select {
		case ev, ok := <-c.events:
			if !ok {
				return out
			}
			if ev.comment == "" {
				out = append(out, ev)
				timer.Reset(quiet)
			}
		case <-timer.C:
			return out
		}
	}
}

var frameSchema = map[string]string{
	api.SSETranscript: "TranscriptEntry", api.SSECallStarted: "StreamCallStarted", api.SSECallEnded: "StreamCallEnded",
	api.SSECallFailed: "StreamCallFailed", api.SSEScoreReady: "StreamScoreReady", api.SSEFeedbackReady: "StreamFeedbackReady",
	api.SSEScoreFailed: "StreamScoreFailed", api.SSEHint: "Hint",
}

func checkFrame(t testing.TB, ev sseEvent) {
	t.Helper()
	name, ok := frameSchema[ev.event]
	require.True(t, ok, "unknown event %q", ev.event)
	validateSchema(t, name, []byte(ev.data))
}

func streamEnv(t testing.TB) *env {
	return newEnv(t, func(o *envOptions) {
		o.cfg.Stream.Heartbeat = 150 * time.Millisecond
		o.cfg.Stream.FallbackPoll = time.Minute // only a wake can deliver quickly
	})
}

func TestCallStreamDeliversEachEventOnCommit(t *testing.T) {
	t.Parallel()
	e := streamEnv(t)
	tok := e.newUser(t)
	c := e.startedCall(t, tok)
	s := e.openStream(t, c.ID, tok, "")

	started := s.next(t, 5*time.Second)
	assert.Equal(t, api.SSECallStarted, started.event)
	assert.Equal(t, "2", started.id, "CallCreated (version 1) has no frame; CallStarted is version 2")
	checkFrame(t, started)

	for i := range 5 {
		sent := time.Now()
		added := decode[api.TranscriptAdded](t, e.post(t, "/api/calls/"+c.ID+"/transcript", tok,
			map[string]any{"role": "user", "content": "line " + strconv.Itoa(i), "timestampMs": i * 1000}), http.StatusCreated)
		ev := s.next(t, 5*time.Second)
		assert.Equal(t, api.SSETranscript, ev.event)
		assert.Equal(t, strconv.Itoa(added.Version), ev.id)
		assert.Contains(t, ev.data, `"content":"line `+strconv.Itoa(i)+`"`)
		checkFrame(t, ev)
		// The fallback poll is a minute: only the commit wake can be this fast.
		assert.Less(t, ev.at.Sub(sent), 2*time.Second)
	}

	decode[api.CallEnded](t, e.post(t, "/api/calls/"+c.ID+"/end", tok, nil), http.StatusOK)
	ended, quick := s.next(t, 5*time.Second), s.next(t, 5*time.Second)
	assert.Equal(t, api.SSECallEnded, ended.event)
	assert.Equal(t, api.SSEScoreReady, quick.event)
	assert.Contains(t, quick.data, `"kind":"quick"`)
	assert.Contains(t, quick.data, `"overall":72`)
	checkFrame(t, ended)
	checkFrame(t, quick)

	require.NoError(t, e.app.RecordDeepScore(context.Background(), app.Meta{Actor: "system"}, c.ID, testDeepScore(5)))
	deep, feedback := s.next(t, 5*time.Second), s.next(t, 5*time.Second)
	assert.Equal(t, api.SSEScoreReady, deep.event)
	assert.Contains(t, deep.data, `"kind":"deep"`)
	assert.False(t, deep.hasID, "the first frame of a two-frame event carries no id")
	assert.Equal(t, api.SSEFeedbackReady, feedback.event)
	checkFrame(t, deep)
	checkFrame(t, feedback)

	// Every id is the version of the event it comes from.
	l := decode[api.CallEventList](t, e.get(t, "/api/calls/"+c.ID+"/events", tok), http.StatusOK)
	types := map[string]string{}
	for _, ev := range l.Events {
		types[strconv.Itoa(ev.Version)] = ev.Type
	}
	for ev, typ := range map[sseEvent]string{started: "CallStarted", ended: "CallEnded", quick: "CallQuickScored", feedback: "CallDeepScored"} {
		assert.Equal(t, typ, types[ev.id], "frame %s id %s", ev.event, ev.id)
	}
}

func TestCallStreamResumesWithoutDuplicatesOrGaps(t *testing.T) {
	t.Parallel()
	e := streamEnv(t)
	tok := e.newUser(t)
	c := e.startedCall(t, tok)
	post := func(i int) {
		decode[api.TranscriptAdded](t, e.post(t, "/api/calls/"+c.ID+"/transcript", tok,
			map[string]any{"role": "assistant", "content": "msg " + strconv.Itoa(i), "timestampMs": i}), http.StatusCreated)
	}
	for i := range 3 {
		post(i)
	}
	first := e.openStream(t, c.ID, tok, "")
	got := []sseEvent{first.next(t, 5*time.Second), first.next(t, 5*time.Second), first.next(t, 5*time.Second)}
	first.close() // disconnect after version 4 (started=2, lines 3 and 4)
	last := got[len(got)-1].id
	require.Equal(t, "4", last)

	for i := 3; i < 8; i++ { // appended while disconnected
		post(i)
	}
	resumed := e.openStream(t, c.ID, tok, last)
	rest := resumed.drain(500 * time.Millisecond)
	post(8) // and one after reconnecting
	rest = append(rest, resumed.next(t, 5*time.Second))
	got = append(got, rest...)

	// The whole stream from scratch, for comparison.
	full := e.openStream(t, c.ID, tok, "").drain(500 * time.Millisecond)
	require.Len(t, full, 1+9, "call:started and nine lines")

	seen := map[string]bool{}
	var ids []string
	for _, ev := range got {
		require.True(t, ev.hasID)
		assert.False(t, seen[ev.id], "event %s delivered twice", ev.id)
		seen[ev.id] = true
		ids = append(ids, ev.id)
	}
	var want []string
	for _, ev := range full {
		want = append(want, ev.id)
	}
	assert.Equal(t, want, ids, "no gaps and in order")

	t.Run("query parameter works like the header", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodGet, e.http.URL+"/api/calls/"+c.ID+"/stream?lastEventId=9", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		resp, err := e.client.Do(req.WithContext(ctx))
		require.NoError(t, err)
		defer resp.Body.Close()
		s := &sseClient{resp: resp, events: make(chan sseEvent, 16), cancel: cancel, done: make(chan struct{})}
		go s.read()
		ev := s.next(t, 5*time.Second)
		assert.Equal(t, "10", ev.id)
		s.close()
	})
	t.Run("invalid Last-Event-ID", func(t *testing.T) {
		r := e.send(t, request{method: http.MethodGet, path: "/api/calls/" + c.ID + "/stream", token: tok, header: map[string]string{"Last-Event-ID": "abc"}})
		assertError(t, r, http.StatusBadRequest, api.CodeValidation, "Last-Event-ID")
	})
	t.Run("Last-Event-ID beyond any stream version", func(t *testing.T) {
		// Accepted and closed at once, an EventSource would reconnect with it for ever.
		r := e.send(t, request{method: http.MethodGet, path: "/api/calls/" + c.ID + "/stream", token: tok, header: map[string]string{"Last-Event-ID": "2147483648"}})
		assertError(t, r, http.StatusBadRequest, api.CodeValidation, "Last-Event-ID")
		r = e.get(t, "/api/calls/"+c.ID+"/stream?lastEventId=99999999999", tok)
		assertError(t, r, http.StatusBadRequest, api.CodeValidation, "lastEventId")
	})
}

func TestCallStreamHeartbeats(t *testing.T) {
	t.Parallel()
	e := streamEnv(t)
	tok := e.newUser(t)
	c := e.createCall(t, tok)
	s := e.openStream(t, c.ID, tok, "")
	var beats int
	deadline := time.After(3 * time.Second)
	for beats < 3 {
		select {
		case ev, ok := <-s.events:
			require.True(t, ok)
			if ev.comment == "heartbeat" {
				beats++
			}
		case <-deadline:
			require.FailNow(t, "fewer than 3 heartbeats in 3s", "got %d", beats)
		}
	}
}

// Appends made by another process (no wake reaches this one) arrive by the fallback poll.
func TestCallStreamFallbackPollSeesOtherProcesses(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.cfg.Stream.FallbackPoll = 200 * time.Millisecond })
	tok := e.newUser(t)
	c := e.startedCall(t, tok)
	s := e.openStream(t, c.ID, tok, "")
	s.next(t, 5*time.Second) // call:started

	other, err := eventstore.NewStore(e.pool, eventstore.StoreConfig{}) // no OnAppend: nobody is woken
	require.NoError(t, err)
	_, err = other.Append(context.Background(), c.ID, 2, eventstore.NewEvent{ID: uuid.NewString(), Meta: eventstore.Metadata{Actor: "webhook:elevenlabs"},
		Data: &domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleAssistant, Content: "from elsewhere", TimestampMs: 1}}})
	require.NoError(t, err)
	ev := s.next(t, 3*time.Second)
	assert.Equal(t, "3", ev.id)
	assert.Contains(t, ev.data, "from elsewhere")
}

func TestServeShutdownEndsStreamsAndDrains(t *testing.T) {
	t.Parallel()
	e := streamEnv(t)
	tok := e.newUser(t)
	c := e.startedCall(t, tok)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- e.server.Serve(ctx, ln) }()

	req, err := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/api/calls/"+c.ID+"/stream", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	cancel()
	select {
	case err := <-served:
		assert.NoError(t, err, "a clean shutdown even with an open stream")
	case <-time.After(10 * time.Second):
		require.FailNow(t, "Serve did not return after its context ended")
	}
	// The stream was ended by the server.
	_, err = bufio.NewReader(resp.Body).ReadString(0)
	assert.Error(t, err)
	_, err = http.Get("http://" + ln.Addr().String() + "/api/health")
	assert.Error(t, err, "no longer listening")
}
