package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
)

// Error codes of the response body (spec §14).
const (
	CodeValidation      = "VALIDATION_ERROR"
	CodeAuthentication  = "AUTHENTICATION_ERROR"
	CodeAuthorization   = "AUTHORIZATION_ERROR"
	CodeNotFound        = "NOT_FOUND"
	CodeConflict        = "CONFLICT"
	CodeRateLimited     = "RATE_LIMITED"
	CodeExternalService = "EXTERNAL_SERVICE_ERROR"
	CodeUnavailable     = "SERVICE_UNAVAILABLE"
	CodeInternal        = "INTERNAL_ERROR"
)

// Error is an error the API answers with a specific code. Handlers return
// it for problems they find themselves (bad JSON, a missing token); every
// other error is classified by toError.
type Error struct {
	Status  int
	Code    string
	Message string
	// Details is shown to the client: FieldIssue for validation errors.
	Details any
	// RetryAfter sets the Retry-After header (429, 503).
	RetryAfter time.Duration
	// Err is the cause, logged for 5xx and never shown.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Message + ": " + e.Err.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// FieldIssue names the input a validation error is about.
type FieldIssue struct {
	Field string `json:"field"`
	Issue string `json:"issue"`
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Details   any    `json:"details"`
	RequestID string `json:"requestId"`
}

// ErrExternalService marks the failure of an external service the request
// needed (the voice provider), after its retries: 502 EXTERNAL_SERVICE_ERROR.
var ErrExternalService = errors.New("external service failed")

// webhookSignatureError reports whether err is a refused webhook signature
// (401): missing, malformed, stale or not matching.
func webhookSignatureError(err error) bool {
	for _, target := range []error{elevenlabs.ErrMissingSignature, elevenlabs.ErrMalformedSignature, elevenlabs.ErrStaleSignature,
		elevenlabs.ErrBadSignature, clerk.ErrWebhookStale, clerk.ErrWebhookBadSignature} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func invalidField(field, issue string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: " + field + ": " + issue,
		Details: FieldIssue{Field: field, Issue: issue}}
}

func unauthenticated(cause error) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: CodeAuthentication, Message: "Please sign in to continue", Err: cause}
}

func notFoundError(what string) *Error {
	return &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: what + " not found"}
}

// toError classifies any error into the response it deserves. It is the
// only place that decides status codes.
func toError(err error) *Error {
	var (
		ae    *Error
		fe    *domain.FieldError
		he    *echo.HTTPError
		ext   interface{ Retryable() bool }
		pgErr *pgconn.PgError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &fe) && (errors.Is(err, domain.ErrInvalid) || errors.Is(err, domain.ErrNotFound)):
		// A field naming something that is not there (a persona id in a body)
		// is bad input, not a missing resource of the URL.
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: " + fe.Field,
			Details: FieldIssue{Field: fe.Field, Issue: issueText(fe.Err)}, Err: err}
	case errors.Is(err, domain.ErrInvalid):
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: " + issueText(err),
			Details: FieldIssue{Field: "body", Issue: issueText(err)}, Err: err}
	case webhookSignatureError(err):
		return &Error{Status: http.StatusUnauthorized, Code: CodeAuthentication, Message: "The webhook signature is missing, stale or does not match", Err: err}
	case errors.Is(err, clerk.ErrWebhookMissingHeaders), errors.Is(err, clerk.ErrWebhookMalformed):
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: svix-id, svix-timestamp and svix-signature headers are required",
			Details: FieldIssue{Field: "svix-signature", Issue: "svix-id, svix-timestamp (unix seconds) and svix-signature are required"}, Err: err}
	case errors.Is(err, clerk.ErrMalformedEvent), errors.Is(err, elevenlabs.ErrMalformedEvent):
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: body is not a webhook event",
			Details: FieldIssue{Field: "body", Issue: "not a webhook event of the documented shape"}, Err: err}
	case errors.Is(err, ErrExternalService):
		return &Error{Status: http.StatusBadGateway, Code: CodeExternalService, Message: "An external service failed; try again", Err: err}
	case errors.Is(err, auth.ErrInvalidToken):
		return unauthenticated(err)
	case errors.Is(err, app.ErrUserDeleted):
		return &Error{Status: http.StatusUnauthorized, Code: CodeAuthentication, Message: "This account was deleted", Err: err}
	case errors.Is(err, domain.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "Not found", Err: err}
	case errors.Is(err, domain.ErrIllegalTransition):
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "Not allowed now: " + issueText(err), Err: err}
	case errors.Is(err, domain.ErrAlreadyExists), errors.Is(err, eventstore.ErrEventIDReused):
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "Already exists", Err: err}
	case errors.Is(err, eventstore.ErrConcurrencyConflict):
		// app retries lost races; one still lost after every retry is a conflict, not a crash.
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "The call changed concurrently; retry the request", Err: err}
	case errors.As(err, &he):
		return fromEcho(he)
	case databaseUnavailable(err, &pgErr):
		return &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Message: "The service is temporarily unavailable",
			RetryAfter: 2 * time.Second, Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Message: "The request timed out",
			RetryAfter: time.Second, Err: err}
	case errors.As(err, &ext):
		// Clients of external services (LLMs, voice) mark their errors with
		// Retryable (package integrations/resilience); a failure there is theirs.
		return &Error{Status: http.StatusBadGateway, Code: CodeExternalService, Message: "An external service failed; try again", Err: err}
	}
	return &Error{Status: http.StatusInternalServerError, Code: CodeInternal, Message: "Something went wrong", Err: err}
}

