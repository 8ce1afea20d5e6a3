package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
)

// idempotent makes a write with an Idempotency-Key honest (app.BeginIdempotent):
// the key is scoped to the user, the method, the route template and its path
// id; a retry with the same body answers the first 2xx response again (same
// status, Content-Type, Location and body) without running the handler; a
// retry with another body answers 422 IDEMPOTENCY_KEY_REUSED; a retry while
// the first request still runs answers 409 CONFLICT. A request that fails
// keeps nothing, so its retry runs again.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		key := req.Header.Get(HeaderIdempotencyKey)
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if key == "" {
			return next(c)
		}
		if !saneIdempotencyKey.MatchString(key) {
			return invalidKey()
		}
		if id := c.Param("id"); id != "" && !app.ValidID(id) {
			return next(c) // the handler refuses the path id
		}
		body, err := io.ReadAll(req.Body)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return s.bodyTooLarge(c)
		}
		if err != nil {
			return errorf("read body: %w", err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body))

		scope := idempotencyScope(c, key)
		ctx := req.Context()
		rec, err := s.app.BeginIdempotent(ctx, scope, fingerprint(body))
		if err != nil {
			return err
		}
		if rec != nil {
			return replay(c, rec)
		}

		w := &teeWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = w
		err = next(c)
		c.Response().Writer = w.ResponseWriter

		// Keep or release the key even if the client went away meanwhile.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		res := c.Response()
		if err != nil || !res.Committed || res.Status < 200 || res.Status > 299 {
			if aerr := s.app.AbandonIdempotent(ctx, scope); aerr != nil {
				s.requestLogger(c).Warn("cannot release an idempotency key; a retry waits for its lease", "err", aerr)
			}
			return err
		}
		kept := app.RecordedResponse{Status: res.Status, ContentType: res.Header().Get(echo.HeaderContentType),
			Location: res.Header().Get(echo.HeaderLocation), Body: w.body.Bytes()}
		if ferr := s.app.FinishIdempotent(ctx, scope, kept); ferr != nil {
			s.requestLogger(c).Warn("cannot keep an idempotent response; a retry reruns the command after its lease", "err", ferr)
		}
		return nil
	}
}

// idempotencyScope is the scope of a request's key.
func idempotencyScope(c echo.Context, key string) app.IdempotencyScope {
	return app.IdempotencyScope{UserID: userID(c), Method: c.Request().Method, Route: c.Path(), ResourceID: c.Param("id"), Key: key}
}

func invalidKey() *Error {
	return invalidField(HeaderIdempotencyKey, "must be 1 to 200 printable ASCII characters")
}

// fingerprint identifies a request body: the same JSON, however spaced,
// has the same fingerprint.
func fingerprint(body []byte) []byte {
	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err == nil {
		body = compact.Bytes()
	}
	sum := sha256.Sum256(body)
	return sum[:]
}

func replay(c echo.Context, rec *app.RecordedResponse) error {
	h := c.Response().Header()
	if rec.Location != "" {
		h.Set(echo.HeaderLocation, rec.Location)
	}
	if rec.ContentType == "" && len(rec.Body) == 0 {
		return c.NoContent(rec.Status)
	}
	return c.Blob(rec.Status, rec.ContentType, rec.Body)
}

// teeWriter keeps a copy of the response body.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
