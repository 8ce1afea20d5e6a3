package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
	"github.com/sparrow-coach/sparrow/projections"
	"github.com/sparrow-coach/sparrow/web"
)

// Main is the running server: everything `sparrow serve` starts, so tests
// and the benchmark can run the whole system in-process.
type Main struct {
	Config Config
	Log    *slog.Logger

	db     *database
	runner *projections.Runner
	jobs   *projections.Runner
	worker *scoring.Worker
	app    *app.App
	api    *api.Server

	closers []func()
}

// Open connects, migrates, seeds the preset personas and wires the components.
func (m *Main) Open(ctx context.Context, e env) error {
	d, err := openDatabase(ctx, m.Config, e.stderr, 40)
	if err != nil {
		return err
	}
	m.db = d
	m.runner, err = projections.NewRunner(d.store, d.db, projections.RunnerConfig{Waker: d.waker, Logger: m.Log, Projectors: projections.ReadModels()})
	if err != nil {
		return err
	}
	prov, err := buildProviders(ctx, m.Config)
	if err != nil {
		return err
	}
	// The scoring jobs' runner wakes the worker (made below, on the app)
	// only once it runs.
	m.jobs, err = projections.NewRunner(d.store, d.db, projections.RunnerConfig{Waker: d.waker, Logger: m.Log,
		Projectors: projections.WorkQueues(), OnCommitted: func(string, eventstore.Position) { m.worker.Notify() }})
	if err != nil {
		return err
	}
	acfg := app.Config{Consistency: m.runner, QuickScorer: scoring.QuickChain{Providers: prov.Quick(), Logger: m.Log}, Logger: m.Log,
		Waker: d.waker, Projections: []app.ProjectorProgress{m.runner, m.jobs}}
	if err := m.wireIntegrations(&acfg); err != nil {
		return err
	}
	if m.app, err = app.New(d.store, acfg); err != nil {
		return err
	}
	deep, _ := prov.Deep("")
	chain := scoring.DeepChain{Providers: deep, Logger: m.Log}
	m.worker, err = scoring.NewWorker(m.app, d.pool, scoring.WorkerConfig{Chain: chain, Logger: m.Log})
	if err != nil {
		return err
	}
	deps := api.Deps{App: m.app, Metrics: d.metrics, Logger: m.Log,
		PersonaGenerator: prov.PersonaGenerator(), ProspectLLM: prov.ProspectLLM()}
	if m.Config.LocalAuth() {
		// Shared through the database, so every replica verifies every replica's tokens.
		key, err := sharedSigningKey(ctx, d.pool, m.Config.keyDir())
		if err != nil {
			return fmt.Errorf("local sign-in key: %w", err)
		}
		if deps.LocalIssuer, err = auth.NewLocalIssuer(auth.LocalIssuerConfig{Key: key}); err != nil {
			return err
		}
	} else {
		v, how, err := clerkVerifier(ctx, m.Config)
		if err != nil {
			return fmt.Errorf("clerk: %w", err)
		}
		m.closers = append(m.closers, v.Close)
		deps.Verifier = clerkSessions(v)
		m.Log.Info("auth: " + how)
	}
	if deps.UI, err = webApp(m.Config, m.app.VoiceConfigured()); err != nil {
		return err
	}
	streamKey, err := sharedStreamKey(ctx, d.pool)
	if err != nil {
		return fmt.Errorf("stream token key: %w", err)
	}
	perSecond := float64(m.Config.WriteRatePerMin) / 60
	m.api, err = api.New(deps, api.Config{
		StreamKey:         streamKey,
		TrustProxyHeaders: m.Config.TrustProxyHeaders,
		Addr:              net.JoinHostPort(m.Config.Host, strconv.Itoa(m.Config.Port)),
		AllowedOrigins:    m.Config.Origins,
		KeyDir:            m.Config.keyDir(),
		RateLimit:         api.RateLimitConfig{PerSecond: perSecond, Burst: max(10, int(perSecond*3))},
		ShutdownTimeout:   m.Config.ShutdownTimeout,
		Voice:             api.VoiceConfig{AgentID: m.Config.ElevenLabsAgentID},
	})
	return err
}

// webApp is the browser app, told how sign-in and voice are configured.
func webApp(c Config, voice bool) (http.Handler, error) {
	opts := web.Options{LocalSignIn: c.LocalAuth(), Voice: voice}
	if c.ClerkPublishableKey != "" {
		host, err := clerk.PublishableKeyFrontendAPI(c.ClerkPublishableKey)
		if err != nil {
			return nil, fmt.Errorf("clerk publishable key: %w", err)
		}
		opts.ClerkPublishableKey, opts.ClerkFrontendAPI = c.ClerkPublishableKey, host
	}
	if voice {
		// The browser talks to the conversation WebSocket of the signed URL.
		opts.VoiceOrigins = []string{strings.Replace(strings.Replace(c.ElevenLabsBaseURL, "https://", "wss://", 1), "http://", "ws://", 1)}
	}
	return web.Handler(opts)
}

