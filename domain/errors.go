package domain

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error returned by a command wraps exactly one of these.
var (
	// ErrInvalid: the input breaks a rule that does not depend on state (bad enum, out of range).
	ErrInvalid = errors.New("invalid")
	// ErrIllegalTransition: the command is well-formed but not allowed in the aggregate's current state.
	ErrIllegalTransition = errors.New("illegal state transition")
	// ErrNotFound: the aggregate does not exist (its stream is empty).
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: a create command for an aggregate whose stream already has events.
	ErrAlreadyExists = errors.New("already exists")
	// ErrLimitExceeded: the command is well-formed and allowed in the
	// aggregate's state, but would grow it past a size limit (MaxCallLines,
	// MaxCallBytes). Retrying it can never succeed.
	ErrLimitExceeded = errors.New("limit exceeded")
)

// FieldError names the input field a validation error is about, so the API can
// put it in the error's details.
type FieldError struct {
	Field string
	// Issue says what is wrong with the field, in plain words a client may
	// be shown ("must be a UUID"). Set it at construction (Invalid does);
	// IssueOf falls back on Err's text when it is empty.
	Issue string
	// Err is the sentinel (ErrInvalid, ErrNotFound) with its context.
	Err error
}

// Invalid returns the error of an invalid field: it wraps ErrInvalid and
// carries issue for clients.
func Invalid(field, issue string) *FieldError {
	return &FieldError{Field: field, Issue: issue, Err: ErrInvalid}
}

func (e *FieldError) Error() string {
	switch {
	case e.Err == nil:
		return e.Field + ": " + e.Issue
	case e.Issue == "":
		return e.Field + ": " + e.Err.Error()
	}
	return e.Field + ": " + e.Issue + ": " + e.Err.Error()
}

func (e *FieldError) Unwrap() error { return e.Err }

// IssueOf is what a client may be shown of an ErrInvalid or
// ErrIllegalTransition error: the Issue of its *FieldError when set, else the
// text its constructor put after ErrInvalid (or before
// ErrIllegalTransition).
//
// TODO: the fallback reads the text of errors built as
// fmt.Errorf("%w: issue", ErrInvalid) (domain and domain/coaching
// constructors not yet converted to Invalid); drop it once every
// constructor sets Issue.
func IssueOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		if fe.Issue != "" {
			return fe.Issue
		}
		if fe.Err != nil {
			err = fe.Err
		}
	}
	msg := err.Error()
	if p := ErrInvalid.Error() + ": "; strings.Contains(msg, p) {
		msg = msg[strings.LastIndex(msg, p)+len(p):]
	}
	return strings.TrimSuffix(msg, ": "+ErrIllegalTransition.Error())
}
