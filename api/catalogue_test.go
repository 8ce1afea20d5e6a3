package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/clerk/clerkfake"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
)

// The bad-input catalogue (issue 10): every route of docs/openapi.yaml and
// both webhooks, sent malformed and hostile input. Each case must answer a
// 4xx whose body is the documented error envelope (the conformance transport
// validates every response against the OpenAPI document, including that the
// status is documented for the route) and must store nothing: the event log's
// head is the same before and after. No case may answer >= 500.
//
// Webhook bodies are signed correctly (Svix for Clerk, ElevenLabs-Signature)
// so that they get past the signature check and reach the parsers.

// badInput is one catalogue case.
type badInput struct {
	name   string
	method string
	path   string
	// token is sent as "Authorization: Bearer <token>" unless header sets Authorization.
	token string
	// body is sent as is when it is a string or []byte, JSON-encoded otherwise; nil sends no body.
	body any
	// header is set after the defaults (Content-Type application/json when there is a body); an empty value removes a header.
	header map[string]string
	// sign signs the body for a webhook: signClerk or signEleven.
	sign int
	// status is the expected status; 0 accepts any 4xx.
	status int
	// code is the expected error code; "" accepts any.
	code string
	// field is the field a validation error must name; "" accepts any.
	field string
	// pending names another change the expected answer waits for; until it lands a 2xx that stores nothing skips the case.
	pending string
}

const (
	signNone = iota
	signClerk
	signEleven
)

// catalogueFixtures are the data the cases point at.
type catalogueFixtures struct {
	tok, otherTok                       string
	me, other                           string // user ids
	pending, started, ended, otherCall  string // call ids
	failed                              string
	myPersona, otherPersona             string
	expiredTok, foreignTok, noExpiryTok string
	noneTok                             string // alg "none": unsigned
}

func TestBadInputCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks(t), func(o *envOptions) { o.cfg.RateLimit.Disabled = true })
	f := e.catalogueFixtures(t)
	cases := badInputCatalogue(f)
	require.GreaterOrEqual(t, len(cases), 150)

	names := map[string]bool{}
	ctx := context.Background()
	statuses := map[int]int{}
	for _, tc := range cases {
		require.False(t, names[tc.name], "duplicate case name %q", tc.name)
		names[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			before, err := e.store.Head(ctx)
			require.NoError(t, err)
			r := e.sendBad(t, tc)
			statuses[r.status]++
			after, err := e.store.Head(ctx)
			require.NoError(t, err)
			assert.Equal(t, before, after, "a refused request stores nothing")
			require.Less(t, r.status, 500, "no bad input answers a 5xx: %s", r.body)
			if tc.pending != "" && r.status < 300 {
				t.Skipf("answers %d until %s lands (nothing was stored)", r.status, tc.pending)
			}
			require.GreaterOrEqual(t, r.status, 400, "bad input is refused: %s", r.body)
			if tc.status != 0 {
				assert.Equal(t, tc.status, r.status, "body: %s", r.body)
			}
			if r.method() == http.MethodHead {
				return // no body to check
			}
			env := r.apiError(t)
			assert.NotEmpty(t, env.Error.Code)
			assert.NotEmpty(t, env.Error.Message)
			assert.Equal(t, r.header.Get(api.HeaderRequestID), env.Error.RequestID)
			if tc.code != "" {
				assert.Equal(t, tc.code, env.Error.Code, "body: %s", r.body)
			}
			if tc.field != "" {
				assert.Equal(t, tc.field, env.field(), "details: %v", env.Error.Details)
			}
			assert.NotContains(t, string(r.body), "\x00", "an error never echoes a NUL back")
		})
	}
	t.Logf("%d cases; statuses %v", len(cases), statuses)

	// Made-up methods add no metric series (issue 10: /metrics grew without bound).
	metrics := e.get(t, "/metrics", "")
	require.Equal(t, http.StatusOK, metrics.status)
	for _, m := range []string{"FOO", "BREW", "PROPFIND"} {
		assert.NotContains(t, string(metrics.body), `method="`+m+`"`)
	}

	// The fixtures are as they were.
	got := decode[api.Call](t, e.get(t, "/api/calls/"+f.pending, f.tok), http.StatusOK)
	assert.Equal(t, "pending", got.Status)
	got = decode[api.Call](t, e.get(t, "/api/calls/"+f.started, f.tok), http.StatusOK)
	assert.Equal(t, "in_progress", got.Status)
	got = decode[api.Call](t, e.get(t, "/api/calls/"+f.otherCall, f.otherTok), http.StatusOK)
	assert.Equal(t, "in_progress", got.Status)
}

func (e *env) catalogueFixtures(t *testing.T) catalogueFixtures {
	t.Helper()
	f := catalogueFixtures{tok: e.newUser(t), otherTok: e.newUser(t)}
	f.me = decode[api.Profile](t, e.get(t, "/api/user/profile", f.tok), http.StatusOK).ID
	f.other = decode[api.Profile](t, e.get(t, "/api/user/profile", f.otherTok), http.StatusOK).ID
	f.pending = e.createCall(t, f.tok).ID
	f.started = e.startedCall(t, f.tok).ID
	f.ended = e.endedCall(t, f.tok).ID
	f.otherCall = e.startedCall(t, f.otherTok).ID
	f.failed = e.createCall(t, f.tok).ID
	decode[api.Call](t, e.patch(t, "/api/calls/"+f.failed, f.tok, map[string]any{"status": "failed", "reason": "mic"}), http.StatusOK)
	// The key the catalogue reuses with another body.
	decode[api.TranscriptAdded](t, e.send(t, request{method: http.MethodPost, path: "/api/calls/" + f.started + "/transcript", token: f.tok,
		body:   map[string]any{"role": "user", "content": "first use of the key", "timestampMs": 6},
		header: map[string]string{api.HeaderIdempotencyKey: "k-catalogue-reused"}}), http.StatusCreated)
	f.myPersona = e.ownPersona(t, f.tok, "Mine")
	f.otherPersona = e.ownPersona(t, f.otherTok, "Theirs")

	now := time.Now()
	sign := func(key any, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
		require.NoError(t, err)
		return s
	}
	claims := func(iat, exp time.Time) jwt.MapClaims {
		return jwt.MapClaims{"iss": auth.LocalIssuerName, "sub": auth.LocalSubject("cat@example.com"), "sid": "s",
			"iat": iat.Unix(), "nbf": iat.Unix(), "exp": exp.Unix(), "email": "cat@example.com"}
	}
	f.expiredTok = sign(sharedKey(t), claims(now.Add(-2*time.Hour), now.Add(-time.Hour)))
	noExp := claims(now, now)
	delete(noExp, "exp")
	f.noExpiryTok = sign(sharedKey(t), noExp)
	foreign, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	f.foreignTok = sign(foreign, claims(now, now.Add(time.Hour)))
	f.noneTok, err = jwt.NewWithClaims(jwt.SigningMethodNone, claims(now, now.Add(time.Hour))).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	return f
}

