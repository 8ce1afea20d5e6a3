package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Free text recorded by an event ends up in PostgreSQL (jsonb payloads and text
// columns), which cannot store the NUL character U+0000 nor invalid UTF-8:
// such a string would fail the append or, worse, a projection. So every text
// field of every command passes validateText, the one check for storable
// text; input that fails it is refused with a *FieldError naming the field.
//
// Text from a signed webhook sender is not refused but cleaned first with
// SanitizeText (see its comment for why).

// validateText checks one free-text field: valid UTF-8, no NUL character and
// at most max characters (runes).
func validateText(field, s string, max int) error {
	switch {
	case !utf8.ValidString(s):
		return &FieldError{Field: field, Err: fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, field)}
	case strings.IndexByte(s, 0) >= 0:
		return &FieldError{Field: field, Err: fmt.Errorf("%w: %s must not contain the NUL character (U+0000)", ErrInvalid, field)}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return &FieldError{Field: field, Err: fmt.Errorf("%w: %s has %d characters, the limit is %d", ErrInvalid, field, n, max)}
	}
	return nil
}

// validateJSONText checks every string (keys and values) of a JSON document
// with validateText; an empty document passes.
func validateJSONText(field string, doc json.RawMessage) error {
	if len(doc) == 0 {
		return nil
	}
	if !utf8.Valid(doc) {
		return &FieldError{Field: field, Err: fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, field)}
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &FieldError{Field: field, Err: fmt.Errorf("%w: %s is not valid JSON", ErrInvalid, field)}
		}
		if s, ok := tok.(string); ok {
			if err := validateText(field, s, len(doc)); err != nil {
				return err
			}
		}
	}
}

// SanitizeText makes text storable: invalid UTF-8 sequences become U+FFFD and
// NUL characters are removed; the rest is kept as it is.
//
// It is for text a caller cannot send back, namely the payloads of signed
// webhooks (Clerk user events, ElevenLabs conversations). Refusing such a
// delivery with a 4xx makes the sender give up on it, losing a whole
// transcript or profile for one stray character; a 5xx makes it retry a
// delivery that can never succeed. Dropping a NUL changes nothing a person
// would read, so webhook text is cleaned and kept. Input from API clients is
// refused instead (validateText), since the client can correct it.
func SanitizeText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
