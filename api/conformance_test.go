package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/docs"
)

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// openAPI loads and validates docs/openapi.yaml once per test binary.
func openAPI(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromData(docs.OpenAPI)
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(context.Background()); specErr != nil {
			return
		}
		specDoc.Servers = nil // match requests to the test server's random port
		specRouter, specErr = legacy.NewRouter(specDoc)
	})
	require.NoError(t, specErr, "docs/openapi.yaml")
	return specDoc, specRouter
}

// conformance is the test client's transport: it validates every response
// against the OpenAPI document (status documented, headers, body schema),
// checks X-Request-Id, and that an error's requestId is that header.
type conformance struct {
	t       testing.TB
	router  routers.Router
	doc     *openapi3.T
	base    http.RoundTripper
	checked atomic.Int64
}

func newConformance(t testing.TB) *conformance {
	t.Helper()
	doc, router := openAPI(t)
	c := &conformance{t: t, router: router, doc: doc, base: http.DefaultTransport}
	t.Cleanup(func() {
		if c.checked.Load() == 0 {
			t.Log("conformance: no responses were checked")
		}
	})
	return c
}

func (c *conformance) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	c.checked.Add(1)
	where := req.Method + " " + req.URL.Path
	if resp.Header.Get(api.HeaderRequestID) == "" {
		c.t.Errorf("conformance: %s: response %d has no X-Request-Id", where, resp.StatusCode)
	}
	route, params, ferr := c.router.FindRoute(req)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		// A stream is checked frame by frame by the stream tests; here only
		// that the route documents it.
		if ferr != nil || route.Operation.Responses.Status(resp.StatusCode) == nil {
			c.t.Errorf("conformance: %s: undocumented event stream (%v)", where, ferr)
		}
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))

	if resp.StatusCode >= 400 {
		c.checkErrorBody(where, resp, body)
	}
	if ferr != nil {
		// Unrouted paths answer the error envelope, checked above.
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusUnauthorized {
			c.t.Errorf("conformance: %s: path not in the OpenAPI document but answered %d", where, resp.StatusCode)
		}
		return resp, nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		c.t.Errorf("conformance: %s: response %d does not match docs/openapi.yaml: %v\nbody: %s", where, resp.StatusCode, err, body)
	}
	return resp, nil
}

func (c *conformance) checkErrorBody(where string, resp *http.Response, body []byte) {
	var e errorEnvelope
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" {
		c.t.Errorf("conformance: %s: error %d without the error envelope: %s", where, resp.StatusCode, body)
		return
	}
	if e.Error.RequestID != resp.Header.Get(api.HeaderRequestID) {
		c.t.Errorf("conformance: %s: error requestId %q differs from X-Request-Id %q", where, e.Error.RequestID, resp.Header.Get(api.HeaderRequestID))
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if resp.Header.Get("Retry-After") == "" {
			c.t.Errorf("conformance: %s: %d without Retry-After", where, resp.StatusCode)
		}
	}
}

// validateSchema checks a value against a named schema of the document
// (used for the data of SSE frames).
func validateSchema(t testing.TB, name string, data []byte) {
	t.Helper()
	doc, _ := openAPI(t)
	ref, ok := doc.Components.Schemas[name]
	require.True(t, ok, "schema %s is not in docs/openapi.yaml", name)
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	assert.NoError(t, ref.Value.VisitJSON(v, openapi3.MultiErrors()), "%s: %s", name, data)
}