func (r catalogueResponse) method() string { return r.req }

type catalogueResponse struct {
	response
	req string
}

// sendBad sends one case through the conformance-checking client.
func (e *env) sendBad(t *testing.T, tc badInput) catalogueResponse {
	t.Helper()
	var body []byte
	switch b := tc.body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		j, err := json.Marshal(b)
		require.NoError(t, err)
		body = j
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(tc.method, e.http.URL+tc.path, rd)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tc.token != "" {
		req.Header.Set("Authorization", "Bearer "+tc.token)
	}
	switch tc.sign {
	case signClerk:
		h, err := clerk.SignWebhook(clerkSecret, "msg_"+uuid.NewString(), time.Now(), body)
		require.NoError(t, err)
		for k := range h {
			req.Header.Set(k, h.Get(k))
		}
	case signEleven:
		req.Header.Set(elevenlabs.SignatureHeader, elevenlabs.SignWebhook(elevenSecret, body, time.Now()))
	}
	for k, v := range tc.header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return catalogueResponse{response: response{status: resp.StatusCode, header: resp.Header, body: b}, req: tc.method}
}

// jsonRoute is a route that takes a JSON body, with a valid body to vary.
type jsonRoute struct {
	name, method, path string
	valid              map[string]any
	public             bool
}

func badInputCatalogue(f catalogueFixtures) []badInput {
	const (
		get, post, patch = http.MethodGet, http.MethodPost, http.MethodPatch
		validation       = api.CodeValidation
		notFound         = api.CodeNotFound
		unauth           = api.CodeAuthentication
	)
	call := func(id string) string { return "/api/calls/" + id }
	missing := uuid.NewString()
	huge := strings.Repeat("a", 100_000)
	nested := strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000)
	nestedObj := strings.Repeat(`{"a":`, 20_000) + "1" + strings.Repeat("}", 20_000)
	tooLarge := `{"content":"` + strings.Repeat("x", 1<<20+1) + `"}`

	routes := []jsonRoute{
		{"dev session", post, "/api/dev/session", map[string]any{"email": "cat-new@example.com"}, true},
		{"profile update", patch, "/api/user/profile", map[string]any{"fullName": "Ada"}, false},
		{"onboarding", post, "/api/user/onboarding", map[string]any{"timezone": "UTC"}, false},
		{"persona generate", post, "/api/personas/generate", map[string]any{"industry": "Logistics", "role": "VP", "personality": "busy", "difficulty": "easy"}, false},
		{"call create", post, "/api/calls", map[string]any{"mode": "cold_call", "personaId": presetID}, false},
		{"voice start", post, "/api/calls/start", map[string]any{"callId": uuid.NewString(), "mode": "cold_call", "personaId": presetID}, false},
		{"call import", post, "/api/calls/import", map[string]any{"mode": "cold_call", "repSpeaker": "Rep", "content": "Rep: Hi\nProspect: Who is this?"}, false},
		{"call update", patch, call(f.pending), map[string]any{"status": "in_progress"}, false},
		{"call end", post, call(f.started) + "/end", map[string]any{"reason": "done"}, false},
		{"transcript add", post, call(f.started) + "/transcript", map[string]any{"role": "user", "content": "hi", "timestampMs": 1}, false},
		{"turn", post, call(f.started) + "/turns", map[string]any{"content": "Hello"}, false},
	}
	var cs []badInput
	add := func(c ...badInput) { cs = append(cs, c...) }

	// Malformed and hostile JSON on every route that takes a body. The
	// valid body with one change shows that the change alone is refused.
	for _, r := range routes {
		tok := f.tok
		if r.public {
			tok = ""
		}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for kk, vv := range r.valid {
				m[kk] = vv
			}
			m[k] = v
			return m
		}
		validJSON, _ := json.Marshal(r.valid)
		b := func(name string, body any, field string) badInput {
			return badInput{name: r.name + ": " + name, method: r.method, path: r.path, token: tok, body: body,
				status: http.StatusBadRequest, code: validation, field: field}
		}
		add(
			b("truncated JSON", `{"`, "body"),
			b("not JSON", "hello", "body"),
			b("an array", "[]", "body"),
			b("a string", `"x"`, "body"),
			b("two objects", string(validJSON)+"{}", "body"),
			b("unknown field", with("isAdmin", true), "isAdmin"),
			b("NUL in a key", with("a\x00b", 1), "a\x00b"),
			b("an empty key", with("", 1), "body"), // found by FuzzDecodeBody: the error named no field
			b("invalid UTF-8", append(append([]byte(`{"x":"`), 0xff, 0xfe), []byte(`"}`)...), "body"),
			b("deeply nested arrays", nested, "body"),
			b("deeply nested objects", nestedObj, "body"),
			b("larger than the body limit", tooLarge, "body"),
		)
		if r.path == "/api/calls/import" {
			cs[len(cs)-1].field = "" // within the import route's larger limit: refused for its content
		}
		if r.name != "call end" {
			// null reads as {} (TestBadRequestsInGeneral): refused for what is missing; POST /end takes no body at all.
			add(b("JSON null", "null", ""))
		}
		ct := b("text/plain", string(validJSON), "body")
		ct.header = map[string]string{"Content-Type": "text/plain"}
		form := b("form encoded", "a=1", "body")
		form.header = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
		broken := b("unparseable content type", string(validJSON), "body")
		broken.header = map[string]string{"Content-Type": "application/json; ;;="}
		add(ct, form, broken)
	}
	// The import route takes a larger body; past its own limit it is refused too.
	add(badInput{name: "call import: larger than its body limit", method: post, path: "/api/calls/import", token: f.tok,
		body: `{"mode":"cold_call","content":"` + strings.Repeat("x", 5<<20) + `"}`, status: 400, code: validation, field: "body"})

	// NUL, invalid escapes and over-long text in every text field not
	// covered by TestNULInTextFieldsIsAValidationError.
	const nul = "\x00"
	v := func(name, method, path string, body any, field string) badInput {
		tok := f.tok
		if path == "/api/dev/session" {
			tok = ""
		}
		return badInput{name: name, method: method, path: path, token: tok, body: body, status: 400, code: validation, field: field}
	}
	gen := func(k, val string) map[string]any {
		m := map[string]any{"industry": "Logistics", "role": "VP", "personality": "busy", "difficulty": "easy"}
		m[k] = val
		return m
	}
	add(
		v("dev session: NUL in email", post, "/api/dev/session", map[string]any{"email": "a" + nul + "@example.com"}, ""),
		v("dev session: NUL in fullName", post, "/api/dev/session", map[string]any{"email": "nulname@example.com", "fullName": "A" + nul}, ""),
		v("dev session: not an email", post, "/api/dev/session", map[string]any{"email": "nobody"}, ""),
		v("dev session: huge email", post, "/api/dev/session", map[string]any{"email": huge + "@example.com"}, ""),
		v("dev session: email missing", post, "/api/dev/session", map[string]any{"fullName": "Ada"}, "email"),
		v("dev session: email a number", post, "/api/dev/session", map[string]any{"email": 5}, "email"),
		v("persona generate: NUL in industry", post, "/api/personas/generate", gen("industry", "Lo"+nul), ""),
		v("persona generate: NUL in role", post, "/api/personas/generate", gen("role", nul), ""),
		v("persona generate: NUL in personality", post, "/api/personas/generate", gen("personality", "busy"+nul), ""),
		v("call import: NUL in mode", post, "/api/calls/import", map[string]any{"mode": "cold_call" + nul, "repSpeaker": "Rep", "content": "Rep: Hi\nProspect: Yes?"}, "mode"),
		v("call import: NUL in personaId", post, "/api/calls/import", map[string]any{"mode": "cold_call", "repSpeaker": "Rep", "content": "Rep: Hi\nProspect: Yes?", "personaId": nul}, "personaId"),
		v("voice start: NUL in callId", post, "/api/calls/start", map[string]any{"callId": f.pending + nul, "mode": "cold_call", "personaId": presetID}, "callId"),
		v("voice start: NUL in mode", post, "/api/calls/start", map[string]any{"callId": f.pending, "mode": nul, "personaId": presetID}, "mode"),
		v("voice start: NUL in personaId", post, "/api/calls/start", map[string]any{"callId": f.pending, "mode": "cold_call", "personaId": nul + presetID}, "personaId"),
		v("persona generate: unknown personality", post, "/api/personas/generate", gen("personality", "evil"), ""),
		v("persona generate: unknown difficulty", post, "/api/personas/generate", gen("difficulty", "nightmare"+nul), ""),
		v("persona generate: huge industry", post, "/api/personas/generate", gen("industry", huge), ""),
		v("call create: NUL in mode", post, "/api/calls", map[string]any{"mode": "cold_call" + nul, "personaId": presetID}, "mode"),
		v("call create: unknown mode", post, "/api/calls", map[string]any{"mode": "hard_sell", "personaId": presetID}, "mode"),
		v("call create: hints a string", post, "/api/calls", map[string]any{"mode": "cold_call", "personaId": presetID, "hints": "yes"}, "hints"),
		v("call create: mode a number", post, "/api/calls", map[string]any{"mode": 1, "personaId": presetID}, "mode"),
		v("call import: NUL in content", post, "/api/calls/import", map[string]any{"mode": "cold_call", "content": "Rep: Hi" + nul + "\nProspect: Yes?"}, ""),
		v("call import: NUL in repSpeaker", post, "/api/calls/import", map[string]any{"mode": "cold_call", "content": "Rep: Hi\nProspect: Yes?", "repSpeaker": "Rep" + nul}, ""),
		v("call import: NUL in format", post, "/api/calls/import", map[string]any{"mode": "cold_call", "content": "Rep: Hi\nProspect: Yes?", "format": "text" + nul}, ""),
		v("call import: unknown format", post, "/api/calls/import", map[string]any{"mode": "cold_call", "content": "Rep: Hi\nProspect: Yes?", "format": "docx"}, ""),
		v("call import: empty content", post, "/api/calls/import", map[string]any{"mode": "cold_call", "content": ""}, ""),
		v("call import: content missing", post, "/api/calls/import", map[string]any{"mode": "cold_call"}, "content"),
		v("call import: mode missing", post, "/api/calls/import", map[string]any{"content": "Rep: Hi\nProspect: Yes?"}, "mode"),
		v("transcript add: NUL in role", post, call(f.started)+"/transcript", map[string]any{"role": "user" + nul, "content": "hi", "timestampMs": 1}, "role"),
		v("transcript add: unknown role", post, call(f.started)+"/transcript", map[string]any{"role": "system", "content": "hi", "timestampMs": 1}, "role"),
		v("transcript add: content over the limit", post, call(f.started)+"/transcript", map[string]any{"role": "user", "content": huge, "timestampMs": 1}, "content"),
		v("transcript add: blank content", post, call(f.started)+"/transcript", map[string]any{"role": "user", "content": " \n\t", "timestampMs": 1}, "content"),
		v("transcript add: role missing", post, call(f.started)+"/transcript", map[string]any{"content": "hi", "timestampMs": 1}, "role"),
		v("transcript add: line and entries", post, call(f.started)+"/transcript", map[string]any{"role": "user", "content": "hi", "timestampMs": 1, "entries": []any{}}, "entries"),
		v("transcript add: no entries", post, call(f.started)+"/transcript", map[string]any{"entries": []any{}}, "entries"),
		v("transcript add: entries null", post, call(f.started)+"/transcript", map[string]any{"entries": nil}, "entries"),
		v("transcript add: an entry is a string", post, call(f.started)+"/transcript", map[string]any{"entries": []any{"hi"}}, ""),
		v("transcript add: over the batch limit", post, call(f.started)+"/transcript", map[string]any{"entries": manyLines(501)}, "entries"),
		v("turn: content over the limit", post, call(f.started)+"/turns", map[string]any{"content": huge}, "content"),
		v("turn: blank content", post, call(f.started)+"/turns", map[string]any{"content": "   "}, "content"),
		v("turn: content missing", post, call(f.started)+"/turns", map[string]any{}, "content"),
		v("turn: content an object", post, call(f.started)+"/turns", map[string]any{"content": map[string]any{"a": 1}}, "content"),
		v("profile update: nothing to update", patch, "/api/user/profile", map[string]any{}, "body"),
		v("profile update: fullName over the limit", patch, "/api/user/profile", map[string]any{"fullName": huge}, "fullName"),
		v("profile update: avatarUrl over the limit", patch, "/api/user/profile", map[string]any{"avatarUrl": "https://example.com/" + huge}, "avatarUrl"),
		v("profile update: avatarUrl not a URL", patch, "/api/user/profile", map[string]any{"avatarUrl": "https://exa mple.com/%zz"}, "avatarUrl"),
		v("onboarding: unknown time zone", post, "/api/user/onboarding", map[string]any{"timezone": "Mars/Olympus"}, "timezone"),
		v("onboarding: time zone a path", post, "/api/user/onboarding", map[string]any{"timezone": "../../etc/passwd"}, "timezone"),
		v("onboarding: time zone missing", post, "/api/user/onboarding", map[string]any{"data": map[string]string{"a": "b"}}, "timezone"),
		v("onboarding: data not strings", post, "/api/user/onboarding", map[string]any{"timezone": "UTC", "data": map[string]any{"a": 1}}, ""),
		v("onboarding: too many answers", post, "/api/user/onboarding", map[string]any{"timezone": "UTC", "data": manyAnswers(51)}, ""),
		v("onboarding: an answer over the limit", post, "/api/user/onboarding", map[string]any{"timezone": "UTC", "data": map[string]string{"goal": huge}}, ""),
		v("call update: unknown status", patch, call(f.pending), map[string]any{"status": "paused"}, "status"),
		v("call update: NUL in status", patch, call(f.pending), map[string]any{"status": "in_progress" + nul}, "status"),
		v("call update: reason over the limit", patch, call(f.pending), map[string]any{"status": "failed", "reason": huge}, "reason"),
		v("call update: conversation id over the limit", patch, call(f.started), map[string]any{"elevenlabsConversationId": huge}, "elevenlabsConversationId"),
		v("call end: reason over the limit", post, call(f.started)+"/end", map[string]any{"reason": huge}, "reason"),
		v("call end: reason a number", post, call(f.started)+"/end", map[string]any{"reason": 7}, "reason"),
	)

	// Out-of-range numbers and dates.
	line := func(ts any) map[string]any { return map[string]any{"role": "user", "content": "hi", "timestampMs": ts} }
	startAt := func(s any) map[string]any { return map[string]any{"status": "in_progress", "startedAt": s} }
	imp := func(s any) map[string]any {
		return map[string]any{"mode": "cold_call", "repSpeaker": "Rep", "content": "Rep: Hi\nProspect: Who is this?", "startedAt": s}
	}
	add(
		v("timestampMs negative", post, call(f.started)+"/transcript", line(-1), "timestampMs"),
		v("timestampMs past a day", post, call(f.started)+"/transcript", line(int64(25*time.Hour/time.Millisecond)), "timestampMs"),
		v("timestampMs max int64", post, call(f.started)+"/transcript", line(int64(1<<63-1)), "timestampMs"),
		v("timestampMs past int64", post, call(f.started)+"/transcript", `{"role":"user","content":"hi","timestampMs":9223372036854775808}`, "timestampMs"),
		v("timestampMs 1e400", post, call(f.started)+"/transcript", `{"role":"user","content":"hi","timestampMs":1e400}`, ""),
		v("timestampMs a fraction", post, call(f.started)+"/transcript", line(1.5), "timestampMs"),
		v("timestampMs a string", post, call(f.started)+"/transcript", line("1"), "timestampMs"),
		v("timestampMs in an entry negative", post, call(f.started)+"/transcript", map[string]any{"entries": []any{line(0), line(-5)}}, "entries[1].timestampMs"),
		v("startedAt not a date", patch, call(f.pending), startAt("yesterday"), "startedAt"),
		v("startedAt month 13", patch, call(f.pending), startAt("2026-13-45T00:00:00Z"), "startedAt"),
		v("startedAt year 0", patch, call(f.pending), startAt("0000-01-01T00:00:00Z"), "startedAt"),
		v("startedAt a number", patch, call(f.pending), startAt(1700000000), "startedAt"),
		v("startedAt without a zone", patch, call(f.pending), startAt("2026-01-01T00:00:00"), "startedAt"),
		// Found by FuzzDecodeBody: time.Parse reads a +24:00 offset, which no JSON encoder can write back.
		v("startedAt offset +24:00", patch, call(f.pending), startAt(time.Now().UTC().Add(24*time.Hour).Format("2006-01-02T15:04:05")+"+24:00"), "startedAt"),
		v("import startedAt offset -24:00", post, "/api/calls/import", imp(time.Now().UTC().Add(-25*time.Hour).Format("2006-01-02T15:04:05")+"-24:00"), "startedAt"),
		v("import startedAt year 10000 in UTC", post, "/api/calls/import", imp("9999-12-31T23:59:59-14:00"), "startedAt"),
		v("import startedAt year 1", post, "/api/calls/import", imp("0001-01-01T00:00:00Z"), "startedAt"),
		v("import startedAt in the future", post, "/api/calls/import", imp(time.Now().Add(48*time.Hour).UTC().Format(time.RFC3339)), "startedAt"),
		v("import startedAt not a date", post, "/api/calls/import", imp("soon"), ""),
	)

	// Odd ids: in the path, in the body, of another user or another kind.
	id := func(name, method, path, tok string, body any, status int, code string) badInput {
		return badInput{name: name, method: method, path: path, token: tok, body: body, status: status, code: code}
	}
	add(
		id("call get: another user's call", get, call(f.otherCall), f.tok, nil, 404, notFound),
		id("call get: a user id", get, call(f.me), f.tok, nil, 404, notFound),
		id("call get: a persona id", get, call(presetID), f.tok, nil, 404, notFound),
		id("call get: an unknown uuid", get, call(missing), f.tok, nil, 404, notFound),
		id("call get: not a uuid", get, call("abc"), f.tok, nil, 400, validation),
		id("call get: upper-case uuid", get, call(strings.ToUpper(f.pending)), f.tok, nil, 400, validation),
		id("call get: uuid in braces", get, call("%7B"+f.pending+"%7D"), f.tok, nil, 400, validation),
		id("call get: huge id", get, call(strings.Repeat("9", 4000)), f.tok, nil, 400, validation),
		id("call get: encoded NUL", get, call("%00"), f.tok, nil, 400, validation),
		id("call get: nil uuid", get, call("00000000-0000-0000-0000-000000000000"), f.tok, nil, 404, notFound),
		id("call update: another user's call", patch, call(f.otherCall), f.tok, map[string]any{"status": "failed"}, 404, notFound),
		id("call update: a persona id", patch, call(presetID), f.tok, map[string]any{"status": "failed"}, 404, notFound),
		id("call update: not a uuid", patch, call("1"), f.tok, map[string]any{"status": "failed"}, 400, validation),
		id("call end: another user's call", post, call(f.otherCall)+"/end", f.tok, nil, 404, notFound),
		id("call end: a user id", post, call(f.other)+"/end", f.tok, nil, 404, notFound),
		id("call end: a pending call", post, call(f.pending)+"/end", f.tok, nil, 409, api.CodeConflict),
		id("transcript add: another user's call", post, call(f.otherCall)+"/transcript", f.tok, line(1), 404, notFound),
		id("transcript add: a failed call", post, call(f.failed)+"/transcript", f.tok, line(1), 409, api.CodeConflict),
		id("transcript add: a pending call", post, call(f.pending)+"/transcript", f.tok, line(1), 409, api.CodeConflict),
		id("transcript add: not a uuid", post, call("x")+"/transcript", f.tok, line(1), 400, validation),
		id("transcript get: another user's call", get, call(f.otherCall)+"/transcript", f.tok, nil, 404, notFound),
		id("transcript get: not a uuid", get, call("..")+"/transcript", f.tok, nil, 400, validation),
		id("turn: another user's call", post, call(f.otherCall)+"/turns", f.tok, map[string]any{"content": "hi"}, 404, notFound),
		id("turn: an ended call", post, call(f.ended)+"/turns", f.tok, map[string]any{"content": "hi"}, 409, api.CodeConflict),
		id("score: another user's call", get, call(f.otherCall)+"/score", f.tok, nil, 404, notFound),
		id("score: a persona id", get, call(presetID)+"/score", f.tok, nil, 404, notFound),
		id("score: not a uuid", get, call("score")+"/score", f.tok, nil, 400, validation),
		id("events: another user's call", get, call(f.otherCall)+"/events", f.tok, nil, 404, notFound),
		id("events: not a uuid", get, call("0x1")+"/events", f.tok, nil, 400, validation),
		id("stream: another user's call", get, call(f.otherCall)+"/stream", f.tok, nil, 404, notFound),
		id("stream: not a uuid", get, call("abc")+"/stream", f.tok, nil, 400, validation),
		id("stream token: another user's call", post, call(f.otherCall)+"/stream-token", f.tok, nil, 404, notFound),
		id("stream token: a user id", post, call(f.me)+"/stream-token", f.tok, nil, 404, notFound),
		id("stream token: not a uuid", post, call("abc")+"/stream-token", f.tok, nil, 400, validation),
		id("persona get: another user's persona", get, "/api/personas/"+f.otherPersona, f.tok, nil, 404, notFound),
		id("persona get: a user id", get, "/api/personas/"+f.me, f.tok, nil, 404, notFound),
		id("persona get: not a uuid", get, "/api/personas/dana", f.tok, nil, 400, validation),
		id("persona get: huge id", get, "/api/personas/"+strings.Repeat("f", 4000), f.tok, nil, 400, validation),
	)
	add(
		v("call create: personaId another user's persona", post, "/api/calls", map[string]any{"mode": "cold_call", "personaId": f.otherPersona}, "personaId"),
		v("call create: personaId unknown", post, "/api/calls", map[string]any{"mode": "cold_call", "personaId": missing}, "personaId"),
		v("call create: personaId not a uuid", post, "/api/calls", map[string]any{"mode": "cold_call", "personaId": "dana"}, "personaId"),
		v("call create: personaId huge", post, "/api/calls", map[string]any{"mode": "cold_call", "personaId": huge}, "personaId"),
		v("call create: personaId a number", post, "/api/calls", map[string]any{"mode": "cold_call", "personaId": 12}, "personaId"),
		v("call create: personaId with NUL", post, "/api/calls", map[string]any{"mode": "cold_call", "personaId": presetID + nul}, "personaId"),
		v("voice start: personaId a call id", post, "/api/calls/start", map[string]any{"callId": f.pending, "mode": "cold_call", "personaId": f.started}, "personaId"),
		v("voice start: personaId another user's persona", post, "/api/calls/start", map[string]any{"callId": f.pending, "mode": "cold_call", "personaId": f.otherPersona}, "personaId"),
		v("voice start: personaId not a uuid", post, "/api/calls/start", map[string]any{"callId": f.pending, "mode": "cold_call", "personaId": "x"}, "personaId"),
		v("voice start: callId missing", post, "/api/calls/start", map[string]any{"mode": "cold_call", "personaId": presetID}, "callId"),
		v("voice start: callId not a uuid", post, "/api/calls/start", map[string]any{"callId": "abc"}, "callId"),
		v("voice start: unknown mode", post, "/api/calls/start", map[string]any{"callId": f.pending, "mode": "yelling", "personaId": presetID}, "mode"),
		v("call import: personaId another user's persona", post, "/api/calls/import", map[string]any{"mode": "cold_call", "content": "Rep: Hi\nProspect: Yes?", "personaId": f.otherPersona}, "personaId"),
		v("call import: personaId a call id", post, "/api/calls/import", map[string]any{"mode": "cold_call", "content": "Rep: Hi\nProspect: Yes?", "personaId": f.pending}, "personaId"),
	)
	add(
		id("voice start: another user's call", post, "/api/calls/start", f.tok, map[string]any{"callId": f.otherCall, "mode": "cold_call", "personaId": presetID}, 0, ""),
		id("voice start: an ended call", post, "/api/calls/start", f.tok, map[string]any{"callId": f.ended, "mode": "cold_call", "personaId": presetID}, 0, ""),
		id("voice start: a failed call", post, "/api/calls/start", f.tok, map[string]any{"callId": f.failed, "mode": "cold_call", "personaId": presetID}, 0, ""),
	)

	// Query parameters.
	add(
		id("call list: limit negative", get, "/api/calls?limit=-1", f.tok, nil, 400, validation),
		id("call list: limit huge", get, "/api/calls?limit=99999999999999999999", f.tok, nil, 400, validation),
		id("call list: limit not a number", get, "/api/calls?limit=ten", f.tok, nil, 400, validation),
		id("call list: unknown mode", get, "/api/calls?mode=shouting", f.tok, nil, 400, validation),
		id("call list: unknown status", get, "/api/calls?status=paused", f.tok, nil, 400, validation),
		id("call list: garbage cursor", get, "/api/calls?cursor=%00%ff", f.tok, nil, 400, validation),
		id("call list: cursor not base64", get, "/api/calls?cursor=!!!", f.tok, nil, 400, validation),
		id("events: after negative", get, call(f.started)+"/events?after=-1", f.tok, nil, 400, validation),
		id("events: after past int32", get, call(f.started)+"/events?after=2147483648", f.tok, nil, 400, validation),
		id("events: after not a number", get, call(f.started)+"/events?after=first", f.tok, nil, 400, validation),
		id("stream: lastEventId past int32", get, call(f.started)+"/stream?lastEventId=2147483648", f.tok, nil, 400, validation),
		id("stream: lastEventId negative", get, call(f.started)+"/stream?lastEventId=-3", f.tok, nil, 400, validation),
		id("stream: garbage token parameter", get, call(f.started)+"/stream?token=abc", "", nil, 401, unauth),
	)

	// Headers: Last-Event-ID, Idempotency-Key, Authorization.
	hdr := func(name, method, path, tok string, body any, h map[string]string, status int, code string) badInput {
		return badInput{name: name, method: method, path: path, token: tok, body: body, header: h, status: status, code: code}
	}
	add(
		hdr("stream: Last-Event-ID past int32", get, call(f.started)+"/stream", f.tok, nil, map[string]string{"Last-Event-ID": "2147483648"}, 400, validation),
		hdr("stream: Last-Event-ID negative", get, call(f.started)+"/stream", f.tok, nil, map[string]string{"Last-Event-ID": "-1"}, 400, validation),
		hdr("stream: Last-Event-ID not a number", get, call(f.started)+"/stream", f.tok, nil, map[string]string{"Last-Event-ID": "abc"}, 400, validation),
		hdr("stream: Last-Event-ID huge", get, call(f.started)+"/stream", f.tok, nil, map[string]string{"Last-Event-ID": strings.Repeat("9", 400)}, 400, validation),
		hdr("stream: Last-Event-ID a float", get, call(f.started)+"/stream", f.tok, nil, map[string]string{"Last-Event-ID": "1.5"}, 400, validation),
		hdr("idempotency key too long", post, call(f.started)+"/transcript", f.tok, line(5), map[string]string{api.HeaderIdempotencyKey: strings.Repeat("k", 201)}, 400, validation),
		hdr("idempotency key with spaces", post, call(f.started)+"/transcript", f.tok, line(5), map[string]string{api.HeaderIdempotencyKey: "a key"}, 400, validation),
		hdr("idempotency key not ASCII", post, call(f.started)+"/transcript", f.tok, line(5), map[string]string{api.HeaderIdempotencyKey: "clé-✓"}, 400, validation),
		hdr("idempotency key with a tab", post, "/api/calls", f.tok, map[string]any{"mode": "cold_call", "personaId": presetID}, map[string]string{api.HeaderIdempotencyKey: "a\tb"}, 400, validation),
		hdr("idempotency key on a bad body", post, "/api/calls", f.tok, map[string]any{"mode": "x"}, map[string]string{api.HeaderIdempotencyKey: "k-bad-body"}, 400, validation),
	)
	for _, r := range []struct{ method, path string }{
		{get, "/api/user/profile"}, {post, "/api/calls"}, {get, call(f.pending)}, {post, call(f.started) + "/turns"}, {get, "/api/personas"},
		{get, "/api/user/progress"}, {get, call(f.started) + "/score"}, {get, call(f.started) + "/events"}, {get, call(f.started) + "/stream"},
		{post, call(f.started) + "/stream-token"},
	} {
		a := func(name, value string) badInput {
			return hdr(r.method+" "+r.path+": Authorization "+name, r.method, r.path, "", `{}`, map[string]string{"Authorization": value}, 401, unauth)
		}
		add(
			a("missing", ""),
			a("Basic", "Basic dXNlcjpwYXNz"),
			a("Bearer without a token", "Bearer"),
			a("garbage token", "Bearer not.a.jwt"),
			a("expired token", "Bearer "+f.expiredTok),
			a("token from another key", "Bearer "+f.foreignTok),
			a("token without exp", "Bearer "+f.noExpiryTok),
			a("two tokens", "Bearer "+f.tok+" "+f.tok),
			a("alg none", "Bearer "+f.noneTok),
		)
	}
	add(hdr("session cookie garbage", get, "/api/user/profile", "", nil, map[string]string{"Cookie": api.SessionCookie + "=garbage"}, 401, unauth))
	add(hdr("idempotency key reused with another body", post, call(f.started)+"/transcript", f.tok, line(7),
		map[string]string{api.HeaderIdempotencyKey: "k-catalogue-reused"}, 422, api.CodeIdempotencyKeyReused))

	// Made-up and wrong methods.
	for _, m := range []struct{ method, path string }{
		{http.MethodDelete, call(f.pending)}, {http.MethodPut, "/api/user/profile"}, {http.MethodDelete, "/api/user/profile"},
		{"FOO", "/api/calls"}, {"PROPFIND", "/api/health"}, {http.MethodPost, "/metrics"}, {http.MethodDelete, "/api/openapi.json"},
		{http.MethodPatch, "/api/dev/session"}, {http.MethodPut, "/api/personas/generate"}, {http.MethodDelete, "/api/calls/import"},
		{http.MethodGet, call(f.started) + "/stream-token"}, {http.MethodGet, call(f.started) + "/end"}, {http.MethodGet, call(f.started) + "/turns"}, {"BREW", "/api/personas"}, {http.MethodPost, "/api/health"},
		{http.MethodPatch, "/api/personas"}, {http.MethodDelete, "/api/webhooks/clerk"}, {http.MethodPut, "/api/webhooks/elevenlabs"},
		{http.MethodPost, "/api/user/progress"}, {http.MethodPut, call(f.started) + "/transcript"}, {http.MethodPost, call(f.started) + "/score"},
		{http.MethodGet, "/api/no-such-route"}, {http.MethodPost, "/api/calls/" + f.started + "/nope"},
	} {
		add(badInput{name: "method " + m.method + " " + m.path, method: m.method, path: m.path, token: f.tok, status: 404, code: notFound})
	}

	// /api/calls/start is a call id to GET /api/calls/{id}.
	add(id("method GET /api/calls/start", get, "/api/calls/start", f.tok, nil, 400, validation))
	// Regression: ending a completed call again answered 200 whatever the
	// reason, so a reason that could never be stored passed as a repeat.
	add(
		v("call end: reason over the limit on an ended call", post, call(f.ended)+"/end", map[string]any{"reason": huge}, "reason"),
		v("call end: NUL in the reason on an ended call", post, call(f.ended)+"/end", map[string]any{"reason": "x" + nul}, "reason"),
	)

	add(webhookCatalogue()...)
	return cs
}

