package domain

import "fmt"

// Role says who spoke a transcript line: the rep ("user") or the AI prospect ("assistant").
type Role string

const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// MaxTranscriptContent bounds one transcript chunk, in characters.
const MaxTranscriptContent = 10_000

// TranscriptEntry is one line of a call's transcript.
type TranscriptEntry struct {
	Role        Role   `json:"role"`
	Content     string `json:"content"`
	TimestampMs int64  `json:"timestampMs"`
}

// Validate checks the entry on its own (no call state needed).
func (e TranscriptEntry) Validate() error {
	if e.Role != RoleUser && e.Role != RoleAssistant {
		return &FieldError{Field: "role", Err: fmt.Errorf("%w: role %q must be user or assistant", ErrInvalid, e.Role)}
	}
	if err := validateText("content", e.Content, MaxTranscriptContent); err != nil {
		return err
	}
	if isBlank(e.Content) {
		return &FieldError{Field: "content", Err: fmt.Errorf("%w: content must not be empty", ErrInvalid)}
	}
	if e.TimestampMs < 0 || e.TimestampMs > MaxCallDuration.Milliseconds() {
		return &FieldError{Field: "timestampMs", Err: fmt.Errorf("%w: timestampMs must be in 0..%d (a call lasts at most %s)",
			ErrInvalid, MaxCallDuration.Milliseconds(), MaxCallDuration)}
	}
	return nil
}

func isBlank(s string) bool {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}
