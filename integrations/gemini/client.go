package gemini

import (
	"context"
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// Roles of a Turn.
const (
	RoleUser  = genai.RoleUser  // "user": the person talking to the model
	RoleModel = genai.RoleModel // "model": the model's earlier answers
)

// Turn is one message of a conversation sent to the model.
type Turn struct {
	Role string // RoleUser or RoleModel
	Text string
}

// Client calls one Gemini model. Safe for concurrent use.
type Client struct {
	cfg    Config
	models *genai.Models
}

// New validates cfg and builds the SDK client (no request is made).
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cc := &genai.ClientConfig{
		HTTPClient:  cfg.HTTPClient,
		HTTPOptions: genai.HTTPOptions{BaseURL: cfg.BaseURL},
	}
	if cfg.vertex() {
		cc.Backend = genai.BackendVertexAI
		cc.Project = cfg.VertexProject
		cc.Location = cfg.VertexLocation
	} else {
		cc.Backend = genai.BackendGeminiAPI
		cc.APIKey = cfg.APIKey
	}
	gc, err := genai.NewClient(ctx, cc)
	if err != nil {
		return nil, fmt.Errorf("gemini: new client: %w", err)
	}
	return &Client{cfg: cfg, models: gc.Models}, nil
}

// Model is the configured model name.
func (c *Client) Model() string { return c.cfg.Model }

// GenerateJSON asks for a JSON answer that follows schema (nil: any JSON) and
// returns its text, unparsed, with the name of the model that answered.
// Validating the JSON is the caller's job.
func (c *Client) GenerateJSON(ctx context.Context, system, user string, schema *Schema, temperature float32) (text string, model string, err error) {
	gcfg := c.config(system, temperature)
	gcfg.ResponseMIMEType = "application/json"
	gcfg.ResponseSchema = schema.genai()
	return c.generate(ctx, []*genai.Content{{Role: RoleUser, Parts: []*genai.Part{{Text: user}}}}, gcfg)
}

// GenerateText continues a conversation: turns must be non-empty, alternate
// as the caller likes, and end with the user's turn the model answers.
func (c *Client) GenerateText(ctx context.Context, system string, turns []Turn, temperature float32) (text string, model string, err error) {
	if len(turns) == 0 {
		return "", "", resilience.Permanent(fmt.Errorf("gemini: generate: no turns"))
	}
	contents := make([]*genai.Content, 0, len(turns))
	for i, t := range turns {
		if t.Role != RoleUser && t.Role != RoleModel {
			return "", "", resilience.Permanent(fmt.Errorf("gemini: generate: turn %d has role %q, want user or model", i, t.Role))
		}
		contents = append(contents, &genai.Content{Role: t.Role, Parts: []*genai.Part{{Text: t.Text}}})
	}
	return c.generate(ctx, contents, c.config(system, temperature))
}

func (c *Client) config(system string, temperature float32) *genai.GenerateContentConfig {
	gcfg := &genai.GenerateContentConfig{
		Temperature:           genai.Ptr(temperature),
		CandidateCount:        1,
		MaxOutputTokens:       c.cfg.MaxOutputTokens,
		AutomaticContinuation: genai.Ptr(false),
	}
	if strings.TrimSpace(system) != "" {
		gcfg.SystemInstruction = &genai.Content{Parts: []*genai.Part{{Text: system}}}
	}
	return gcfg
}

func (c *Client) generate(ctx context.Context, contents []*genai.Content, gcfg *genai.GenerateContentConfig) (string, string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	resp, err := c.call(ctx, contents, gcfg)
	if err != nil {
		return "", "", fmt.Errorf("gemini: generate with %s: %w", c.cfg.Model, mapError(err))
	}
	model := resp.ModelVersion
	if model == "" {
		model = c.cfg.Model
	}
	if pf := resp.PromptFeedback; pf != nil && pf.BlockReason != "" {
		return "", model, fmt.Errorf("%w: prompt blocked (%s)", ErrBlocked, pf.BlockReason)
	}
	if len(resp.Candidates) == 0 || resp.Candidates[0] == nil {
		return "", model, resilience.Retryable(fmt.Errorf("%w: no candidates", ErrEmptyResponse))
	}
	cand := resp.Candidates[0]
	var b strings.Builder
	if cand.Content != nil {
		for _, p := range cand.Content.Parts {
			if p != nil && !p.Thought {
				b.WriteString(p.Text)
			}
		}
	}
	text := b.String()
	if strings.TrimSpace(text) == "" {
		if blockedFinish(cand.FinishReason) {
			return "", model, fmt.Errorf("%w: answer stopped (%s)", ErrBlocked, cand.FinishReason)
		}
		return "", model, resilience.Retryable(fmt.Errorf("%w (finish reason %q)", ErrEmptyResponse, cand.FinishReason))
	}
	return text, model, nil
}

func blockedFinish(r genai.FinishReason) bool {
	switch r {
	case genai.FinishReasonSafety, genai.FinishReasonRecitation, genai.FinishReasonBlocklist,
		genai.FinishReasonProhibitedContent, genai.FinishReasonSPII:
		return true
	}
	return false
}

// call runs the SDK request. genai v1.77 panics while converting a 2xx body of
// an unexpected shape (e.g. "candidates" not being a list); a broken proxy
// must not crash the process, so the panic becomes ErrMalformedResponse.
func (c *Client) call(ctx context.Context, contents []*genai.Content, gcfg *genai.GenerateContentConfig) (resp *genai.GenerateContentResponse, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, resilience.Retryable(fmt.Errorf("%w: %v", ErrMalformedResponse, r))
		}
	}()
	return c.models.GenerateContent(ctx, c.cfg.Model, contents, gcfg)
}
