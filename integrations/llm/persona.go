package llm

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/gemini"
)

// PersonaGenerationPrompt is the system prompt of persona generation (spec §4.4
// names the inputs and outputs; the wording is Sparrow's).
const PersonaGenerationPrompt = `You design realistic B2B buyer personas for sales reps to practise phone calls with an AI prospect.

Given an industry, a role, a personality and a difficulty, invent one believable person: a name, their exact job title, a plausible (fictional) company, a short backstory, the hidden pains a good rep could uncover with discovery questions, and the objections they will raise.

Write "systemPrompt" in the second person ("You are ..."). It instructs a voice AI to play this person on a phone call with a sales rep: who they are, their situation, how the personality and difficulty shape their behaviour, which pains to reveal only when the rep asks good open questions, which objections to raise and when, and to keep every reply short and spoken (one to three sentences), never to mention being an AI, and never to break character.

Write one opening line per call mode in "firstMessages": "cold_call" (answering an unexpected call), "discovery" (joining a scheduled discovery call) and "objection_gauntlet" (already sceptical, ready to push back). "firstMessage" is the cold_call line.

Choose "voiceId" from the voices offered, matching the person. Answer with the JSON object only.`

// Voice is a TTS voice the persona may use.
type Voice struct {
	ID          string
	Description string // e.g. "male, 50s, calm, American"
}

// PersonaRequest asks for a new persona (spec §4.4: industry, role, personality, difficulty).
type PersonaRequest struct {
	Industry    string
	Role        string
	Personality domain.Personality
	Difficulty  domain.Difficulty
	// Voices offered to the model; it must pick one of their IDs.
	Voices []Voice
	// Notes is optional extra guidance from the user (company size, region, ...).
	Notes string
}

// Validate checks the request before any request is made.
func (r PersonaRequest) Validate() error {
	var errs []error
	if strings.TrimSpace(r.Industry) == "" {
		errs = append(errs, &domain.FieldError{Field: "industry", Err: fmt.Errorf("%w: industry is required", domain.ErrInvalid)})
	}
	if strings.TrimSpace(r.Role) == "" {
		errs = append(errs, &domain.FieldError{Field: "role", Err: fmt.Errorf("%w: role is required", domain.ErrInvalid)})
	}
	if _, err := domain.ParsePersonality(string(r.Personality)); err != nil {
		errs = append(errs, &domain.FieldError{Field: "personality", Err: err})
	}
	if _, err := domain.ParseDifficulty(string(r.Difficulty)); err != nil {
		errs = append(errs, &domain.FieldError{Field: "difficulty", Err: err})
	}
	if len(r.Voices) == 0 {
		errs = append(errs, &domain.FieldError{Field: "voices", Err: fmt.Errorf("%w: at least one voice is required", domain.ErrInvalid)})
	}
	for i, v := range r.Voices {
		if strings.TrimSpace(v.ID) == "" {
			errs = append(errs, &domain.FieldError{Field: fmt.Sprintf("voices[%d].id", i), Err: fmt.Errorf("%w: voice id is required", domain.ErrInvalid)})
		}
	}
	return errors.Join(errs...)
}

func (r PersonaRequest) voiceIDs() []string {
	ids := make([]string, len(r.Voices))
	for i, v := range r.Voices {
		ids[i] = v.ID
	}
	return ids
}

func personaUser(r PersonaRequest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Industry: %s\nRole: %s\nPersonality: %s\nDifficulty: %s\n", r.Industry, r.Role, r.Personality, r.Difficulty)
	if n := strings.TrimSpace(r.Notes); n != "" {
		fmt.Fprintf(&b, "Notes: %s\n", n)
	}
	b.WriteString("Voices:\n")
	for _, v := range r.Voices {
		fmt.Fprintf(&b, "- %s: %s\n", v.ID, v.Description)
	}
	return b.String()
}

// personaSchema is the Gemini response schema of persona generation, with
// voiceId restricted to the offered voices.
func personaSchema(voiceIDs []string) *gemini.Schema {
	str := func(desc string) *gemini.Schema { return &gemini.Schema{Kind: gemini.String, Description: desc} }
	list := func(desc string) *gemini.Schema {
		return &gemini.Schema{Kind: gemini.Array, Items: str(""), Description: desc, MinItems: ptr[int64](1), MaxItems: ptr[int64](maxPersonaItems)}
	}
	modes := []string{string(domain.ModeColdCall), string(domain.ModeDiscovery), string(domain.ModeObjectionGauntlet)}
	firsts := map[string]*gemini.Schema{}
	for _, m := range modes {
		firsts[m] = str("")
	}
	order := []string{"name", "role", "company", "industry", "backstory", "hiddenPains", "objections", "voiceId", "systemPrompt", "firstMessage", "firstMessages"}
	return &gemini.Schema{
		Kind: gemini.Object,
		Properties: map[string]*gemini.Schema{
			"name":          str("full name"),
			"role":          str("job title"),
			"company":       str("fictional company name"),
			"industry":      str(""),
			"backstory":     str("two to four sentences"),
			"hiddenPains":   list("pains revealed only to good discovery questions"),
			"objections":    list("objections the prospect raises"),
			"voiceId":       {Kind: gemini.String, Enum: slices.Clone(voiceIDs)},
			"systemPrompt":  str("second-person instructions for the voice AI playing this person"),
			"firstMessage":  str("the cold_call opening line"),
			"firstMessages": {Kind: gemini.Object, Properties: firsts, Required: modes},
		},
		Required: order,
		Order:    order,
	}
}

