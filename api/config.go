package api

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

// Config configures the HTTP server. The zero value is usable: every field
// has a default.
type Config struct {
	// Addr is where ListenAndServe listens (default "127.0.0.1:8080"); the
	// caller decides it (PORT, local mode on loopback).
	Addr string
	// AllowedOrigins are the browser origins allowed by CORS, exactly as sent
	// in the Origin header ("https://app.example.com"). "*" is refused, since
	// credentials are allowed. Empty: no cross-origin access.
	AllowedOrigins []string
	// MaxBodyBytes bounds a request body (default 1 MiB). A larger body is a
	// 400 VALIDATION_ERROR on field "body" and is not read past the limit.
	MaxBodyBytes int64
	// MaxTranscriptBatch bounds the entries of one transcript POST (default 500).
	MaxTranscriptBatch int
	// RateLimit limits writes per user.
	RateLimit RateLimitConfig
	// KeyDir holds the local sign-in signing key when no token verifier and
	// no issuer are given (default ".data/keys").
	KeyDir string
	// IdentityCacheTTL is how long a verified token is trusted without a new
	// signature check (never past its exp), and how long a subject is
	// remembered as provisioned before EnsureUser runs again (default 1m).
	IdentityCacheTTL time.Duration
	// TrustProxyHeaders makes the client address come from X-Forwarded-For /
	// X-Real-IP (only behind a proxy that sets them; default off).
	TrustProxyHeaders bool
	// SecureCookies marks the local sign-in cookie Secure (set it when served over HTTPS).
	SecureCookies bool

	// Stream configures the Server-Sent Events endpoint.
	Stream StreamConfig
	// StreamKey signs stream tokens (at least 32 bytes). Replicas behind one
	// load balancer must share it, or a token from one fails on another;
	// empty: a random key made when the server starts (one process).
	StreamKey []byte

	// PersonaVoiceIDs are the voices generated personas may get (default
	// personas.DefaultVoiceIDs(), ElevenLabs' premade voices).
	PersonaVoiceIDs []string
	// Voice configures POST /api/calls/start.
	Voice VoiceConfig
	// Webhooks configures the public webhook routes.
	Webhooks WebhookConfig

	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout configure
	// the http.Server (defaults 5s, 30s, 60s, 120s). The event stream lifts
	// the write timeout for its own connection.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout bounds how long Serve drains requests after its
	// context ends (default 15s).
	ShutdownTimeout time.Duration
}

// RateLimitConfig is a token bucket per user on writes (POST, PATCH, PUT,
// DELETE); unauthenticated writes (local sign-in) are keyed by client address.
type RateLimitConfig struct {
	// Disabled turns rate limiting off (benchmarks).
	Disabled bool
	// PerSecond is the sustained rate (default 20).
	PerSecond float64
	// Burst is how many writes may come at once (default 60).
	Burst int
}

// StreamConfig configures GET /api/calls/:id/stream.
type StreamConfig struct {
	// Heartbeat is the interval of keep-alive comments (default 15s).
	Heartbeat time.Duration
	// FallbackPoll re-reads the stream when no wake arrived, for appends by
	// other processes when wakes are not bridged (default 5s).
	FallbackPoll time.Duration
	// Retry is the reconnect delay suggested to clients (default 2s).
	Retry time.Duration
}

// VoiceConfig configures the voice session given to browsers.
type VoiceConfig struct {
	// AgentID is the ElevenLabs agent the browser talks to; required when
	// the app has a voice provider (app.Config.Voice).
	AgentID string
	// Language of the conversation (default "en").
	Language string
}

// WebhookConfig configures POST /api/webhooks/clerk and /api/webhooks/elevenlabs.
// Their secrets belong to the verifiers given to the app
// (app.Config.IdentityWebhooks, VoiceWebhooks); a webhook without one is
// off: its route answers 404.
type WebhookConfig struct {
	// MaxBodyBytes bounds a webhook body (default 16 MiB: a post_call_audio
	// event carries the call's audio). Larger bodies are refused unread.
	MaxBodyBytes int64
}

