package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

// Error codes of the response body (spec §14).
const (
	CodeValidation     = "VALIDATION_ERROR"
	CodeAuthentication = "AUTHENTICATION_ERROR"
	CodeAuthorization  = "AUTHORIZATION_ERROR"
	CodeNotFound       = "NOT_FOUND"
	CodeConflict       = "CONFLICT"
	// CodeIdempotencyKeyReused (422): an Idempotency-Key was used before
	// for a request with a different body on the same route.
	CodeIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED"
	CodeRateLimited          = "RATE_LIMITED"
	// CodeLimitExceeded (422): the request would grow a resource past a
	// documented bound (a call's maximum size); repeating it can never succeed.
	CodeLimitExceeded   = "LIMIT_EXCEEDED"
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
	// nameResource: Message is a generic "Not found", to be replaced by the
	// name of the route's resource ("Call not found").
	nameResource bool
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
// only place that decides status codes, and it decides by the error's type
// and sentinels (app's, domain's, auth's), never by its text.
func toError(err error) *Error {
	var (
		ae *Error
		fe *domain.FieldError
		he *echo.HTTPError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &fe) && (errors.Is(err, domain.ErrInvalid) || errors.Is(err, domain.ErrNotFound)):
		// A field naming something that is not there (a persona id in a body)
		// is bad input, not a missing resource of the URL.
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: " + fe.Field,
			Details: FieldIssue{Field: fe.Field, Issue: domain.IssueOf(fe)}, Err: err}
	case errors.Is(err, domain.ErrInvalid):
		issue := domain.IssueOf(err)
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: " + issue,
			Details: FieldIssue{Field: "body", Issue: issue}, Err: err}
	case errors.Is(err, domain.ErrLimitExceeded):
		// 422, not 413: the request may be small (one line on a full call),
		// and an oversized body is a 400 on field body already.
		field, issue := "body", domain.IssueOf(err)
		if fe, ok := asFieldError(err); ok {
			field = fe.Field
		}
		return &Error{Status: http.StatusUnprocessableEntity, Code: CodeLimitExceeded, Message: "Limit exceeded: " + issue,
			Details: FieldIssue{Field: field, Issue: issue}, Err: err}
	case errors.Is(err, app.ErrWebhookSignature):
		return &Error{Status: http.StatusUnauthorized, Code: CodeAuthentication, Message: "The webhook signature is missing, stale or does not match", Err: err}
	case errors.Is(err, app.ErrWebhookHeaders):
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: svix-id, svix-timestamp and svix-signature headers are required",
			Details: FieldIssue{Field: "svix-signature", Issue: "svix-id, svix-timestamp (unix seconds) and svix-signature are required"}, Err: err}
	case errors.Is(err, app.ErrMalformedWebhook):
		return &Error{Status: http.StatusBadRequest, Code: CodeValidation, Message: "Invalid input: body is not a webhook event",
			Details: FieldIssue{Field: "body", Issue: "not a webhook event of the documented shape"}, Err: err}
	case errors.Is(err, app.ErrWebhookOff):
		return &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "Route not found", Err: err}
	case errors.Is(err, app.ErrExternalService):
		return &Error{Status: http.StatusBadGateway, Code: CodeExternalService, Message: "An external service failed; try again", Err: err}
	case errors.Is(err, auth.ErrInvalidToken):
		return unauthenticated(err)
	case errors.Is(err, app.ErrUserDeleted):
		return &Error{Status: http.StatusUnauthorized, Code: CodeAuthentication, Message: "This account was deleted", Err: err}
	case errors.Is(err, domain.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "Not found", nameResource: true, Err: err}
	case errors.Is(err, domain.ErrIllegalTransition):
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "Not allowed now: " + domain.IssueOf(err), Err: err}
	case errors.Is(err, domain.ErrAlreadyExists):
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "Already exists", Err: err}
	case errors.Is(err, app.ErrIdempotencyKeyReused):
		issue := "was used before for a request with a different body; send the same body to get the first answer, or use a new key"
		return &Error{Status: http.StatusUnprocessableEntity, Code: CodeIdempotencyKeyReused,
			Message: "Idempotency-Key reused with a different request", Details: FieldIssue{Field: HeaderIdempotencyKey, Issue: issue}, Err: err}
	case errors.Is(err, app.ErrIdempotencyKeyInFlight):
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "A request with this Idempotency-Key is still in progress; retry shortly",
			RetryAfter: time.Second, Err: err}
	case errors.Is(err, app.ErrConflict):
		// app retries lost races; one still lost after every retry is a conflict, not a crash.
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "The call changed concurrently; retry the request", Err: err}
	case errors.As(err, &he):
		return fromEcho(he)
	case errors.Is(err, app.ErrUnavailable):
		return &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Message: "The service is temporarily unavailable",
			RetryAfter: 2 * time.Second, Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Message: "The request timed out",
			RetryAfter: time.Second, Err: err}
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
	if e.nameResource {
		if r, ok := c.Get(ctxResource).(string); ok {
			e = &Error{Status: e.Status, Code: e.Code, Message: r + " not found", Err: e.Err}
		}
	}
	if e.Status >= 500 {
		c.Set(ctxCause, e.Err) // logged once, on the request's access line (observe)
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