const (
	maxPersonaItems      = 10
	maxPersonaFieldRunes = 2000
	maxSystemPromptRunes = 12000
	minSystemPromptRunes = 80
	maxFirstMessageRunes = 500
)

type wirePersona struct {
	Name          *string            `json:"name"`
	Role          *string            `json:"role"`
	Company       *string            `json:"company"`
	Industry      *string            `json:"industry"`
	Backstory     *string            `json:"backstory"`
	HiddenPains   *[]string          `json:"hiddenPains"`
	Objections    *[]string          `json:"objections"`
	VoiceID       *string            `json:"voiceId"`
	SystemPrompt  *string            `json:"systemPrompt"`
	FirstMessage  *string            `json:"firstMessage"`
	FirstMessages *map[string]string `json:"firstMessages"`
}

// parsePersona validates a persona answer; personality and difficulty come
// from the request, not from the model.
func parsePersona(model, text string, req PersonaRequest) (domain.PersonaProfile, error) {
	var w wirePersona
	if err := decodeAnswer(model, text, &w); err != nil {
		return domain.PersonaProfile{}, err
	}
	p := domain.PersonaProfile{Personality: req.Personality, Difficulty: req.Difficulty}
	var err error
	for _, f := range []struct {
		name string
		src  *string
		dst  *string
		max  int
	}{
		{"name", w.Name, &p.Name, 200}, {"role", w.Role, &p.Role, 200}, {"company", w.Company, &p.Company, 200},
		{"industry", w.Industry, &p.Industry, 200}, {"backstory", w.Backstory, &p.Backstory, maxPersonaFieldRunes},
		{"voiceId", w.VoiceID, &p.VoiceID, 200}, {"systemPrompt", w.SystemPrompt, &p.SystemPrompt, maxSystemPromptRunes},
		{"firstMessage", w.FirstMessage, &p.FirstMessage, maxFirstMessageRunes},
	} {
		if *f.dst, err = requiredText(model, f.name, f.src, f.max); err != nil {
			return domain.PersonaProfile{}, err
		}
	}
	if len([]rune(p.SystemPrompt)) < minSystemPromptRunes {
		return domain.PersonaProfile{}, invalid(model, fmt.Sprintf("systemPrompt has fewer than %d characters", minSystemPromptRunes), nil)
	}
	if !slices.Contains(req.voiceIDs(), p.VoiceID) {
		return domain.PersonaProfile{}, invalid(model, fmt.Sprintf("voiceId %q is not one of the offered voices", p.VoiceID), nil)
	}
	if p.HiddenPains, err = stringList(model, "hiddenPains", w.HiddenPains); err != nil {
		return domain.PersonaProfile{}, err
	}
	if p.Objections, err = stringList(model, "objections", w.Objections); err != nil {
		return domain.PersonaProfile{}, err
	}
	if w.FirstMessages == nil {
		return domain.PersonaProfile{}, invalid(model, "firstMessages is missing", nil)
	}
	p.FirstMessages = map[domain.Mode]string{}
	for _, m := range domain.Modes {
		s, ok := (*w.FirstMessages)[string(m)]
		if !ok {
			return domain.PersonaProfile{}, invalid(model, "firstMessages."+string(m)+" is missing", nil)
		}
		v, err := requiredText(model, "firstMessages."+string(m), &s, maxFirstMessageRunes)
		if err != nil {
			return domain.PersonaProfile{}, err
		}
		p.FirstMessages[m] = v
	}
	if err := p.Validate(); err != nil {
		return domain.PersonaProfile{}, invalid(model, "persona fails validation", err)
	}
	return p, nil
}

func stringList(model, field string, src *[]string) ([]string, error) {
	if src == nil || len(*src) == 0 {
		return nil, invalid(model, field+" is missing or empty", nil)
	}
	if len(*src) > maxPersonaItems {
		return nil, invalid(model, fmt.Sprintf("%s has %d items, more than %d", field, len(*src), maxPersonaItems), nil)
	}
	out := make([]string, 0, len(*src))
	for i, s := range *src {
		v, err := requiredText(model, fmt.Sprintf("%s[%d]", field, i), &s, maxPersonaFieldRunes)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