func (c *Config) setDefaults() {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxTranscriptBatch == 0 {
		c.MaxTranscriptBatch = 500
	}
	if c.RateLimit.PerSecond == 0 {
		c.RateLimit.PerSecond = 20
	}
	if c.RateLimit.Burst == 0 {
		c.RateLimit.Burst = 60
	}
	if c.KeyDir == "" {
		c.KeyDir = ".data/keys"
	}
	if c.IdentityCacheTTL == 0 {
		c.IdentityCacheTTL = time.Minute
	}
	if len(c.PersonaVoiceIDs) == 0 {
		c.PersonaVoiceIDs = personas.DefaultVoiceIDs()
	}
	if c.Voice.Language == "" {
		c.Voice.Language = "en"
	}
	if c.Webhooks.MaxBodyBytes == 0 {
		c.Webhooks.MaxBodyBytes = 16 << 20
	}
	if c.Stream.Heartbeat == 0 {
		c.Stream.Heartbeat = 15 * time.Second
	}
	if c.Stream.FallbackPoll == 0 {
		c.Stream.FallbackPoll = 5 * time.Second
	}
	if c.Stream.Retry == 0 {
		c.Stream.Retry = 2 * time.Second
	}
	if c.ReadHeaderTimeout == 0 {
		c.ReadHeaderTimeout = 5 * time.Second
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 60 * time.Second
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 120 * time.Second
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 15 * time.Second
	}
}

// Validate reports every problem with the config.
func (c Config) Validate() error {
	var errs []error
	for _, o := range c.AllowedOrigins {
		if err := validateOrigin(o); err != nil {
			errs = append(errs, err)
		}
	}
	if c.MaxBodyBytes < 1024 || c.MaxBodyBytes > 64<<20 {
		errs = append(errs, fmt.Errorf("max body bytes %d must be between 1 KiB and 64 MiB", c.MaxBodyBytes))
	}
	if c.MaxTranscriptBatch < 1 || c.MaxTranscriptBatch > 10_000 {
		errs = append(errs, fmt.Errorf("max transcript batch %d must be between 1 and 10000", c.MaxTranscriptBatch))
	}
	if len(c.StreamKey) > 0 && len(c.StreamKey) < 32 {
		errs = append(errs, fmt.Errorf("stream key of %d bytes is too short (at least 32)", len(c.StreamKey)))
	}
	if !c.RateLimit.Disabled && (c.RateLimit.PerSecond <= 0 || c.RateLimit.Burst < 1) {
		errs = append(errs, errors.New("rate limit: per second and burst must be positive (or set Disabled)"))
	}
	for i, v := range c.PersonaVoiceIDs {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, fmt.Errorf("persona voice id %d is blank", i))
		}
	}
	if c.Webhooks.MaxBodyBytes < 1024 || c.Webhooks.MaxBodyBytes > 256<<20 {
		errs = append(errs, fmt.Errorf("webhook max body bytes %d must be between 1 KiB and 256 MiB", c.Webhooks.MaxBodyBytes))
	}
	if c.IdentityCacheTTL < 0 {
		errs = append(errs, errors.New("identity cache TTL must not be negative"))
	}
	for name, d := range map[string]time.Duration{
		"stream heartbeat": c.Stream.Heartbeat, "stream fallback poll": c.Stream.FallbackPoll, "stream retry": c.Stream.Retry,
		"read header timeout": c.ReadHeaderTimeout, "read timeout": c.ReadTimeout, "write timeout": c.WriteTimeout,
		"idle timeout": c.IdleTimeout, "shutdown timeout": c.ShutdownTimeout,
	} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive", name))
		}
	}
	return errors.Join(errs...)
}

func validateOrigin(o string) error {
	if o == "*" {
		return errors.New(`allowed origin "*" is refused: credentials are allowed, so list origins explicitly`)
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
		return fmt.Errorf("allowed origin %q must be scheme://host[:port], like https://app.example.com", o)
	}
	return nil
}
