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
	for m := range p.FirstMessages {
		if _, err := ParseMode(string(m)); err != nil {
			return &FieldError{Field: "firstMessages", Err: err}
		}
	}
	return nil
}
