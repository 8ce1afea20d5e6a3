package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"

	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/docs"
)

// Deps are the server's collaborators.
type Deps struct {
	// App runs commands and queries, follows call streams, reports health
	// and applies webhooks: the API's only door to the rest of Sparrow.
	// Required. Its Config decides what is optional here: voice (app.Config.Voice),
	// the webhooks (VoiceWebhooks, IdentityWebhooks; a route whose verifier
	// is missing answers 404), projector lag (Lag) and live wakes (Waker).
	App *app.App
	// Verifier verifies session tokens of an identity provider (Clerk). When
	// set, local sign-in is off: POST /api/dev/session answers 404 and local
	// tokens are refused.
	Verifier auth.Verifier
	// LocalIssuer signs and verifies local sign-in tokens when Verifier is
	// nil; when both are nil one is opened on Config.KeyDir.
	LocalIssuer *auth.LocalIssuer
	// Metrics collects Prometheus metrics; default a new NewMetrics(). Pass
	// the one whose Appended the event store's OnAppend calls to count appends.
	Metrics *Metrics
	// Logger writes structured logs (default discard).
	Logger *slog.Logger

	// PersonaGenerator writes personas for POST /api/personas/generate (an
	// LLM such as Gemini); optional. The built-in generator writes them when
	// it is nil, fails, or returns a persona that does not fit the request.
	PersonaGenerator app.PersonaGenerator
	// ProspectLLM plays the prospect in text practice (POST
	// /api/calls/:id/turns); optional. The built-in prospect is the default,
	// decides when a call ends, and answers when the LLM fails.
	ProspectLLM app.ProspectLLM
	// UI serves every GET and HEAD outside /api (the web app, package web);
	// optional: without it those paths are the API's 404.
	UI http.Handler
}

// Server is Sparrow's HTTP API.
type Server struct {
	app            *app.App
	cfg            Config
	log            *slog.Logger
	verifier       auth.Verifier
	local          *auth.LocalIssuer // nil when an identity provider verifies tokens
	metrics        *Metrics
	metricsHandler http.Handler
	openapi        []byte

	personaGen  app.PersonaGenerator
	prospectLLM app.ProspectLLM
	ui          http.Handler
	streamKey   []byte // signs stream tokens (browser.go)

	echo       *echo.Echo
	routes     map[string]bool     // registered path templates, for metric labels
	identities *ttlCache[string]   // provisioned subjects
	tokens     *ttlCache[[32]byte] // verified tokens, by hash
	limiter    *writeLimiter

	closeOnce sync.Once
	closing   chan struct{} // closed when shutdown begins: event streams end
}

// New returns a server. It opens the local sign-in key when no verifier or
// issuer is given.
func New(deps Deps, cfg Config) (*Server, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("api: config: %w", err)
	}
	var errs []error
	if deps.App == nil {
		errs = append(errs, errors.New("app is required"))
	}
	if deps.App != nil && deps.App.VoiceConfigured() && cfg.Voice.AgentID == "" {
		errs = append(errs, errors.New("a voice provider needs Config.Voice.AgentID (the ElevenLabs agent)"))
	}
	if deps.Verifier != nil && deps.LocalIssuer != nil {
		errs = append(errs, errors.New("give a token verifier (identity provider) or a local issuer, not both"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("api: deps: %w", err)
	}
	s := &Server{
		app: deps.App, cfg: cfg, log: deps.Logger,
		verifier: deps.Verifier, local: deps.LocalIssuer, metrics: deps.Metrics,
		routes:     map[string]bool{},
		identities: newTTLCache[string](cfg.IdentityCacheTTL, 50_000),
		tokens:     newTTLCache[[32]byte](cfg.IdentityCacheTTL, 50_000),
		closing:    make(chan struct{}),
		personaGen: deps.PersonaGenerator, prospectLLM: deps.ProspectLLM,
		ui: deps.UI, streamKey: cfg.StreamKey,
	}
	if len(s.streamKey) == 0 {
		s.streamKey = newStreamKey()
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	if s.app.ReportsLag() {
		s.metrics.watchProjections(s.app.ProjectorLag, s.log)
	}
	s.metricsHandler = s.metrics.handler(s.log)
	if s.verifier == nil {
		if s.local == nil {
			iss, err := auth.NewLocalIssuer(auth.LocalIssuerConfig{KeyDir: cfg.KeyDir})
			if err != nil {
				return nil, fmt.Errorf("api: local sign-in: %w", err)
			}
			s.local = iss
		}
		s.verifier = s.local
	}
	if !cfg.RateLimit.Disabled {
		s.limiter = newWriteLimiter(cfg.RateLimit.PerSecond, cfg.RateLimit.Burst)
	}
	doc, err := openAPIJSON(docs.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("api: openapi document: %w", err)
	}
	s.openapi = doc

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	if cfg.TrustProxyHeaders {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.Use(s.observe, s.recoverPanics, s.cors(), s.limitBody, s.guardCookieWrites)
	s.echo = e
	s.registerRoutes(e)
	return s, nil
}

// LocalSignIn reports whether the server signs its own tokens (no identity provider).
func (s *Server) LocalSignIn() bool { return s.local != nil }

// Handler is the API as an http.Handler (for httptest servers and benchmarks).
func (s *Server) Handler() http.Handler { return s.echo }

// Metrics returns the server's metrics.
func (s *Server) Metrics() *Metrics { return s.metrics }

// ListenAndServe listens on Config.Addr and serves until ctx ends (see Serve).
func (s *Server) ListenAndServe(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("api: listen: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves HTTP on ln until ctx ends, then shuts down gracefully: it
// stops accepting connections, ends event streams, and waits up to
// Config.ShutdownTimeout for requests in flight to finish. It returns nil
// after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(s.EndStreams)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	mode := "identity provider tokens"
	if s.LocalSignIn() {
		mode = "local sign-in (POST /api/dev/session, `sparrow token --email X`)"
	}
	s.log.Info("api listening", "addr", ln.Addr().String(), "auth", mode)

	select {
	case err := <-done:
		return fmt.Errorf("api: serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("api shutting down: draining requests", "timeout", s.cfg.ShutdownTimeout)
	s.EndStreams()
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("api: shutdown: %w", err)
	}
	s.log.Info("api stopped")
	return nil
}

// EndStreams ends every open event stream, now and for good (an open
// stream would keep http.Server.Shutdown waiting); clients reconnect with
// Last-Event-ID elsewhere. Serve calls it; call it yourself when serving
// Handler() with your own http.Server (RegisterOnShutdown).
func (s *Server) EndStreams() { s.closeOnce.Do(func() { close(s.closing) }) }

// openAPIJSON turns the YAML document into the JSON served at /api/openapi.json.
func openAPIJSON(doc []byte) ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// Timeouts used by handlers for their own I/O.
const healthTimeout = 2 * time.Second
