package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything read from the environment, validated in one place.
// Names follow the product spec (§13.2) where it has one.
type Config struct {
	DatabaseURL string // DATABASE_URL; empty = the private cluster
	DataDir     string // SPARROW_DATA_DIR (default .data): cluster, local signing keys
	PGPort      int    // SPARROW_PG_PORT (default 54329)
	PGBin       string // PG_BIN: PostgreSQL server binaries
	Host        string // HOST (default 127.0.0.1 in local sign-in mode, else 0.0.0.0)
	Port        int    // PORT (default 8080)
	LogLevel    string // LOG_LEVEL: debug|info|warn|error (default info)
	AppURL      string // NEXT_PUBLIC_APP_URL: allowed CORS origin and token azp
	Origins     []string
	// ALLOWED_ORIGINS: extra CORS origins, comma-separated

	ClerkPublishableKey string // NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY
	ClerkSecretKey      string // CLERK_SECRET_KEY
	ClerkJWTKey         string // CLERK_JWT_KEY (PEM public key)
	ClerkWebhookSecret  string // CLERK_WEBHOOK_SECRET
	ClerkAPIURL         string // CLERK_API_URL

	ElevenLabsAPIKey        string // ELEVENLABS_API_KEY
	ElevenLabsAgentID       string // NEXT_PUBLIC_ELEVENLABS_AGENT_ID
	ElevenLabsWebhookSecret string // ELEVENLABS_WEBHOOK_SECRET
	ElevenLabsBaseURL       string // ELEVENLABS_BASE_URL

	GeminiAPIKey   string // GEMINI_API_KEY or GOOGLE_API_KEY
	GoogleProject  string // GOOGLE_CLOUD_PROJECT (Vertex AI)
	GoogleLocation string // GOOGLE_CLOUD_LOCATION
	GeminiBaseURL  string // GOOGLE_GEMINI_BASE_URL
	GeminiModel    string // GEMINI_MODEL
	GroqAPIKey     string // GROQ_API_KEY
	GroqBaseURL    string // GROQ_BASE_URL (any OpenAI-compatible server)
	GroqModel      string // GROQ_MODEL
	// GroqJSONSchema is GROQ_JSON_SCHEMA: "" (auto: json_schema, json_object
	// once the server refuses it) or "off" (json_object only).
	GroqJSONSchema  string
	LLMProspect     bool // SPARROW_LLM_PROSPECT=1: an LLM plays the prospect in text mode
	WriteRatePerMin int  // SPARROW_WRITE_RATE_PER_MIN (default 600)
	// TrustProxyHeaders: SPARROW_TRUST_PROXY_HEADERS=1 takes the client address from X-Forwarded-For / X-Real-IP
	// (behind a load balancer that sets them, such as deploy/nginx.conf).
	TrustProxyHeaders bool
	ShutdownTimeout   time.Duration
}

// LocalAuth reports whether the server signs its own tokens (no Clerk keys).
func (c Config) LocalAuth() bool {
	return c.ClerkPublishableKey == "" && c.ClerkJWTKey == ""
}

func configFromEnv(getenv func(string) string) (Config, error) {
	var errs []error
	intVar := func(name string, def int) int {
		s := strings.TrimSpace(getenv(name))
		if s == "" {
			return def
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s=%q: want a positive integer", name, s))
			return def
		}
		return n
	}
	str := func(name, def string) string {
		if s := strings.TrimSpace(getenv(name)); s != "" {
			return s
		}
		return def
	}
	c := Config{
		DatabaseURL: str("DATABASE_URL", ""),
		DataDir:     str("SPARROW_DATA_DIR", ".data"),
		PGPort:      intVar("SPARROW_PG_PORT", 54329),
		PGBin:       str("PG_BIN", ""),
		Port:        intVar("PORT", 8080),
		LogLevel:    str("LOG_LEVEL", "info"),
		AppURL:      str("NEXT_PUBLIC_APP_URL", ""),

		ClerkPublishableKey: str("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", ""),
		ClerkSecretKey:      str("CLERK_SECRET_KEY", ""),
		ClerkJWTKey:         str("CLERK_JWT_KEY", ""),
		ClerkWebhookSecret:  str("CLERK_WEBHOOK_SECRET", ""),
		ClerkAPIURL:         str("CLERK_API_URL", "https://api.clerk.com"),

		ElevenLabsAPIKey:        str("ELEVENLABS_API_KEY", ""),
		ElevenLabsAgentID:       str("NEXT_PUBLIC_ELEVENLABS_AGENT_ID", ""),
		ElevenLabsWebhookSecret: str("ELEVENLABS_WEBHOOK_SECRET", ""),
		ElevenLabsBaseURL:       str("ELEVENLABS_BASE_URL", "https://api.elevenlabs.io"),

		GeminiAPIKey:      str("GEMINI_API_KEY", str("GOOGLE_API_KEY", "")),
		GoogleProject:     str("GOOGLE_CLOUD_PROJECT", ""),
		GoogleLocation:    str("GOOGLE_CLOUD_LOCATION", "us-central1"),
		GeminiBaseURL:     str("GOOGLE_GEMINI_BASE_URL", ""),
		GeminiModel:       str("GEMINI_MODEL", "gemini-2.5-flash"),
		GroqAPIKey:        str("GROQ_API_KEY", ""),
		GroqBaseURL:       str("GROQ_BASE_URL", "https://api.groq.com/openai/v1"),
		GroqModel:         str("GROQ_MODEL", "openai/gpt-oss-20b"),
		GroqJSONSchema:    str("GROQ_JSON_SCHEMA", ""),
		LLMProspect:       str("SPARROW_LLM_PROSPECT", "") == "1",
		WriteRatePerMin:   intVar("SPARROW_WRITE_RATE_PER_MIN", 600),
		TrustProxyHeaders: str("SPARROW_TRUST_PROXY_HEADERS", "") == "1",
		ShutdownTimeout:   15 * time.Second,
	}
	def := "0.0.0.0"
	if c.LocalAuth() {
		def = "127.0.0.1"
	}
	c.Host = str("HOST", def)
	if c.AppURL != "" {
		c.Origins = append(c.Origins, strings.TrimRight(c.AppURL, "/"))
	}
	for _, o := range strings.Split(getenv("ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.Origins = append(c.Origins, strings.TrimRight(o, "/"))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", c.LogLevel))
	}
	if c.Port > 65535 || c.PGPort > 65535 {
		errs = append(errs, errors.New("PORT and SPARROW_PG_PORT must be at most 65535"))
	}
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	return c, errors.Join(errs...)
}

// keyDir holds the local sign-in signing key.
func (c Config) keyDir() string { return filepath.Join(c.DataDir, "keys") }
