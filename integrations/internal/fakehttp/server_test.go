package fakehttp_test

import (
	"context"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/integrations/internal/fakehttp"
)

// seen is what the test fake records of a request.
type seen struct {
	Method, Path, Body string
}

func record(r *http.Request, body []byte) seen {
	return seen{Method: r.Method, Path: r.URL.Path, Body: string(body)}
}

// refuseOthers answers 404 to anything but /ok.
func refuseOthers(s seen) (fakehttp.Response, bool) {
	if s.Path == "/ok" {
		return fakehttp.Response{}, false
	}
	return fakehttp.Raw(http.StatusNotFound, "no route "+s.Path), true
}

func newServer(t *testing.T, opts fakehttp.Options[seen]) *fakehttp.Server[seen] {
	t.Helper()
	s := fakehttp.New(record, opts)
	t.Cleanup(s.Close)
	return s
}

type answer struct {
	status int
	body   string
}

func do(t *testing.T, s *fakehttp.Server[seen], path string) answer {
	t.Helper()
	resp, err := http.Post(s.URL+path, "text/plain", strings.NewReader("hi"))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{resp.StatusCode, string(b)}
}

func TestServerAnswersRefusalThenQueueThenHandlerThenDefault(t *testing.T) {
	handler := func(s seen) fakehttp.Response { return fakehttp.Raw(http.StatusAccepted, "handled "+s.Body) }
	tests := []struct {
		name    string
		refuse  bool
		queue   []fakehttp.Response
		handler func(seen) fakehttp.Response
		paths   []string
		want    []answer
	}{
		{name: "initial default", paths: []string{"/ok"},
			want: []answer{{http.StatusTeapot, "default"}}},
		{name: "queue in order, then default", queue: []fakehttp.Response{fakehttp.Raw(500, "a"), fakehttp.Raw(0, "b")},
			paths: []string{"/ok", "/ok", "/ok"},
			want:  []answer{{500, "a"}, {http.StatusOK, "b"}, {http.StatusTeapot, "default"}}},
		{name: "queue before handler", queue: []fakehttp.Response{fakehttp.Raw(201, "queued")}, handler: handler,
			paths: []string{"/ok", "/ok"},
			want:  []answer{{201, "queued"}, {http.StatusAccepted, "handled hi"}}},
		{name: "refusal leaves the queue alone", refuse: true, queue: []fakehttp.Response{fakehttp.Raw(201, "queued")},
			paths: []string{"/nope", "/ok"},
			want:  []answer{{http.StatusNotFound, "no route /nope"}, {201, "queued"}}},
		{name: "refusal before the handler", refuse: true, handler: handler,
			paths: []string{"/nope", "/ok"},
			want:  []answer{{http.StatusNotFound, "no route /nope"}, {http.StatusAccepted, "handled hi"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := fakehttp.Options[seen]{Default: fakehttp.Raw(http.StatusTeapot, "default")}
			if tt.refuse {
				opts.Refuse = refuseOthers
			}
			s := newServer(t, opts)
			s.Enqueue(tt.queue...)
			s.SetHandler(tt.handler)
			var got []answer
			for _, p := range tt.paths {
				got = append(got, do(t, s, p))
			}
			assert.Equal(t, tt.want, got)

			var paths []string
			for _, r := range s.Requests() {
				assert.Equal(t, seen{Method: http.MethodPost, Path: r.Path, Body: "hi"}, r)
				paths = append(paths, r.Path)
			}
			assert.Equal(t, tt.paths, paths, "every request is recorded, refused or not")
			assert.Equal(t, len(tt.paths), s.RequestCount())
		})
	}
}

func TestServerSetDefaultAndNilHandler(t *testing.T) {
	s := newServer(t, fakehttp.Options[seen]{})
	assert.Equal(t, answer{http.StatusOK, ""}, do(t, s, "/ok"), "zero default is an empty 200")

	s.SetDefault(fakehttp.Raw(http.StatusBadGateway, "down"))
	s.SetHandler(func(seen) fakehttp.Response { return fakehttp.Raw(http.StatusOK, "h") })
	assert.Equal(t, answer{http.StatusOK, "h"}, do(t, s, "/ok"))
	s.SetHandler(nil)
	assert.Equal(t, answer{http.StatusBadGateway, "down"}, do(t, s, "/ok"))
}

func TestServerHandlerMayCallTheServer(t *testing.T) {
	s := newServer(t, fakehttp.Options[seen]{})
	s.SetHandler(func(seen) fakehttp.Response {
		s.Enqueue(fakehttp.Raw(http.StatusOK, "next"))
		return fakehttp.Raw(http.StatusOK, strings.Repeat("n", s.RequestCount()))
	})
	assert.Equal(t, answer{http.StatusOK, "n"}, do(t, s, "/ok"))
	assert.Equal(t, answer{http.StatusOK, "next"}, do(t, s, "/ok"))
}

func TestServerWritesHeaders(t *testing.T) {
	s := newServer(t, fakehttp.Options[seen]{})
	r := fakehttp.JSON(http.StatusTooManyRequests, map[string]int{"n": 1})
	r.Header.Set("Retry-After", "3")
	s.Enqueue(r)
	resp, err := http.Get(s.URL + "/ok")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, "3", resp.Header.Get("Retry-After"))
	assert.JSONEq(t, `{"n":1}`, string(b))
}

func TestSlowResponseEndsWhenTheClientGoesAway(t *testing.T) {
	s := newServer(t, fakehttp.Options[seen]{})
	s.Enqueue(fakehttp.Slow(fakehttp.Raw(http.StatusOK, "late"), 10*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/ok", nil)
	require.NoError(t, err)
	start := time.Now()
	_, err = http.DefaultClient.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	s.Close() // waits for the handler: it must have given up the delay
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestJSON(t *testing.T) {
	ok := fakehttp.JSON(http.StatusCreated, map[string]string{"a": "b"})
	assert.Equal(t, fakehttp.Response{Status: http.StatusCreated, Header: fakehttp.JSONHeader(), Body: `{"a":"b"}`}, ok)

	bad := fakehttp.JSON(http.StatusOK, math.Inf(1))
	assert.Equal(t, http.StatusInternalServerError, bad.Status)
	assert.Contains(t, bad.Body, "unsupported value")
}
