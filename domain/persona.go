package domain

import (
	"fmt"
	"strings"
)

// Personality is how a prospect persona behaves on the phone.
type Personality string

const (
	PersonalitySkeptical Personality = "skeptical"
	PersonalityBusy      Personality = "busy"
	PersonalityFriendly  Personality = "friendly"
	PersonalityTechnical Personality = "technical"
	PersonalityHostile   Personality = "hostile"
)

// Personalities lists every personality in a stable order.
var Personalities = []Personality{PersonalitySkeptical, PersonalityBusy, PersonalityFriendly, PersonalityTechnical, PersonalityHostile}

// ParsePersonality validates s.
func ParsePersonality(s string) (Personality, error) {
	for _, p := range Personalities {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: personality %q must be one of skeptical, busy, friendly, technical, hostile", ErrInvalid, s)
}

// Difficulty is how hard a persona is to win over.
type Difficulty string

const (
	DifficultyEasy   Difficulty = "easy"
	DifficultyMedium Difficulty = "medium"
	DifficultyHard   Difficulty = "hard"
)

// Difficulties lists every difficulty in a stable order.
var Difficulties = []Difficulty{DifficultyEasy, DifficultyMedium, DifficultyHard}

// ParseDifficulty validates s.
func ParseDifficulty(s string) (Difficulty, error) {
	for _, d := range Difficulties {
		if string(d) == s {
			return d, nil
		}
	}
	return "", fmt.Errorf("%w: difficulty %q must be one of easy, medium, hard", ErrInvalid, s)
}

// PersonaProfile is everything that describes a prospect persona (spec §6.2, §7.3).
// It is the payload of PersonaCreated and the input of the prospect simulator.
type PersonaProfile struct {
	Name        string      `json:"name"`
	Role        string      `json:"role"`
	Company     string      `json:"company"`
	Industry    string      `json:"industry"`
	Personality Personality `json:"personality"`
	Difficulty  Difficulty  `json:"difficulty"`
	Backstory   string      `json:"backstory"`
	HiddenPains []string    `json:"hiddenPains"`
	Objections  []string    `json:"objections"`
	VoiceID     string      `json:"voiceId"`
	// SystemPrompt is complete enough for an LLM or a voice agent to play the prospect.
	SystemPrompt string `json:"systemPrompt"`
	// FirstMessage is the prospect's default opening line.
	FirstMessage string `json:"firstMessage"`
	// FirstMessages holds a first line per mode; FirstMessage is used for a mode missing here.
	FirstMessages map[Mode]string `json:"firstMessages,omitempty"`
	IsPreset      bool            `json:"isPreset"`
}

// FirstMessageFor returns the persona's opening line for a mode.
func (p PersonaProfile) FirstMessageFor(m Mode) string {
	if s, ok := p.FirstMessages[m]; ok && s != "" {
		return s
	}
	return p.FirstMessage
}

// Validate checks every field of the profile.
func (p PersonaProfile) Validate() error {
	required := []struct{ field, value string }{
		{"name", p.Name}, {"role", p.Role}, {"company", p.Company}, {"industry", p.Industry},
		{"backstory", p.Backstory}, {"voiceId", p.VoiceID}, {"systemPrompt", p.SystemPrompt},
	}
	for _, r := range required {
		if strings.TrimSpace(r.value) == "" {
			return &FieldError{Field: r.field, Err: fmt.Errorf("%w: %s is required", ErrInvalid, r.field)}
		}
	}
	if _, err := ParsePersonality(string(p.Personality)); err != nil {
		return &FieldError{Field: "personality", Err: err}
	}
	if _, err := ParseDifficulty(string(p.Difficulty)); err != nil {
		return &FieldError{Field: "difficulty", Err: err}
	}
	for m, msg := range p.FirstMessages {
		if _, err := ParseMode(string(m)); err != nil {
			return &FieldError{Field: "firstMessages", Err: err}
		}
		if err := validateText("firstMessages."+string(m), msg, maxPersonaLongText); err != nil {
			return err
		}
	}
	type text struct {
		field, value string
		max          int
	}
	texts := []text{
		{"name", p.Name, maxPersonaShortText}, {"role", p.Role, maxPersonaShortText}, {"company", p.Company, maxPersonaShortText},
		{"industry", p.Industry, maxPersonaShortText}, {"voiceId", p.VoiceID, maxPersonaShortText},
		{"backstory", p.Backstory, maxPersonaLongText}, {"systemPrompt", p.SystemPrompt, maxPersonaLongText},
		{"firstMessage", p.FirstMessage, maxPersonaLongText},
	}
	for i, v := range p.HiddenPains {
		texts = append(texts, text{fmt.Sprintf("hiddenPains[%d]", i), v, maxPersonaLongText})
	}
	for i, v := range p.Objections {
		texts = append(texts, text{fmt.Sprintf("objections[%d]", i), v, maxPersonaLongText})
	}
	for _, t := range texts {
		if err := validateText(t.field, t.value, t.max); err != nil {
			return err
		}
	}
	return nil
}

// Limits on persona text, in characters: generous, they only keep the
// stored text sane.
const (
	maxPersonaShortText = 500
	maxPersonaLongText  = 100_000
)

// PersonaCreated opens a persona's stream. OwnerUserID is empty for presets.
type PersonaCreated struct {
	PersonaProfile
	OwnerUserID string `json:"ownerUserId,omitempty"`
}

func (PersonaCreated) EventType() string { return "PersonaCreated" }

// Persona is the aggregate for one prospect persona. Personas are immutable
// once created; a new persona is a new stream.
type Persona struct {
	id      string
	version int
	created *PersonaCreated
}

// NewPersona returns an empty persona aggregate for the stream id.
func NewPersona(id string) *Persona { return &Persona{id: id} }

func (p *Persona) ID() string   { return p.id }
func (p *Persona) Version() int { return p.version }
func (p *Persona) Exists() bool { return p != nil && p.created != nil }

// Profile returns the persona's profile (zero value when it does not exist).
func (p *Persona) Profile() PersonaProfile {
	if p.created == nil {
		return PersonaProfile{}
	}
	return p.created.PersonaProfile
}

// OwnerUserID is the user who generated the persona, empty for presets.
func (p *Persona) OwnerUserID() string {
	if p.created == nil {
		return ""
	}
	return p.created.OwnerUserID
}

// VisibleTo reports whether a user may use the persona: presets are public,
// generated personas belong to their owner. A persona that does not exist
// (nil, an empty stream, another aggregate's stream) is visible to no one.
func (p *Persona) VisibleTo(userID string) bool {
	return p.Exists() && (p.created.IsPreset || p.created.OwnerUserID == userID)
}

// Apply advances the state by one recorded event. Only a PersonaCreated
// opening the stream creates the persona: the events of another aggregate's
// stream (a call or user id given as a persona id) leave it nonexistent.
func (p *Persona) Apply(e Event) {
	p.version++
	if c, ok := e.(*PersonaCreated); ok && p.version == 1 {
		cc := *c
		p.created = &cc
	}
}

// Create decides the creation of a persona.
func (p *Persona) Create(profile PersonaProfile, ownerUserID string) ([]Event, error) {
	if p.version > 0 {
		return nil, fmt.Errorf("create persona %s: %w", p.id, ErrAlreadyExists)
	}
	if err := profile.Validate(); err != nil {
		return nil, err
	}
	if profile.IsPreset == (ownerUserID != "") {
		return nil, fmt.Errorf("%w: a persona is either a preset or owned by a user", ErrInvalid)
	}
	return []Event{&PersonaCreated{PersonaProfile: profile, OwnerUserID: ownerUserID}}, nil
}
