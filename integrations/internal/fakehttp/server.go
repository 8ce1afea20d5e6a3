// Package fakehttp is the programmable skeleton shared by the in-process fakes
// of the services Sparrow calls (geminifake, openaifake, elevenlabsfake): a
// canned Response, and a loopback Server that records every request and
// answers it from a script.
//
// A Server answers each request, in this order: the refusal its owner gives
// for requests the real service would reject whatever is scripted (an unknown
// path; the queue is left untouched), the next queued response (Enqueue), the
// handler (SetHandler), the default (SetDefault). Every request is recorded
// first, refused or not. A Response's Delay ends early when the client goes
// away, so a timed-out client never blocks Close.
//
// Invariants: safe for concurrent use; never reaches the network beyond its
// own loopback listener; the handler runs without the Server's lock held, so
// it may call the Server.
package fakehttp

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Response is what a fake answers to one request.
type Response struct {
	Status int         // 0 means 200
	Header http.Header // extra headers (e.g. Content-Type, Retry-After)
	Body   string      // raw body, sent as is
	Delay  time.Duration
}

// Raw is a response with any status and body (malformed JSON, HTML error pages).
func Raw(status int, body string) Response { return Response{Status: status, Body: body} }

// Slow wraps r with latency.
func Slow(r Response, d time.Duration) Response {
	r.Delay = d
	return r
}

// JSONHeader is a fresh Content-Type: application/json header.
func JSONHeader() http.Header { return http.Header{"Content-Type": []string{"application/json"}} }

// JSON is status with v marshalled as an application/json body; a value that
// does not marshal gives a 500 whose body is the error.
func JSON(status int, v any) Response {
	b, err := json.Marshal(v)
	if err != nil {
		return Response{Status: http.StatusInternalServerError, Body: err.Error()}
	}
	return Response{Status: status, Body: string(b), Header: JSONHeader()}
}

// Options are a Server's fixed behaviour, set by the fake that owns it.
type Options[R any] struct {
	// Refuse, when not nil, answers the requests the real service would reject
	// whatever is scripted (ok true); they do not use up the queue.
	Refuse func(R) (resp Response, ok bool)
	// Default answers when the queue is empty and no handler is set
	// (until SetDefault); its zero value is an empty 200.
	Default Response
}

// Server is a fake HTTP service on a loopback listener; URL is the BaseURL to
// configure. R is what a fake records of each request.
type Server[R any] struct {
	*httptest.Server

	record func(r *http.Request, body []byte) R
	refuse func(R) (Response, bool)

	mu       sync.Mutex
	queue    []Response
	def      Response
	handler  func(R) Response
	requests []R
}

// New starts a Server that records each request as record(r, body); the
// caller must Close it (t.Cleanup(s.Close)).
func New[R any](record func(r *http.Request, body []byte) R, opts Options[R]) *Server[R] {
	s := &Server[R]{record: record, refuse: opts.Refuse, def: opts.Default}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Enqueue adds responses served once each, in order, before the handler and the default.
func (s *Server[R]) Enqueue(rs ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, rs...)
}

// SetDefault sets the response served when the queue is empty and no handler is set.
func (s *Server[R]) SetDefault(r Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.def = r
}

// SetHandler lets f decide every response once the queue is empty (nil: the default).
func (s *Server[R]) SetHandler(f func(R) Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = f
}

// Requests returns a copy of the recorded requests, oldest first.
func (s *Server[R]) Requests() []R {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]R(nil), s.requests...)
}

// RequestCount is len(Requests()).
func (s *Server[R]) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

func (s *Server[R]) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := s.record(r, body)
	resp, handler := s.next(req)
	if handler != nil {
		resp = handler(req)
	}
	write(w, r, resp)
}

// next records req and takes its scripted response, or the handler that is
// to decide it (called by serve once the lock is released).
func (s *Server[R]) next(req R) (Response, func(R) Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
	if s.refuse != nil {
		if resp, ok := s.refuse(req); ok {
			return resp, nil
		}
	}
	switch {
	case len(s.queue) > 0:
		resp := s.queue[0]
		s.queue = s.queue[1:]
		return resp, nil
	case s.handler != nil:
		return Response{}, s.handler
	default:
		return s.def, nil
	}
}

// write sends resp after its delay; nothing is sent if the client goes away first.
func write(w http.ResponseWriter, r *http.Request, resp Response) {
	if resp.Delay > 0 {
		t := time.NewTimer(resp.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, resp.Body)
}
