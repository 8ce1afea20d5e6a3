package llm

import (
	"fmt"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// ReplyInput is the conversation so far, to be answered by the prospect.
type ReplyInput struct {
	Persona    domain.PersonaProfile
	Mode       domain.Mode
	Transcript []domain.TranscriptEntry // oldest first; empty for the opening line
}

// Validate checks the input before any request is made.
func (in ReplyInput) Validate() error {
	if err := in.Persona.Validate(); err != nil {
		return &domain.FieldError{Field: "persona", Err: err}
	}
	if _, err := domain.ParseMode(string(in.Mode)); err != nil {
		return &domain.FieldError{Field: "mode", Err: err}
	}
	for i, e := range in.Transcript {
		if err := e.Validate(); err != nil {
			return &domain.FieldError{Field: fmt.Sprintf("transcript[%d]", i), Err: err}
		}
	}
	if n := len(in.Transcript); n > 0 && in.Transcript[n-1].Role != domain.RoleUser {
		return &domain.FieldError{Field: "transcript", Err: fmt.Errorf("%w: the last line must be the rep's, for the prospect to answer", domain.ErrInvalid)}
	}
	return nil
}

// Reply is the prospect's next line.
type Reply struct {
	Text  string
	Model string // empty when no model was asked (the persona's opening line)
}

// maxReplyRunes bounds a spoken reply.
const maxReplyRunes = 1500

// prospectSystem is the persona's prompt plus the rules of a spoken call.
func prospectSystem(in ReplyInput) string {
	return strings.TrimSpace(in.Persona.SystemPrompt) + "\n\n" +
		"This is a live phone call (" + modeBrief(in.Mode) + ") with a sales rep. " +
		"Reply with exactly what " + in.Persona.Name + " says next: one to three short spoken sentences, " +
		"no stage directions, no name or role label, no quotation marks. Stay in character; never mention being an AI."
}

// openingLine is the reply when nothing has been said yet.
func openingLine(in ReplyInput) (Reply, bool) {
	if len(in.Transcript) > 0 {
		return Reply{}, false
	}
	return Reply{Text: in.Persona.FirstMessageFor(in.Mode)}, true
}

// turn is one merged conversation turn; consecutive lines of the same speaker
// are joined, since some APIs reject two turns in a row from one side.
type turn struct {
	prospect bool
	text     string
}

func turns(t []domain.TranscriptEntry) []turn {
	var out []turn
	for _, e := range t {
		p := e.Role == domain.RoleAssistant
		text := strings.TrimSpace(e.Content)
		if n := len(out); n > 0 && out[n-1].prospect == p {
			out[n-1].text += "\n" + text
			continue
		}
		out = append(out, turn{prospect: p, text: text})
	}
	return out
}

// cleanReply validates the model's line: trimmed, without a leading speaker
// label or wrapping quotes, non-empty and short enough to speak.
func cleanReply(model, text string, persona domain.PersonaProfile) (Reply, error) {
	s := withoutReasoning(text)
	for _, label := range []string{"Prospect:", persona.Name + ":", strings.SplitN(persona.Name, " ", 2)[0] + ":"} {
		if len(s) >= len(label) && strings.EqualFold(s[:len(label)], label) {
			s = strings.TrimSpace(s[len(label):])
			break
		}
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return Reply{}, invalid(model, "reply is empty", nil)
	}
	if n := len([]rune(s)); n > maxReplyRunes {
		return Reply{}, invalid(model, fmt.Sprintf("reply has %d characters, more than %d", n, maxReplyRunes), nil)
	}
	return Reply{Text: s, Model: model}, nil
}
