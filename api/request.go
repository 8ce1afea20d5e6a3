package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
)

// HeaderIdempotencyKey makes a write safe to retry: the same key and body
// answer the first response again and append nothing new (see idempotent).
const HeaderIdempotencyKey = "Idempotency-Key"

var saneIdempotencyKey = regexp.MustCompile(`^[\x21-\x7e]{1,200}$`)

// limitBody refuses bodies over Config.MaxBodyBytes before reading them, and
// stops reading at the limit when the length is not announced.
// Webhook routes take bodies up to Config.Webhooks.MaxBodyBytes instead.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		limit := s.bodyLimit(c)
		if req.ContentLength > limit {
			return s.bodyTooLarge(c)
		}
		if req.Body != nil {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		}
		return next(c)
	}
}

// bodyLimit is the body size limit of the request's route.
func (s *Server) bodyLimit(c echo.Context) int64 {
	if strings.HasPrefix(c.Path(), webhookPathPrefix) {
		return s.cfg.Webhooks.MaxBodyBytes
	}
	if c.Path() == importPath {
		return max(s.cfg.MaxBodyBytes, importMaxBodyBytes)
	}
	return s.cfg.MaxBodyBytes
}

func (s *Server) bodyTooLarge(c echo.Context) *Error {
	return invalidField("body", fmt.Sprintf("body is larger than the limit of %d bytes", s.bodyLimit(c)))
}

// decodeBody decodes the JSON body into dst strictly: valid UTF-8, one JSON
// object, no unknown fields, values of the declared types. An empty body is
// accepted only when optional is true (dst is left as it is).
func (s *Server) decodeBody(c echo.Context, dst any, optional bool) error {
	req := c.Request()
	body, err := io.ReadAll(req.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return s.bodyTooLarge(c)
	}
	if err != nil {
		return errorf("read body: %w", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return invalidField("body", "a JSON object is required")
	}
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
			return invalidField("body", "Content-Type must be application/json")
		}
	}
	if !utf8.Valid(body) {
		return invalidField("body", "body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err, dst)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return invalidField("body", "unexpected data after the JSON object")
	}
	return nil
}

// jsonError turns a decoding error into a validation error naming the field.
func jsonError(err error, dst any) *Error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntax):
		return invalidField("body", fmt.Sprintf("malformed JSON at byte %d", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidField("body", "malformed JSON: the body ends too early")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return invalidField("body", "must be a JSON "+jsonKind(reflect.TypeOf(dst)))
		}
		return invalidField(typ.Field, "must be "+article(jsonKind(typ.Type))+" (got "+typ.Value+")")
	}
	// encoding/json reports unknown fields only as text.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field, uerr := strconv.Unquote(name)
		if uerr != nil {
			field = name
		}
		if field == "" {
			// A validation error always names a field; this one has no name.
			return invalidField("body", `unknown field ""`)
		}
		return invalidField(field, "unknown field")
	}
	return invalidField("body", "malformed JSON")
}

func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "value"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return "value"
}

func article(kind string) string {
	if strings.IndexByte("aeiou", kind[0]) >= 0 {
		return "an " + kind
	}
	return "a " + kind
}

// pathID returns the :id path parameter, which must be a canonical UUID.
func pathID(c echo.Context) (string, error) {
	id := c.Param("id")
	if !app.ValidID(id) {
		return "", invalidField("id", "must be a UUID in canonical lower-case form")
	}
	return id, nil
}

// userID is the authenticated user (set by authenticate).
func userID(c echo.Context) string {
	id, _ := c.Get(ctxUserID).(string)
	return id
}

// meta describes the request to the application (event metadata).
func meta(c echo.Context) (app.Meta, error) {
	m := app.Meta{Actor: userID(c), RequestID: requestID(c)}
	if k := c.Request().Header.Get(HeaderIdempotencyKey); k != "" {
		if !saneIdempotencyKey.MatchString(k) {
			return app.Meta{}, invalidKey()
		}
		// Event ids derive from the key's whole scope: the same key of two
		// users, routes or calls names different events.
		m.IdempotencyKey = idempotencyScope(c, k).String()
	}
	return m, nil
}

// checkOffset refuses a time whose zone offset RFC 3339 does not allow
// (hours 00 to 23): time.Parse reads "+24:00", which no JSON encoder, Go's
// included, can write back.
func checkOffset(field string, t time.Time) error {
	if _, off := t.Zone(); off <= -24*60*60 || off >= 24*60*60 {
		return invalidField(field, "the time zone offset must lie between -23:59 and +23:59")
	}
	return nil
}

// queryInt parses an optional non-negative integer query parameter.
func queryInt(c echo.Context, name string, def, max int) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		return 0, invalidField(name, fmt.Sprintf("must be an integer between 0 and %d", max))
	}
	return n, nil
}
