package openaicompat

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/integrations/internal/endpoint"
)

// DefaultBaseURL is Groq's OpenAI-compatible endpoint.
const DefaultBaseURL = "https://api.groq.com/openai/v1"

// DefaultTimeout bounds one request when Config.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// Config configures a Client.
type Config struct {
	// BaseURL is the API root, up to and excluding /chat/completions
	// (default DefaultBaseURL; e.g. http://localhost:11434/v1 for Ollama).
	BaseURL string
	// APIKey is sent as a Bearer token; empty for servers without auth.
	APIKey string
	// Model is required, e.g. "openai/gpt-oss-20b" on Groq.
	Model string
	// HTTPClient is used for every request (default: a new http.Client).
	HTTPClient *http.Client
	// Timeout bounds one request, headers and body (default DefaultTimeout).
	Timeout time.Duration
	// JSONSchema says whether JSON answers are asked with a JSON schema
	// (response_format json_schema, strict): JSONSchemaAuto (the default)
	// sends one and falls back to json_object for good once the server
	// answers 400 to it (Groq supports it; some local servers do not);
	// JSONSchemaOff always sends json_object.
	JSONSchema JSONSchemaMode
}

// JSONSchemaMode is Config.JSONSchema.
type JSONSchemaMode string

// The JSON schema modes.
const (
	JSONSchemaAuto JSONSchemaMode = ""
	JSONSchemaOff  JSONSchemaMode = "off"
)

func (c *Config) setDefaults() {
	c.BaseURL = endpoint.BaseURL(c.BaseURL, DefaultBaseURL)
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{}
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
}

// Validate checks the configuration (after defaults are applied by New).
func (c Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Model) == "" {
		errs = append(errs, errors.New("openaicompat: Model is required"))
	}
	if c.BaseURL != "" && !endpoint.IsHTTPURL(c.BaseURL) {
		errs = append(errs, errors.New("openaicompat: BaseURL must be an absolute http(s) URL"))
	}
	if c.JSONSchema != JSONSchemaAuto && c.JSONSchema != JSONSchemaOff {
		errs = append(errs, errors.New(`openaicompat: JSONSchema must be "" (auto) or "off"`))
	}
	if c.Timeout < 0 {
		errs = append(errs, errors.New("openaicompat: Timeout must be >= 0"))
	}
	return errors.Join(errs...)
}
