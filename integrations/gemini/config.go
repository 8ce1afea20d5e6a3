package gemini

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/integrations/internal/endpoint"
)

// DefaultModel is used when Config.Model is empty (gemini-2.0-flash, named in
// the spec, is deprecated).
const DefaultModel = "gemini-2.5-flash"

// DefaultTimeout bounds one request when Config.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// Config configures a Client. Set APIKey for the Gemini API, or VertexProject
// and VertexLocation for Vertex AI (authenticated by Application Default
// Credentials, or by HTTPClient if it is given).
type Config struct {
	APIKey         string
	VertexProject  string
	VertexLocation string
	// Model is the model name, e.g. "gemini-2.5-flash" (default DefaultModel).
	Model string
	// BaseURL overrides the service root (tests, proxies, GOOGLE_GEMINI_BASE_URL).
	BaseURL string
	// HTTPClient is used for every request (default: the SDK's).
	HTTPClient *http.Client
	// Timeout bounds one request (default DefaultTimeout).
	Timeout time.Duration
	// MaxOutputTokens caps an answer (0: the model's default).
	MaxOutputTokens int32
}

func (c *Config) setDefaults() {
	if c.Model == "" {
		c.Model = DefaultModel
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
}

func (c Config) vertex() bool { return c.VertexProject != "" || c.VertexLocation != "" }

// Validate checks the configuration (after defaults are applied by New).
func (c Config) Validate() error {
	var errs []error
	switch {
	case c.vertex() && c.APIKey != "":
		errs = append(errs, errors.New("gemini: set APIKey (Gemini API) or VertexProject+VertexLocation (Vertex AI), not both"))
	case c.vertex() && (c.VertexProject == "" || c.VertexLocation == ""):
		errs = append(errs, errors.New("gemini: Vertex AI needs both VertexProject and VertexLocation"))
	case !c.vertex() && strings.TrimSpace(c.APIKey) == "":
		errs = append(errs, errors.New("gemini: APIKey is required (or VertexProject+VertexLocation)"))
	}
	if strings.TrimSpace(c.Model) == "" {
		errs = append(errs, errors.New("gemini: Model is required"))
	}
	if c.BaseURL != "" && !endpoint.IsHTTPURL(c.BaseURL) {
		errs = append(errs, errors.New("gemini: BaseURL must be an absolute http(s) URL"))
	}
	if c.Timeout < 0 {
		errs = append(errs, errors.New("gemini: Timeout must be >= 0"))
	}
	if c.MaxOutputTokens < 0 {
		errs = append(errs, errors.New("gemini: MaxOutputTokens must be >= 0"))
	}
	return errors.Join(errs...)
}
