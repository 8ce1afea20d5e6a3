package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
)

// ErrInvalidAnswer matches every error about a model answer that is not what
// was asked for (not JSON, missing fields, out-of-range scores, bad enums).
// Such errors are retryable: the same request may well get a valid answer.
var ErrInvalidAnswer = errors.New("invalid model answer")

// InvalidAnswerError says why a model answer was rejected.
type InvalidAnswerError struct {
	Model  string // the model that answered, if known
	Reason string
	Err    error // underlying cause, if any (a JSON syntax error, a domain.FieldError)
}

func (e *InvalidAnswerError) Error() string {
	s := "llm: invalid model answer"
	if e.Model != "" {
		s += " from " + e.Model
	}
	s += ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap exposes the cause.
func (e *InvalidAnswerError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrInvalidAnswer) true.
func (e *InvalidAnswerError) Is(target error) bool { return target == ErrInvalidAnswer }

// Retryable marks the error as worth retrying (see package resilience).
func (e *InvalidAnswerError) Retryable() bool { return true }

func invalid(model, reason string, cause error) error {
	return &InvalidAnswerError{Model: model, Reason: reason, Err: cause}
}

// asInvalidAnswer turns a provider's own "the model produced invalid JSON"
// error (Groq's json_validate_failed) into an InvalidAnswerError.
func asInvalidAnswer(model string, err error) error {
	if errors.Is(err, openaicompat.ErrJSONValidateFailed) {
		return invalid(model, "the provider rejected the model's JSON", err)
	}
	return err
}

// decodeAnswer unmarshals a JSON object answer into v. A single surrounding
// Markdown code fence is tolerated (some local models add one); anything else
// that is not exactly one JSON object is invalid.
func decodeAnswer(model, text string, v any) error {
	s := withoutReasoning(text)
	if strings.HasPrefix(s, "```") && strings.HasSuffix(s, "```") && len(s) >= 6 {
		s = strings.TrimSpace(s[3 : len(s)-3])
		s = strings.TrimSpace(strings.TrimPrefix(s, "json"))
	}
	if !strings.HasPrefix(s, "{") {
		return invalid(model, "answer is not a JSON object", nil)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return invalid(model, "answer does not decode", err)
	}
	if dec.More() {
		return invalid(model, "answer has trailing data after the JSON object", nil)
	}
	return nil
}

// intInRange reads a required integer field in [lo, hi]. JSON numbers with a
// zero fraction (85.0) are accepted; 85.5 is not.
func intInRange(model, field string, n *json.Number, lo, hi int64) (int64, error) {
	if n == nil {
		return 0, invalid(model, field+" is missing", nil)
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, invalid(model, field+" is not a number", err)
	}
	if f != math.Trunc(f) {
		return 0, invalid(model, fmt.Sprintf("%s is %v, not an integer", field, f), nil)
	}
	if f < float64(lo) || f > float64(hi) {
		return 0, invalid(model, fmt.Sprintf("%s is %v, outside %d..%d", field, f, lo, hi), nil)
	}
	return int64(f), nil
}

// requiredText reads a required non-blank string field, trimmed, at most max runes.
func requiredText(model, field string, s *string, max int) (string, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return "", invalid(model, field+" is missing or empty", nil)
	}
	v := strings.TrimSpace(*s)
	if n := len([]rune(v)); n > max {
		return "", invalid(model, fmt.Sprintf("%s has %d characters, more than %d", field, n, max), nil)
	}
	return v, nil
}

// optionalText trims an optional string field.
func optionalText(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// Reasoning models served by OpenAI-compatible servers (DeepSeek-R1, Qwen3 and their kind on Ollama, vLLM or
// llama.cpp) put their chain of thought in the answer, between <think> and </think>. It is not the answer: a
// prospect must not say it and a score must not be parsed from it.
var (
	thinkBlock    = regexp.MustCompile(`(?is)<think>.*?</think>`)
	thinkOpened   = regexp.MustCompile(`(?is)<think>.*$`)  // cut off before it closed: all reasoning
	thinkHeadless = regexp.MustCompile(`(?is)^.*</think>`) // a server that drops the opening tag
)

// withoutReasoning removes a reasoning model's <think> blocks from its answer, and trims it.
func withoutReasoning(text string) string {
	s := thinkBlock.ReplaceAllString(text, "")
	s = thinkHeadless.ReplaceAllString(s, "")
	s = thinkOpened.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}