// wireIntegrations gives the app the external services the configuration
// names: the ElevenLabs voice provider (retried on spec §14's schedule) and
// the webhook verifiers of ElevenLabs and Clerk.
func (m *Main) wireIntegrations(c *app.Config) error {
	if m.Config.ElevenLabsAPIKey != "" {
		client, err := elevenlabs.New(elevenlabs.Config{APIKey: m.Config.ElevenLabsAPIKey, BaseURL: m.Config.ElevenLabsBaseURL, AgentID: m.Config.ElevenLabsAgentID})
		if err != nil {
			return fmt.Errorf("ElevenLabs: %w", err)
		}
		if c.Voice, err = elevenlabs.NewVoice(client, resilience.Runner{Policy: resilience.ElevenLabsPolicy()}); err != nil {
			return fmt.Errorf("ElevenLabs: %w", err)
		}
	}
	if secret := m.Config.ElevenLabsWebhookSecret; secret != "" {
		v, err := elevenlabs.NewWebhookVerifier(secret, 0)
		if err != nil {
			return fmt.Errorf("ELEVENLABS_WEBHOOK_SECRET: %w", err)
		}
		c.VoiceWebhooks = v
	}
	if secret := m.Config.ClerkWebhookSecret; secret != "" {
		v, err := clerk.NewWebhookVerifier(secret)
		if err != nil {
			return fmt.Errorf("CLERK_WEBHOOK_SECRET: %w", err)
		}
		c.IdentityWebhooks = v
	}
	return nil
}

// clerkSessions verifies Clerk session tokens for the API: the claims
// become an auth.Identity (Email only when the instance adds an email claim
// to session tokens), and rejections wrap auth.ErrInvalidToken as well as
// clerk's own sentinels.
func clerkSessions(v *clerk.Verifier) auth.Verifier {
	return auth.VerifierFunc(func(ctx context.Context, token string) (auth.Identity, error) {
		c, err := v.Verify(ctx, token)
		if err != nil {
			return auth.Identity{}, fmt.Errorf("%w: %w", auth.ErrInvalidToken, err)
		}
		return auth.Identity{Issuer: c.Issuer, Subject: c.Subject, SessionID: c.SessionID, Email: c.Email, ExpiresAt: c.ExpiresAt}, nil
	})
}

// extraComponents are started by Run besides the projections.
func (m *Main) extraComponents() []component {
	return []component{{"scoring jobs", m.jobs.Run}, {"deep scoring", m.worker.Run}, {"http", m.serveHTTP}}
}

func (m *Main) serveHTTP(ctx context.Context) error {
	addr := net.JoinHostPort(m.Config.Host, strconv.Itoa(m.Config.Port))
	if m.Config.LocalAuth() {
		m.Log.Info(fmt.Sprintf("serving http://%s with local sign-in (no Clerk keys): POST /api/dev/session or `sparrow token --email you@example.com` gives a token", addr))
		if m.Config.Host == "127.0.0.1" {
			m.Log.Info("listening on 127.0.0.1 only, because local sign-in trusts whoever connects; set HOST=0.0.0.0 to listen on every interface")
		}
	} else {
		m.Log.Info("serving http://" + addr)
	}
	return m.api.ListenAndServe(ctx)
}

// seedPresets records the preset personas missing from the log (idempotent).
func (m *Main) seedPresets(ctx context.Context) error {
	presets := map[string]domain.PersonaProfile{}
	for _, p := range personas.Presets() {
		presets[p.ID] = p.Profile
	}
	added, err := m.app.SeedPresets(ctx, presets)
	if err != nil {
		return fmt.Errorf("seeding preset personas: %w", err)
	}
	if added > 0 {
		m.Log.Info("seeded preset personas", "added", added)
	}
	return nil
}

// Run runs every component until ctx ends or one fails.
func (m *Main) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	extra := m.extraComponents()
	errs := make(chan error, 2+len(extra)) // one slot per component: a failing one never blocks
	start := func(name string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		}()
	}
	start("projections", m.runner.Run)
	start("notifications", func(ctx context.Context) error { return m.db.waker.Run(ctx, m.db.pool, m.Log) })
	if err := m.seedPresets(ctx); err != nil {
		cancel()
		wg.Wait()
		return err
	}
	for _, c := range extra {
		start(c.name, c.run)
	}
	<-ctx.Done()
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

// Close releases the database and the verifier.
func (m *Main) Close() {
	for _, c := range m.closers {
		c()
	}
	if m.db != nil {
		m.db.Close()
	}
}

type component struct {
	name string
	run  func(context.Context) error
}

func collect(ch <-chan error) []error {
	var out []error
	for err := range ch {
		out = append(out, err)
	}
	return out
}

// serverGCPercent is the garbage collector's target (GOGC) the server runs
// with unless GOGC is set. Its heap is small (34 MB resident after
// start-up), so the default 100 collects often: at 3,000 events/s the
// collector's background marking alone was a tenth of the process's CPU
// (with its assists and allocation's slow paths, more), and 400 took the
// process from 8.8 to 7.6 s of CPU (bench's lag phase, three runs each; the
// bench's load generator shares the process and gains too). The price,
// measured by the rss phase (a call at its maximum size replayed to 20
// streams): peak RSS 62 -> 104-111 MB (target <= 300). GOMEMLIMIT, when
// set, still bounds the heap.
const serverGCPercent = 400

// serverGC sets the collector's target for a long-running server (unless
// GOGC is set) and returns what restores the one before.
func serverGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(serverGCPercent)
	return func() { debug.SetGCPercent(old) }
}

func cmdServe(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "serve", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := configFromEnv(e.getenv)
	if err != nil {
		return err
	}
	defer serverGC(e.getenv)()
	m := &Main{Config: c, Log: newLogger(c, e.stderr)}
	defer m.Close() // also after a failed Open, which may have opened the database
	if err := m.Open(ctx, e); err != nil {
		return err
	}
	return m.Run(ctx)
}