func fromEcho(he *echo.HTTPError) *Error {
	switch he.Code {
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		// One answer for "no such route" and "not this method": the code list
		// of spec §14 has no separate entry, and no existence is revealed.
		return &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "Route not found", Err: he}
	case http.StatusRequestEntityTooLarge:
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: body is too large",
			Details: FieldIssue{Field: "body", Issue: "body is too large"}, Err: he}
	case http.StatusUnauthorized:
		return unauthenticated(he)
	case http.StatusServiceUnavailable:
		return &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Message: "The service is temporarily unavailable", Err: he}
	}
	if he.Code >= 400 && he.Code < 500 {
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid request", Err: he}
	}
	return &Error{Status: http.StatusInternalServerError, Code: CodeInternal, Message: "Something went wrong", Err: he}
}

// databaseUnavailable reports whether err means PostgreSQL cannot be reached
// (connect failures, a closed pool, a dropped connection, the server going down).
func databaseUnavailable(err error, pgErr **pgconn.PgError) bool {
	var (
		ce *pgconn.ConnectError
		ne *net.OpError
	)
	if errors.As(err, &ce) || errors.Is(err, puddle.ErrClosedPool) || errors.As(err, &ne) {
		return true
	}
	if errors.As(err, pgErr) {
		code := (*pgErr).Code
		// 08: connection exception; 57P01..03: shutting down / cannot connect now; 53300: too many connections.
		return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03" || code == "53300"
	}
	return pgconn.Timeout(err) && !errors.Is(err, context.Canceled)
}

// issueText is a validation error's message for clients: the text after
// the sentinel (domain errors read "<op>: invalid: <issue>" or
// "<issue>: illegal state transition").
func issueText(err error) string {
	msg := err.Error()
	if p := domain.ErrInvalid.Error() + ": "; strings.Contains(msg, p) {
		msg = msg[strings.LastIndex(msg, p)+len(p):]
	}
	return strings.TrimSuffix(msg, ": "+domain.ErrIllegalTransition.Error())
}

// handleError is Echo's error handler: it writes the error body and logs 5xx.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		// Too late for a body (a stream already started); just record it.
		if !errors.Is(err, context.Canceled) {
			s.requestLogger(c).Warn("error after the response started", "err", err)
		}
		return
	}
	e := toError(err)
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		// The client went away; nobody reads this answer and nothing failed here.
		e = &Error{Status: 499, Code: CodeUnavailable, Message: "Client closed the request", Err: err}
	}
	if e.Code == CodeNotFound && e.Message == "Not found" {
		if r, ok := c.Get(ctxResource).(string); ok {
			e = &Error{Status: e.Status, Code: e.Code, Message: r + " not found", Err: e.Err}
		}
	}
	if e.Status >= 500 {
		s.requestLogger(c).Error("request failed", "status", e.Status, "code", e.Code, "err", e.Err)
	}
	if e.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	body := errorBody{Error: errorPayload{Code: e.Code, Message: e.Message, Details: details, RequestID: requestID(c)}}
	var werr error
	if c.Request().Method == http.MethodHead {
		werr = c.NoContent(e.Status)
	} else {
		werr = c.JSON(e.Status, body)
	}
	if werr != nil {
		s.requestLogger(c).Warn("cannot write error response", "err", werr)
	}
}

// errorf builds an internal error with a cause.
func errorf(format string, args ...any) error { return fmt.Errorf("api: "+format, args...) }

func asFieldError(err error) (*domain.FieldError, bool) {
	var fe *domain.FieldError
	ok := errors.As(err, &fe)
	return fe, ok
}
