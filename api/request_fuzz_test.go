package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/domain"
)

// requestBodies are the JSON bodies the routes decode, each with the check
// its handler runs next on the decoded value (nil: none that is pure).
var requestBodies = []struct {
	name string
	new  func() any
	// next is the handler's next step on a decoded body: it returns a
	// validation error or nil, and the value it accepted must be storable.
	next func(t *testing.T, v any) error
}{
	{"CallCreate", func() any { return new(CallCreate) }, func(t *testing.T, v any) error {
		b := v.(*CallCreate)
		if b.Mode == nil {
			return invalidField("mode", "is required")
		}
		if _, err := domain.ParseMode(*b.Mode); err != nil {
			return &domain.FieldError{Field: "mode", Err: err} // as handleCallCreate does
		}
		return nil
	}},
	{"CallUpdate", func() any { return new(CallUpdate) }, func(t *testing.T, v any) error {
		b := v.(*CallUpdate)
		if b.StartedAt == nil {
			return nil
		}
		at, err := time.Parse(time.RFC3339Nano, *b.StartedAt)
		if err != nil {
			return invalidField("startedAt", "must be an RFC 3339 date-time")
		}
		if err := checkOffset("startedAt", at); err != nil {
			return err
		}
		if _, err := json.Marshal(at); err != nil {
			t.Fatalf("startedAt %q accepted but cannot be encoded: %v", *b.StartedAt, err)
		}
		return nil
	}},
	{"CallEnd", func() any { return new(CallEnd) }, func(t *testing.T, v any) error {
		b := v.(*CallEnd)
		if b.Reason != nil {
			if err := domain.ValidateReason(*b.Reason); err != nil {
				return err
			}
			storable(t, "reason", *b.Reason)
		}
		if b.ElevenlabsConversationID != nil {
			if err := domain.ValidateConversationID(*b.ElevenlabsConversationID); err != nil {
				return err
			}
			storable(t, "elevenlabsConversationId", *b.ElevenlabsConversationID)
		}
		return nil
	}},
	{"TranscriptAdd", func() any { return new(TranscriptAdd) }, func(t *testing.T, v any) error {
		b := v.(*TranscriptAdd)
		lines := b.Entries
		prefix := "entries[%d]."
		if b.Role != nil || b.Content != nil || b.TimestampMs != nil {
			lines, prefix = []TranscriptLine{{Role: b.Role, Content: b.Content, TimestampMs: b.TimestampMs}}, ""
		}
		for _, l := range lines {
			e, err := l.entry(prefix)
			if err != nil {
				return err
			}
			if verr := e.Validate(); verr != nil {
				t.Fatalf("entry accepted but invalid: %v", verr)
			}
			storable(t, "content", e.Content)
			if e.TimestampMs < 0 || e.TimestampMs > domain.MaxCallDuration.Milliseconds() {
				t.Fatalf("timestampMs %d accepted", e.TimestampMs)
			}
		}
		return nil
	}},
	{"TurnRequest", func() any { return new(TurnRequest) }, nil},
	{"ProfileUpdate", func() any { return new(ProfileUpdate) }, nil},
	{"Onboarding", func() any { return new(Onboarding) }, nil},
	{"PersonaGenerate", func() any { return new(PersonaGenerate) }, nil},
	{"VoiceStart", func() any { return new(VoiceStart) }, nil},
	{"CallImport", func() any { return new(CallImport) }, func(t *testing.T, v any) error {
		if b := v.(*CallImport); b.StartedAt != nil {
			return checkOffset("startedAt", *b.StartedAt) // as handleCallImport does, before the time is used
		}
		return nil
	}},
	{"DevSessionRequest", func() any { return new(DevSessionRequest) }, nil},
}

// storable: text the domain accepted can be stored in PostgreSQL.
func storable(t *testing.T, field, s string) {
	t.Helper()
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		t.Fatalf("%s %q accepted but not storable", field, s)
	}
}

