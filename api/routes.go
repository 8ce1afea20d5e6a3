package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// registerRoutes is the one list of routes. Public routes (spec §4.1) take no
// token; every other route authenticates, rate-limits writes, and names its
// resource for NOT_FOUND messages.
func (s *Server) registerRoutes(e *echo.Echo) {
	public := func(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		s.routes[path] = true
		e.Add(method, path, h, m...)
	}
	private := func(method, path, resource string, h echo.HandlerFunc) {
		s.routes[path] = true
		e.Add(method, path, h, s.authenticate, s.limitWrites, withResource(resource), s.idempotent)
	}

	public(http.MethodGet, "/api/health", s.handleHealth)
	public(http.MethodGet, "/metrics", s.handleMetrics)
	public(http.MethodGet, "/api/openapi.json", s.handleOpenAPI)
	// Local sign-in only; with an identity provider the route answers 404
	// whether or not a token is sent.
	public(http.MethodPost, "/api/dev/session", s.handleDevSession, s.limitWrites)
	// Webhooks are public and verified by their signatures (spec §8.2, §10);
	// each answers 404 while its secret is not configured. Not rate-limited:
	// the senders retry, and a refused delivery would come back anyway.
	public(http.MethodPost, "/api/webhooks/clerk", s.handleClerkWebhook)
	public(http.MethodPost, "/api/webhooks/elevenlabs", s.handleElevenLabsWebhook)

	private(http.MethodGet, "/api/user/profile", "User", s.handleProfileGet)
	private(http.MethodPatch, "/api/user/profile", "User", s.handleProfileUpdate)
	private(http.MethodPost, "/api/user/onboarding", "User", s.handleOnboardingComplete)
	private(http.MethodGet, "/api/user/progress", "User", s.handleProgressGet)

	private(http.MethodGet, "/api/personas", "Persona", s.handlePersonaList)
	private(http.MethodGet, "/api/personas/:id", "Persona", s.handlePersonaGet)
	private(http.MethodPost, "/api/personas/generate", "Persona", s.handlePersonaGenerate)

	private(http.MethodGet, "/api/calls", "Call", s.handleCallList)
	private(http.MethodPost, "/api/calls", "Call", s.handleCallCreate)
	private(http.MethodPost, "/api/calls/start", "Call", s.handleVoiceStart)
	private(http.MethodPost, importPath, "Call", s.handleCallImport)
	private(http.MethodGet, "/api/calls/:id", "Call", s.handleCallGet)
	private(http.MethodPatch, "/api/calls/:id", "Call", s.handleCallUpdate)
	private(http.MethodPost, "/api/calls/:id/end", "Call", s.handleCallEnd)
	private(http.MethodPost, "/api/calls/:id/transcript", "Call", s.handleTranscriptAdd)
	private(http.MethodPost, "/api/calls/:id/turns", "Call", s.handleTurn)
	private(http.MethodGet, "/api/calls/:id/transcript", "Call", s.handleTranscriptGet)
	private(http.MethodGet, "/api/calls/:id/score", "Call", s.handleScoreGet)
	private(http.MethodGet, "/api/calls/:id/events", "Call", s.handleCallEvents)
	s.routes["/api/calls/:id/stream"] = true
	e.GET("/api/calls/:id/stream", s.handleCallStream, s.authenticateStream, withResource("Call"))
	private(http.MethodPost, "/api/calls/:id/stream-token", "Call", s.handleStreamToken)

	// Everything else that a browser GETs is the web app (browser.go).
	e.GET("/*", s.serveUI)
	e.HEAD("/*", s.serveUI)
}

// Context keys set by middleware.
const (
	ctxRequestID = "sparrow.requestID"
	ctxUserID    = "sparrow.userID"
	ctxResource  = "sparrow.resource"
	ctxLogger    = "sparrow.logger"
	ctxCause     = "sparrow.cause" // why a request failed with a 5xx (handleError -> observe)
)

// withResource names what a route's NOT_FOUND is about ("Call not found").
func withResource(name string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(ctxResource, name)
			return next(c)
		}
	}
}

// Route is one registered route.
type Route struct {
	Method string
	// Path is Echo's template ("/api/calls/:id").
	Path string
}

// Routes lists the registered routes.
func (s *Server) Routes() []Route {
	var out []Route
	for _, r := range s.echo.Routes() {
		if s.routes[r.Path] {
			out = append(out, Route{Method: r.Method, Path: r.Path})
		}
	}
	return out
}
