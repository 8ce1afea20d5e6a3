package llm_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/integrations/gemini"
	"github.com/sparrow-coach/sparrow/integrations/gemini/geminifake"
	"github.com/sparrow-coach/sparrow/integrations/llm"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat/openaifake"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
	"github.com/sparrow-coach/sparrow/internal/scoringtest"
)

// Both LLM providers pass the scoring acceptance suite against their fakes,
// answered by a scripted model that reads the transcript it is sent and
// answers as a careless model would: its own overall score, quotes with the
// whitespace and apostrophes changed, a quote in capitals, an invented one,
// and timestamps off by a little.

var transcriptLine = regexp.MustCompile(`^\[(\d+)ms\] (Rep|Prospect): (.*)$`)

type sentLine struct {
	ms   int64
	rep  bool
	text string
}

// sentTranscript parses the transcript out of a user message (formatTranscript's lines).
func sentTranscript(user string) []sentLine {
	var out []sentLine
	for _, l := range strings.Split(user, "\n") {
		if m := transcriptLine.FindStringSubmatch(l); m != nil {
			ms, _ := strconv.ParseInt(m[1], 10, 64)
			out = append(out, sentLine{ms: ms, rep: m[2] == "Rep", text: m[3]})
		} else if n := len(out); n > 0 && l != "" && !strings.HasPrefix(l, "Every ") {
			out[n-1].text += "\n" + l
		}
	}
	return out
}

// scriptedAnswer is the model's JSON answer to a system prompt and a user message.
func scriptedAnswer(system, user string) map[string]any {
	lines := sentTranscript(user)
	if system == llm.QuickScorePrompt {
		return map[string]any{"score": min(100, 40+5*len(lines)), "summary": fmt.Sprintf("Scripted quick score of %d lines.", len(lines))}
	}
	var moments []any
	for _, l := range lines {
		if !l.rep {
			continue
		}
		words := strings.Fields(strings.NewReplacer("’", "'", "'", "’").Replace(l.text))
		quote := strings.Join(words[:min(6, len(words))], " ")
		moments = append(moments,
			map[string]any{"timestamp": l.ms + 7, "type": "strength", "description": "rep line", "quote": quote},
			map[string]any{"timestamp": l.ms, "type": "improvement", "description": "shouted", "quote": strings.ToUpper(quote)})
	}
	moments = append(moments, map[string]any{"timestamp": 0, "type": "improvement", "description": "invented", "quote": "I can double your pipeline in a week"})
	n := len(lines)
	return map[string]any{
		"overallScore": 99,
		"categoryScores": map[string]any{"opening": min(100, 50+n), "discovery": min(100, 40+2*n), "objectionHandling": 63,
			"communication": 71, "closing": min(100, 30+3*n)},
		"strengths":    []any{map[string]any{"point": "Clear opener", "example": "the first line", "timestamp": 0}},
		"improvements": []any{map[string]any{"point": "Ask for the meeting sooner", "suggestion": "Propose a time", "timestamp": 0}},
		"keyMoments":   moments,
		"summary":      "Scripted analysis.",
	}
}

func TestGeminiProviderPassesTheScoringContract(t *testing.T) {
	fake := geminifake.New()
	t.Cleanup(fake.Close)
	fake.SetHandler(func(r geminifake.Request) geminifake.Response {
		user := ""
		if len(r.Generate.Contents) > 0 {
			user = r.Generate.Contents[0].Text()
		}
		return geminifake.JSON("gemini-2.5-flash-001", scriptedAnswer(r.Generate.SystemInstruction.Text(), user))
	})
	c, err := gemini.New(context.Background(), gemini.Config{APIKey: "AIza", BaseURL: fake.URL})
	require.NoError(t, err)
	p, err := llm.NewGeminiProvider(c, resilience.Runner{Policy: resilience.GeminiPolicy(), Sleep: noSleep}, llm.Breakers{})
	require.NoError(t, err)
	scoringtest.Run(t, p, scoringtest.Options{NeedsTranscript: true, Requests: fake.RequestCount})
	requireRealisticMoments(t, p)
}

// requireRealisticMoments: the scripted model's quotes exercise the quote
// rule (the suite's quote check is not vacuous): the loosely copied quotes
// are kept in the line's own words, the shouted and invented ones dropped.
func requireRealisticMoments(t *testing.T, p scoringtest.Provider) {
	t.Helper()
	s, err := p.DeepScore(context.Background(), scoreInput())
	require.NoError(t, err)
	require.Len(t, s.KeyMoments, 2, "one per rep line")
	require.Equal(t, "Hi Dana, it's Sam from Acme.", s.KeyMoments[0].Quote)
	require.Equal(t, int64(2100), s.KeyMoments[0].TimestampMs)
	for _, m := range s.KeyMoments {
		require.Equal(t, "strength", string(m.Type))
	}
}

func TestChatProviderPassesTheScoringContract(t *testing.T) {
	fake := openaifake.New()
	t.Cleanup(fake.Close)
	fake.SetHandler(func(r openaifake.Request) openaifake.Response {
		if len(r.Chat.Messages) < 2 {
			return openaifake.Error(400, "invalid_request_error", "want a system and a user message")
		}
		return openaifake.ReplyJSON("openai/gpt-oss-20b", scriptedAnswer(r.Chat.Messages[0].Content, r.Chat.Messages[1].Content))
	})
	c, err := openaicompat.New(openaicompat.Config{BaseURL: fake.URL, APIKey: "gsk", Model: "openai/gpt-oss-20b"})
	require.NoError(t, err)
	p, err := llm.NewChatProvider(llm.GroqName, c, resilience.Runner{Policy: resilience.GroqPolicy(), Sleep: noSleep}, llm.Breakers{})
	require.NoError(t, err)
	scoringtest.Run(t, p, scoringtest.Options{NeedsTranscript: true, Requests: fake.RequestCount})
	requireRealisticMoments(t, p)
}