// fuzzDecode runs decodeBody on body as a request to the server would.
func fuzzDecode(s *Server, body []byte, dst any, optional bool) error {
	e := echo.New()
	req := httptest.NewRequest(http.MethodPost, "/api/calls", bytes.NewReader(body))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	rec := httptest.NewRecorder()
	req.Body = http.MaxBytesReader(rec, req.Body, s.cfg.MaxBodyBytes)
	return s.decodeBody(e.NewContext(req, rec), dst, optional)
}

// isDocumentedValidationError: a 400 VALIDATION_ERROR naming a field, or a
// domain validation error (which toError maps to one).
func isDocumentedValidationError(err error) bool {
	var ae *Error
	if errors.As(err, &ae) {
		fi, ok := ae.Details.(FieldIssue)
		return ae.Status == http.StatusBadRequest && ae.Code == CodeValidation && ok && fi.Field != "" && fi.Issue != ""
	}
	var fe *domain.FieldError
	return errors.As(err, &fe) && errors.Is(err, domain.ErrInvalid) && fe.Field != ""
}

// FuzzDecodeBody: the request decoder and the handler's next check never
// panic; together they answer a documented validation error, or accept a
// value that is storable and survives re-encoding (decode(encode(x)) is x).
func FuzzDecodeBody(f *testing.F) {
	seeds := []string{
		`{"mode":"cold_call","personaId":"5f0c6a52-3f4e-4d7a-9a43-0d8c3f1b2a11","hints":true}`,
		`{"status":"in_progress","startedAt":"2026-01-01T00:00:00Z","elevenlabsConversationId":"conv_1"}`,
		`{"reason":"done","elevenlabsConversationId":"conv_1"}`,
		`{"role":"user","content":"Hi there","timestampMs":1500}`,
		`{"entries":[{"role":"user","content":"Hi","timestampMs":0},{"role":"assistant","content":"Who is this?","timestampMs":1500}]}`,
		`{"content":"Hello, this is Sam"}`,
		`{"fullName":"Ada Lovelace","avatarUrl":"https://img.example.com/a.png"}`,
		`{"timezone":"Europe/Paris","data":{"goal":"close more"}}`,
		`{"industry":"Logistics","role":"VP of Sales","personality":"busy","difficulty":"easy"}`,
		`{"callId":"5f0c6a52-3f4e-4d7a-9a43-0d8c3f1b2a11","mode":"discovery","personaId":"5f0c6a52-3f4e-4d7a-9a43-0d8c3f1b2a11"}`,
		`{"content":"Rep: hi\nProspect: yes?","format":"text","repSpeaker":"Rep","mode":"cold_call","startedAt":"9999-12-31T23:59:59-14:00"}`,
		`{"email":"ada@example.com","fullName":"Ada"}`,
		`null`, `[]`, `{"content":"\u0000"}`, `{"timestampMs":1e400}`, `{"a":1}{}`, "\xff", `{"startedAt":"0000-01-01T00:00:00+01:00"}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	srv := &Server{cfg: Config{MaxBodyBytes: 64 << 10}}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		rb := requestBodies[int(kind)%len(requestBodies)]
		optional := rb.name == "CallEnd"
		dst := rb.new()
		err := fuzzDecode(srv, body, dst, optional)
		if err != nil {
			if !isDocumentedValidationError(err) {
				t.Fatalf("%s: %q: error %v (%T) is not a documented validation error", rb.name, body, err, err)
			}
			return
		}
		if rb.next != nil {
			// The handler's next step refuses with a documented error, or
			// accepts a value that must then survive re-encoding.
			if err := rb.next(t, dst); err != nil {
				if !isDocumentedValidationError(err) {
					t.Fatalf("%s: next step's error %v (%T) is not a documented validation error", rb.name, err, err)
				}
				return
			}
		}
		enc, err := json.Marshal(dst)
		if err != nil {
			t.Fatalf("%s: a decoded body cannot be encoded again: %v", rb.name, err)
		}
		again := rb.new()
		if err := fuzzDecode(srv, enc, again, optional); err != nil {
			t.Fatalf("%s: decode(encode(x)) fails: %v\nfirst: %q\nencoded: %s", rb.name, err, body, enc)
		}
		enc2, err := json.Marshal(again)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("%s: decode(encode(x)) != x: %s vs %s (%v)", rb.name, enc, enc2, err)
		}
	})
}
