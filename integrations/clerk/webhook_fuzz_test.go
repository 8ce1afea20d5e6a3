package clerk_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/clerk/clerkfake"
)

// FuzzParseWebhook: the Svix payload parser never panics; it answers an
// ErrMalformedEvent or an event of the documented shape (a type; a user id
// starting "user_" for user events; valid UTF-8 text), whose user survives
// re-encoding (parse(encode(parse(x))) is parse(x)). The app port sees the
// same: a signed body verifies, and is refused as malformed exactly when the
// parser refuses it.
func FuzzParseWebhook(f *testing.F) {
	now := time.UnixMilli(1_767_225_600_000)
	for _, typ := range []string{clerk.EventUserCreated, clerk.EventUserUpdated, clerk.EventUserDeleted} {
		f.Add(clerkfake.UserEvent(typ, clerkfake.User{ID: "user_2ab", Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
			ImageURL: "https://img.example.com/a.png", OtherEmails: []string{"old@example.com"}}, now))
	}
	f.Add([]byte(`{"type":"user.created","data":{"id":"user_x","first_name":"Gr\u0000ace","email_addresses":[{"id":"e","email_address":"a@b"}],"primary_email_address_id":"zz"}}`))
	f.Add([]byte(`{"type":"session.created","object":"event","data":{"id":"sess_1"}}`))
	f.Add([]byte(`{"type":"user.updated","timestamp":9223372036854775807,"data":{"id":"user_1","created_at":-1,"updated_at":9223372036854775807}}`))
	f.Add([]byte(`{"type":"user.deleted","data":null}`))
	f.Add([]byte(`{"type":"","data":{}}`))
	f.Add([]byte("{\"type\":\"user.created\",\"data\":{\"id\":\"user_\xff\"}}"))
	verifier, err := clerk.NewWebhookVerifier(vecSecret)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := clerk.ParseWebhook(body)
		h, serr := clerk.SignWebhook(vecSecret, "msg_fuzz", time.Now(), body)
		if serr != nil {
			t.Fatalf("sign: %v", serr)
		}
		_, verr := verifier.VerifyIdentityWebhook(app.WebhookDelivery{Header: h, Body: body})
		if err != nil {
			if !errors.Is(err, clerk.ErrMalformedEvent) {
				t.Fatalf("error %v is not ErrMalformedEvent", err)
			}
			if !errors.Is(verr, app.ErrMalformedWebhook) {
				t.Fatalf("the app port answers %v for a body the parser refuses", verr)
			}
			return
		}
		if verr != nil {
			t.Fatalf("a signed body the parser accepts is refused by the app port: %v", verr)
		}
		if ev.Type == "" {
			t.Fatal("an event without a type")
		}
		for _, s := range []string{ev.Type, ev.UserID, ev.Email, ev.FirstName, ev.LastName, ev.ImageURL} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q in a parsed event", s)
			}
		}
		switch ev.Type {
		case clerk.EventUserCreated, clerk.EventUserUpdated, clerk.EventUserDeleted:
		default:
			return
		}
		if !strings.HasPrefix(ev.UserID, "user_") {
			t.Fatalf("user event with user id %q", ev.UserID)
		}
		if ev.Deleted != (ev.Type == clerk.EventUserDeleted) {
			t.Fatalf("%s with Deleted %v", ev.Type, ev.Deleted)
		}
		u := clerkfake.User{ID: ev.UserID, Email: ev.Email, FirstName: ev.FirstName, LastName: ev.LastName, ImageURL: ev.ImageURL}
		again, err := clerk.ParseWebhook(clerkfake.UserEvent(ev.Type, u, time.Now()))
		if err != nil {
			t.Fatalf("re-encoded event refused: %v", err)
		}
		if again.UserID != ev.UserID || again.Deleted != ev.Deleted {
			t.Fatalf("round trip changed the user: %+v vs %+v", again, ev)
		}
		if !ev.Deleted && (again.Email != ev.Email || again.FirstName != ev.FirstName || again.LastName != ev.LastName || again.ImageURL != ev.ImageURL) {
			t.Fatalf("round trip changed the user: %+v vs %+v", again, ev)
		}
	})
}

// The signature covers the body: any change to a signed body is refused.
func FuzzVerifyWebhook(f *testing.F) {
	f.Add([]byte(`{"type":"user.created"}`), uint16(3))
	f.Add([]byte{}, uint16(0))
	f.Fuzz(func(t *testing.T, body []byte, flip uint16) {
		at := time.Now()
		h, err := clerk.SignWebhook(vecSecret, "msg_fuzz", at, body)
		if err != nil {
			t.Fatal(err)
		}
		if err := clerk.VerifyWebhookAt(vecSecret, h, body, at); err != nil {
			t.Fatalf("a signed body does not verify: %v", err)
		}
		if len(body) == 0 {
			return
		}
		changed := append([]byte(nil), body...)
		changed[int(flip)%len(changed)] ^= 0x01
		if err := clerk.VerifyWebhookAt(vecSecret, h, changed, at); err == nil {
			t.Fatal("a changed body verifies")
		}
		if err := clerk.VerifyWebhookAt(vecSecret, http.Header{}, body, at); err == nil {
			t.Fatal("a body without headers verifies")
		}
	})
}
