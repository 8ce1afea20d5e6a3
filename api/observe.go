package api

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"
)

// HeaderRequestID carries the request id in both directions.
const HeaderRequestID = "X-Request-Id"

// saneRequestID is what an incoming X-Request-Id must look like to be kept.
var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$`)

func newRequestID() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return "req_" + base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

func requestID(c echo.Context) string {
	id, _ := c.Get(ctxRequestID).(string)
	return id
}

// requestLogger is the server's logger with the request's id (and user, once known).
func (s *Server) requestLogger(c echo.Context) *slog.Logger {
	if l, ok := c.Get(ctxLogger).(*slog.Logger); ok {
		return l
	}
	return s.log.With("request_id", requestID(c))
}

// observe is the outermost middleware: it assigns the request id, turns a
// returned error into its response (so the status is final here), records
// the latency metric and writes one access log line.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		id := req.Header.Get(HeaderRequestID)
		if !saneRequestID.MatchString(id) {
			id = newRequestID()
		}
		c.Set(ctxRequestID, id)
		c.Response().Header().Set(HeaderRequestID, id)
		c.Set(ctxLogger, s.log.With("request_id", id))

		if err := next(c); err != nil {
			c.Error(err)
		}

		status := c.Response().Status
		route := c.Path()
		if !s.routes[route] {
			route = "unmatched" // keep label cardinality bounded
		}
		elapsed := time.Since(start)
		s.metrics.observeRequest(methodLabel(req.Method), route, status, elapsed)
		attrs := []slog.Attr{
			slog.String("method", req.Method), slog.String("route", route), slog.String("path", req.URL.Path),
			slog.Int("status", status), slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.Int64("bytes", c.Response().Size),
		}
		// One line per request. A 5xx carries its cause; the ones that say "not now" (the database or a provider is
		// down: 502, 503, 504) are warnings, since an outage answers thousands of them and each is expected.
		level := slog.LevelInfo
		switch {
		case status == http.StatusBadGateway, status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
			level = slog.LevelWarn
		case status >= 500:
			level = slog.LevelError
		}
		if cause, ok := c.Get(ctxCause).(error); ok && cause != nil {
			attrs = append(attrs, slog.String("err", cause.Error()))
		}
		// The request logger carries request_id, and user_id once authenticate knows it.
		s.requestLogger(c).LogAttrs(req.Context(), level, "request", attrs...)
		return nil
	}
}

// recoverPanics turns a handler panic into a 500 (logged with its stack).
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				// Not a failure: net/http's way to abort a response. Only
				// a panic carries it to the server, so it goes on.
				panic(r)
			}
			err = &Error{Status: http.StatusInternalServerError, Code: CodeInternal, Message: "Something went wrong",
				Err: fmt.Errorf("panic: %v\n%s", r, debug.Stack())}
		}()
		return next(c)
	}
}

// methodLabel bounds the method label of the request metrics: a client may send any token as its method, and each
// new one would be a new series kept for ever.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}
