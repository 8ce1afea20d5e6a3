package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
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
	// The scoring jobs run in a runner of their own: their commits wake the
	// deep-scoring worker, and read-your-writes does not wait for them.
	m.jobs, err = projections.NewRunner(d.store, d.db, projections.RunnerConfig{Waker: d.waker, Logger: m.Log,
		Projectors: projections.WorkQueues(), OnCommitted: func(string, eventstore.Position) { m.worker.Notify() }})
	if err != nil {
		return err
	}
	m.app, err = app.New(d.store, app.Config{Consistency: m.runner, QuickScorer: scoring.QuickChain{Providers: prov.Quick(), Logger: m.Log},
		Projections: []app.ProjectorProgress{m.runner, m.jobs}, Logger: m.Log})
	if err != nil {
		return err
	}
	deep, _ := prov.Deep("")
	chain := scoring.DeepChain{Providers: deep, Logger: m.Log}
	m.worker, err = scoring.NewWorker(m.app, d.pool, scoring.WorkerConfig{Chain: chain, Logger: m.Log})
	if err != nil {
		return err
	}
	deps := api.Deps{App: m.app, Store: d.store, Waker: d.waker, Metrics: d.metrics, Logger: m.Log,
		ProjectorLag:     m.projectorLag,
		PersonaGenerator: prov.PersonaGenerator(), ProspectLLM: prov.ProspectLLM()}
	if m.Config.ElevenLabsAPIKey != "" {
		voice, err := elevenlabs.New(elevenlabs.Config{APIKey: m.Config.ElevenLabsAPIKey, BaseURL: m.Config.ElevenLabsBaseURL, AgentID: m.Config.ElevenLabsAgentID})
		if err != nil {
			return fmt.Errorf("ElevenLabs: %w", err)
		}
		deps.Voice = voice
	}
	if m.Config.LocalAuth() {
		if deps.LocalIssuer, err = auth.NewLocalIssuer(auth.LocalIssuerConfig{KeyDir: m.Config.keyDir()}); err != nil {
			return err
		}
	} else {
		v, how, err := clerkVerifier(ctx, m.Config)
		if err != nil {
			return fmt.Errorf("clerk: %w", err)
		}
		m.closers = append(m.closers, v.Close)
		deps.Verifier = auth.FromClerk(v)
		m.Log.Info("auth: " + how)
	}
	if deps.UI, err = webApp(m.Config, deps.Voice != nil); err != nil {
		return err
	}
	perSecond := float64(m.Config.WriteRatePerMin) / 60
	m.api, err = api.New(deps, api.Config{
		Addr:            net.JoinHostPort(m.Config.Host, strconv.Itoa(m.Config.Port)),
		AllowedOrigins:  m.Config.Origins,
		KeyDir:          m.Config.keyDir(),
		RateLimit:       api.RateLimitConfig{PerSecond: perSecond, Burst: max(10, int(perSecond*3))},
		ShutdownTimeout: m.Config.ShutdownTimeout,
		Voice:           api.VoiceConfig{AgentID: m.Config.ElevenLabsAgentID},
		Webhooks:        api.WebhookConfig{ClerkSecret: m.Config.ClerkWebhookSecret, ElevenLabsSecret: m.Config.ElevenLabsWebhookSecret},
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

// projectorLag is /api/health's view of app.ProjectorLag (the one lag
// computation, shared with `sparrow projections status`).
func (m *Main) projectorLag(ctx context.Context) ([]api.ProjectorLag, error) {
	sts, err := m.app.ProjectorLag(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.ProjectorLag, len(sts))
	for i, s := range sts {
		out[i] = api.ProjectorLag{Name: s.Name, Events: int64(s.LagEvents), Seconds: s.Lag.Seconds(), LastError: s.LastError}
	}
	return out, nil
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

func cmdServe(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "serve", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := configFromEnv(e.getenv)
	if err != nil {
		return err
	}
	m := &Main{Config: c, Log: newLogger(c, e.stderr)}
	defer m.Close() // also after a failed Open, which may have opened the database
	if err := m.Open(ctx, e); err != nil {
		return err
	}
	return m.Run(ctx)
}
