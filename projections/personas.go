package projections

import (
	"fmt"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// Personas projects persona streams into the personas table, and forgets a
// deleted user's generated personas.
type Personas struct{}

func (Personas) Name() string      { return "personas" }
func (Personas) Tables() []string  { return []string{"personas"} }
func (Personas) Streams() []string { return []string{domain.StreamPersona, domain.StreamUser} }

func (Personas) Apply(e eventstore.Event) ([]Stmt, error) {
	switch d := e.Data.(type) {
	case *domain.PersonaCreated:
		p := d.PersonaProfile
		first := map[string]string{}
		for m, s := range p.FirstMessages {
			first[string(m)] = s
		}
		var owner any
		if d.OwnerUserID != "" {
			owner = d.OwnerUserID
		}
		js, err := jsonArgs(nonNil(p.HiddenPains), nonNil(p.Objections), first)
		if err != nil {
			return nil, fmt.Errorf("projection personas: %s: %w", e.Type, err)
		}
		return []Stmt{stmt(`INSERT INTO personas (id, name, role, company, industry, personality, difficulty, backstory,
  hidden_pains, objections, voice_id, system_prompt, first_message, first_messages, is_preset, owner_user_id, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, nullif($13, ''), $14::jsonb, $15, $16::uuid, $17)
ON CONFLICT (id) DO NOTHING`,
			e.StreamID, p.Name, p.Role, p.Company, p.Industry, string(p.Personality), string(p.Difficulty), p.Backstory,
			js[0], js[1], p.VoiceID, p.SystemPrompt, p.FirstMessage,
			js[2], p.IsPreset, owner, e.Metadata.OccurredAt)}, nil
	case *domain.UserDeleted:
		return []Stmt{stmt(`DELETE FROM personas WHERE owner_user_id = $1`, e.StreamID)}, nil
	}
	return nil, nil // other user events do not concern personas
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
