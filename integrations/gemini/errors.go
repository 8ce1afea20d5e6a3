package gemini

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/genai"

	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

var (
	// ErrBlocked: the prompt or the answer was blocked (safety, recitation, ...).
	// Asking again with the same input is pointless, so it is not retryable.
	ErrBlocked = errors.New("gemini: blocked")
	// ErrEmptyResponse: the service answered without any text.
	ErrEmptyResponse = errors.New("gemini: empty response")
	// ErrMalformedResponse: a 2xx answer whose body is not JSON of the expected shape.
	ErrMalformedResponse = errors.New("gemini: malformed response")
)

// APIError is an error answer from the service.
type APIError struct {
	Status     int           // HTTP status code
	Code       string        // Google status name, e.g. RESOURCE_EXHAUSTED, UNAVAILABLE
	Message    string        // the service's message
	RetryAfter time.Duration // from a google.rpc.RetryInfo detail; 0 if absent
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("gemini: %d", e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Retryable reports whether asking again may succeed (408, 429, 5xx).
func (e *APIError) Retryable() bool { return resilience.StatusRetryable(e.Status) }

// RetryDelay is the service's requested delay (used by resilience.Runner).
func (e *APIError) RetryDelay() time.Duration { return e.RetryAfter }

// mapError turns the SDK's errors into this package's.
func mapError(err error) error {
	var ae genai.APIError
	if errors.As(err, &ae) {
		return &APIError{Status: ae.Code, Code: ae.Status, Message: strings.TrimSpace(ae.Message), RetryAfter: retryInfo(ae.Details)}
	}
	var aep *genai.APIError
	if errors.As(err, &aep) && aep != nil {
		return &APIError{Status: aep.Code, Code: aep.Status, Message: strings.TrimSpace(aep.Message), RetryAfter: retryInfo(aep.Details)}
	}
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &syntaxErr) || errors.As(err, &typeErr) {
		return resilience.Retryable(fmt.Errorf("%w: %w", ErrMalformedResponse, err))
	}
	return err
}

// retryInfo reads the delay of a google.rpc.RetryInfo detail ({"retryDelay":"17s"}).
func retryInfo(details []map[string]any) time.Duration {
	for _, d := range details {
		if t, _ := d["@type"].(string); !strings.HasSuffix(t, "google.rpc.RetryInfo") {
			continue
		}
		s, _ := d["retryDelay"].(string)
		if v, err := time.ParseDuration(s); err == nil && v > 0 {
			return v
		}
	}
	return 0
}