// Every route the server registers is in the document, and the reverse.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	doc, _ := openAPI(t)
	served := map[string]bool{}
	for _, r := range e.server.Routes() {
		path := openAPIPath(r.Path)
		served[r.Method+" "+path] = true
		item := doc.Paths.Find(path)
		if !assert.NotNil(t, item, "route %s %s is not in docs/openapi.yaml", r.Method, r.Path) {
			continue
		}
		assert.NotNil(t, item.GetOperation(r.Method), "route %s %s is not in docs/openapi.yaml", r.Method, r.Path)
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			assert.True(t, served[method+" "+path], "docs/openapi.yaml documents %s %s, which the server does not route", method, path)
		}
	}

	// The served document is the file, as JSON.
	r := e.get(t, "/api/openapi.json", "")
	require.Equal(t, http.StatusOK, r.status)
	var served3 openapi3.T
	require.NoError(t, json.Unmarshal(r.body, &served3))
	assert.Equal(t, doc.Info.Title, served3.Info.Title)
	assert.Equal(t, len(doc.Paths.Map()), len(served3.Paths.Map()))
}

func openAPIPath(echoPath string) string {
	parts := strings.Split(echoPath, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// recordingTB collects the errors the conformance checker reports.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

type fixedTransport struct {
	status int
	header http.Header
	body   string
}

func (f fixedTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: f.status, Header: f.header, Body: io.NopCloser(strings.NewReader(f.body))}, nil
}

// The checker itself catches responses that break the document.
func TestConformanceCheckerCatchesViolations(t *testing.T) {
	t.Parallel()
	id := "7a0c6a52-3f4e-4d7a-9a43-0d8c3f1b2a11"
	jsonHeader := func(extra ...string) http.Header {
		h := http.Header{"Content-Type": {"application/json"}, api.HeaderRequestID: {"req_1234567890"}}
		for i := 0; i < len(extra); i += 2 {
			h.Set(extra[i], extra[i+1])
		}
		return h
	}
	validCall := `{"id":"` + id + `","userId":"` + id + `","personaId":"` + id + `","mode":"cold_call","imported":false,"status":"pending",
"startedAt":null,"endedAt":null,"durationSeconds":null,"elevenlabsConversationId":null,"endReason":null,
"transcriptVersion":0,"version":1,"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z"}`
	tests := []struct {
		name string
		resp fixedTransport
		want string
	}{
		{name: "conforming", resp: fixedTransport{status: 200, header: jsonHeader(), body: validCall}},
		{name: "missing field", resp: fixedTransport{status: 200, header: jsonHeader(), body: `{"id":"` + id + `"}`}, want: "does not match"},
		{name: "undocumented field", resp: fixedTransport{status: 200, header: jsonHeader(),
			body: strings.Replace(validCall, `"version":1`, `"version":1,"secret":"x"`, 1)}, want: "does not match"},
		{name: "unknown enum value", resp: fixedTransport{status: 200, header: jsonHeader(),
			body: strings.Replace(validCall, `"pending"`, `"paused"`, 1)}, want: "does not match"},
		{name: "undocumented status", resp: fixedTransport{status: 418, header: jsonHeader(),
			body: `{"error":{"code":"CONFLICT","message":"x","details":{},"requestId":"req_1234567890"}}`}, want: "does not match"},
		{name: "no request id", resp: fixedTransport{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: validCall},
			want: "no X-Request-Id"},
		{name: "error without envelope", resp: fixedTransport{status: 404, header: jsonHeader(), body: `{"message":"nope"}`}, want: "envelope"},
		{name: "error with another request id", resp: fixedTransport{status: 404, header: jsonHeader(),
			body: `{"error":{"code":"NOT_FOUND","message":"x","details":{},"requestId":"req_other"}}`}, want: "differs"},
		{name: "429 without Retry-After", resp: fixedTransport{status: 429, header: jsonHeader(),
			body: `{"error":{"code":"RATE_LIMITED","message":"x","details":{},"requestId":"req_1234567890"}}`}, want: "Retry-After"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			c := newConformance(rec)
			c.base = tt.resp
			req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/api/calls/"+id, nil)
			require.NoError(t, err)
			resp, err := c.RoundTrip(req)
			require.NoError(t, err)
			resp.Body.Close()
			if tt.want == "" {
				assert.Empty(t, rec.errs)
				return
			}
			require.NotEmpty(t, rec.errs)
			assert.Contains(t, strings.Join(rec.errs, "\n"), tt.want)
		})
	}
}