// webhookCatalogue are hostile bodies for both webhooks, signed so that they reach the parsers, and bad signatures.
func webhookCatalogue() []badInput {
	const (
		clerkPath  = "/api/webhooks/clerk"
		elevenPath = "/api/webhooks/elevenlabs"
	)
	hook := func(name, path string, sign int, body any, status int) badInput {
		code := api.CodeValidation
		if status == http.StatusUnauthorized {
			code = api.CodeAuthentication
		}
		return badInput{name: name, method: http.MethodPost, path: path, body: body, sign: sign, status: status, code: code}
	}
	clerkUser := func(typ string, data any) map[string]any {
		return map[string]any{"type": typ, "object": "event", "timestamp": time.Now().UnixMilli(), "data": data}
	}
	eleven := func(typ string, data any) map[string]any {
		return map[string]any{"type": typ, "event_timestamp": time.Now().Unix(), "data": data}
	}
	nested := strings.Repeat(`{"a":`, 20_000) + "1" + strings.Repeat("}", 20_000)
	var cs []badInput
	for _, h := range []struct {
		name, path string
		sign       int
	}{{"clerk", clerkPath, signClerk}, {"elevenlabs", elevenPath, signEleven}} {
		add := func(name string, body any, status int) {
			cs = append(cs, hook(h.name+" webhook: "+name, h.path, h.sign, body, status))
		}
		add("not JSON", "hello", 400)
		add("truncated JSON", `{"type":`, 400)
		add("an array", "[]", 400)
		add("JSON null", "null", 400)
		add("no type", `{"data":{}}`, 400)
		add("type a number", `{"type":5,"data":{}}`, 400)
		add("deeply nested", nested, 400)
		add("empty body", "", 400)
	}
	ca := func(name string, body any, status int) {
		cs = append(cs, hook("clerk webhook: "+name, clerkPath, signClerk, body, status))
	}
	ca("user.created data a string", clerkUser(clerk.EventUserCreated, "user_1"), 400)
	ca("user.created data null", clerkUser(clerk.EventUserCreated, nil), 400)
	ca("user.created without an id", clerkUser(clerk.EventUserCreated, map[string]any{"first_name": "A"}), 400)
	ca("user.created with a call's id", clerkUser(clerk.EventUserCreated, map[string]any{"id": uuid.NewString()}), 400)
	ca("user.updated id a number", clerkUser(clerk.EventUserUpdated, map[string]any{"id": 12}), 400)
	ca("user.deleted id with NUL", clerkUser(clerk.EventUserDeleted, map[string]any{"id": "\x00user_x"}), 400)
	ca("user.created email addresses an object", clerkUser(clerk.EventUserCreated, map[string]any{"id": "user_cat1", "email_addresses": map[string]any{}}), 400)
	ca("user.created created_at a string", clerkUser(clerk.EventUserCreated, map[string]any{"id": "user_cat2", "created_at": "yesterday"}), 400)
	ca("timestamp a string", `{"type":"user.created","timestamp":"now","data":{"id":"user_cat3"}}`, 400)

	clerkHeaders := func(name string, h map[string]string, status int) {
		body := clerkfake.UserEvent(clerk.EventUserCreated, clerkfake.User{ID: "user_cat_sig", Email: "sig@example.com"}, time.Now())
		c := hook("clerk webhook: "+name, clerkPath, signClerk, body, status)
		c.header = h
		if status == http.StatusUnauthorized {
			c.code = api.CodeAuthentication
		}
		cs = append(cs, c)
	}
	clerkHeaders("no svix headers", map[string]string{"svix-id": "", "svix-timestamp": "", "svix-signature": ""}, 400)
	clerkHeaders("svix-timestamp not a number", map[string]string{"svix-timestamp": "yesterday"}, 400)
	clerkHeaders("svix-timestamp huge", map[string]string{"svix-timestamp": strings.Repeat("9", 40)}, 400)
	clerkHeaders("svix-signature garbage", map[string]string{"svix-signature": "v1,AAAA"}, 401)
	clerkHeaders("svix-signature of another version", map[string]string{"svix-signature": "v2,abc"}, 401)
	clerkHeaders("svix-id with NUL-like escapes", map[string]string{"svix-id": "msg_%00"}, 401)

	el := func(name string, body any, status int) {
		cs = append(cs, hook("elevenlabs webhook: "+name, elevenPath, signEleven, body, status))
	}
	el("transcription data a string", eleven(elevenlabs.EventPostCallTranscription, "x"), 400)
	el("transcription data null", eleven(elevenlabs.EventPostCallTranscription, nil), 400)
	el("transcription without conversation id", eleven(elevenlabs.EventPostCallTranscription, map[string]any{"agent_id": testAgentID}), 400)
	el("transcription transcript an object", eleven(elevenlabs.EventPostCallTranscription, map[string]any{"conversation_id": "conv_c1", "transcript": map[string]any{}}), 400)
	el("transcription time_in_call_secs a string", eleven(elevenlabs.EventPostCallTranscription, map[string]any{"conversation_id": "conv_c2",
		"transcript": []any{map[string]any{"role": "user", "message": "hi", "time_in_call_secs": "3"}}}), 400)
	el("transcription start time a string", eleven(elevenlabs.EventPostCallTranscription, map[string]any{"conversation_id": "conv_c3",
		"metadata": map[string]any{"start_time_unix_secs": "now"}}), 400)
	el("transcription start time past int64", `{"type":"post_call_transcription","data":{"conversation_id":"conv_c4","metadata":{"start_time_unix_secs":1e30}}}`, 400)
	el("audio not base64", eleven(elevenlabs.EventPostCallAudio, map[string]any{"conversation_id": "conv_c5", "full_audio": "!!!"}), 400)
	el("audio without conversation id", eleven(elevenlabs.EventPostCallAudio, map[string]any{"full_audio": ""}), 400)
	el("initiation failure data an array", eleven(elevenlabs.EventCallInitiationFailure, []any{1}), 400)
	el("event_timestamp a string", `{"type":"post_call_transcription","event_timestamp":"now","data":{"conversation_id":"c"}}`, 400)

	elevenSig := func(name, sig string) {
		body := eleven(elevenlabs.EventPostCallTranscription, map[string]any{"conversation_id": "conv_sig"})
		c := hook("elevenlabs webhook: "+name, elevenPath, signNone, body, 401)
		c.header = map[string]string{elevenlabs.SignatureHeader: sig}
		cs = append(cs, c)
	}
	elevenSig("no signature", "")
	elevenSig("garbage signature", "garbage")
	elevenSig("timestamp not a number", "t=abc,v0=00")
	elevenSig("huge timestamp", "t="+strings.Repeat("9", 40)+",v0=00")
	elevenSig("signature not hex", fmt.Sprintf("t=%d,v0=zz", time.Now().Unix()))
	elevenSig("signed with another secret", elevenlabs.SignWebhook("another secret", []byte(`{}`), time.Now()))
	return cs
}

func manyLines(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"role": "user", "content": "hi", "timestampMs": i}
	}
	return out
}

func manyAnswers(n int) map[string]string {
	out := make(map[string]string, n)
	for i := 0; i < n; i++ {
		out[fmt.Sprintf("q%d", i)] = "a"
	}
	return out
}

// Signed webhook payloads that are well-formed but hostile (extreme numbers,
// huge or odd text, ids of another kind) are acknowledged without a 5xx: a
// 5xx makes the sender retry for ever. What each one applies is the business
// of the webhook tests; here every answer must be below 500 and documented.
func TestHostileWebhookPayloads(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks(t), func(o *envOptions) { o.cfg.RateLimit.Disabled = true })
	tok := e.newUser(t)
	long := strings.Repeat("0", 100_000)
	clerkUser := func(id, extra string) string {
		return `{"type":"user.created","data":{"id":"` + id + `","email_addresses":[{"id":"e","email_address":"` + id + `@example.com"}]` + extra + `}}`
	}
	conv := func(callID, data string) string {
		return `{"type":"post_call_transcription","event_timestamp":9223372036854775807,"data":{"conversation_id":"conv_` + uuid.NewString()[:8] +
			`","agent_id":"` + testAgentID + `","status":"done",` + data + `,"conversation_initiation_client_data":{"dynamic_variables":{"` +
			api.DynamicVariableCallID + `":"` + callID + `"}}}}`
	}
	lines := make([]string, 2000)
	for i := range lines {
		lines[i] = fmt.Sprintf(`{"role":"user","message":"line %d","time_in_call_secs":%d}`, i, i)
	}
	tests := []struct {
		name  string
		clerk bool
		body  string
	}{
		{"clerk: timestamps at max int64", true, `{"type":"user.created","timestamp":9223372036854775807,"data":{"id":"user_h1","created_at":9223372036854775807,"updated_at":9223372036854775807}}`},
		{"clerk: timestamps at min int64", true, `{"type":"user.created","timestamp":-9223372036854775808,"data":{"id":"user_h2","created_at":-9223372036854775808,"updated_at":-1}}`},
		{"clerk: no email", true, `{"type":"user.created","data":{"id":"user_h3"}}`},
		{"clerk: email with NUL", true, `{"type":"user.created","data":{"id":"user_h4","email_addresses":[{"id":"e","email_address":"a\u0000@example.com"}]}}`},
		{"clerk: huge id", true, clerkUser("user_"+long, "")},
		{"clerk: huge name", true, clerkUser("user_h5", `,"first_name":"`+long+`"`)},
		{"clerk: huge image url", true, clerkUser("user_h6", `,"image_url":"https://img.example.com/`+long+`"`)},
		{"clerk: update of an unknown user", true, `{"type":"user.updated","data":{"id":"user_h7","first_name":"X"}}`},
		{"clerk: delete of an unknown user", true, `{"type":"user.deleted","data":{"id":"user_h8"}}`},
		{"clerk: unknown type", true, `{"type":"session.created","data":{"id":"sess_1"}}`},
		{"clerk: invalid UTF-8 in a name", true, clerkUser("user_h9", `,"first_name":"Gr`+"\xff\xc0"+`ace"`)},
		{"elevenlabs: numbers at max int64", false, conv(e.startedCall(t, tok).ID,
			`"metadata":{"start_time_unix_secs":9223372036854775807,"call_duration_secs":9223372036854775807},"transcript":[{"role":"user","message":"hi","time_in_call_secs":9223372036854775807}]`)},
		{"elevenlabs: negative numbers", false, conv(e.createCall(t, tok).ID,
			`"metadata":{"start_time_unix_secs":-9223372036854775807,"call_duration_secs":-5},"transcript":[{"role":"user","message":"hi","time_in_call_secs":-9223372036854775807}]`)},
		{"elevenlabs: a line past a day", false, conv(e.createCall(t, tok).ID, `"metadata":{},"transcript":[{"role":"agent","message":"hi","time_in_call_secs":9223372036}]`)},
		{"elevenlabs: 2,000 lines", false, conv(e.startedCall(t, tok).ID, `"metadata":{},"transcript":[`+strings.Join(lines, ",")+`]`)},
		{"elevenlabs: a huge line", false, conv(e.startedCall(t, tok).ID, `"metadata":{},"transcript":[{"role":"user","message":"`+long+`","time_in_call_secs":1}]`)},
		{"elevenlabs: a huge termination reason", false, conv(e.startedCall(t, tok).ID, `"metadata":{"termination_reason":"`+long+`"},"transcript":[{"role":"user","message":"x","time_in_call_secs":1}]`)},
		{"elevenlabs: an unknown role", false, conv(e.startedCall(t, tok).ID, `"metadata":{},"transcript":[{"role":"system","message":"x","time_in_call_secs":1}]`)},
		{"elevenlabs: a persona id as the call", false, conv(presetID, `"metadata":{},"transcript":[{"role":"user","message":"x","time_in_call_secs":1}]`)},
		{"elevenlabs: a call id with NUL", false, conv(`\u0000`+uuid.NewString(), `"metadata":{},"transcript":[]`)},
		{"elevenlabs: invalid UTF-8 in a line", false, conv(e.startedCall(t, tok).ID, `"metadata":{},"transcript":[{"role":"user","message":"caf`+"\xe9"+`","time_in_call_secs":1}]`)},
		{"elevenlabs: a huge conversation id", false, `{"type":"post_call_transcription","data":{"conversation_id":"` + long + `"}}`},
		{"elevenlabs: a huge initiation failure", false, `{"type":"call_initiation_failure","data":{"conversation_id":"` + long + `","failure_reason":"` + long + `"}}`},
		{"elevenlabs: unknown type", false, `{"type":"post_call_video","data":{"x":1}}`},
	}
	now := time.Now()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r response
			if tt.clerk {
				r = e.clerkHook(t, "msg_"+uuid.NewString(), now, []byte(tt.body))
			} else {
				r = e.elevenHook(t, []byte(tt.body), elevenSecret, now)
			}
			require.Less(t, r.status, 500, "body: %s", r.body)
			if r.status < 300 {
				decode[api.WebhookAck](t, r, r.status)
			}
		})
	}
	t.Run("invalid UTF-8 is kept as U+FFFD", func(t *testing.T) {
		p, err := e.app.Profile(context.Background(), app.UserIDFor("user_h9"))
		require.NoError(t, err)
		require.NotNil(t, p.FullName)
		assert.Equal(t, "Gr\uFFFD\uFFFDace", *p.FullName)
	})
}
