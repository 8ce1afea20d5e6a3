package domain

import "errors"

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
)

// FieldError names the input field a validation error is about, so the API can
// put it in the error's details.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }
