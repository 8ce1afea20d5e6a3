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
func (Personas) Streams() []string { return personasStreams }

var personasStreams = []string{domain.StreamPersona, domain.StreamUser}

func (Personas) Schema() []TableDef { return []TableDef{{Name: "personas", Key: []string{"id"}}} }

// Apply is Changes as statements (rows.go).
func (p Personas) Apply(e eventstore.Event) ([]Stmt, error) { return applyRows(p, e) }

func (Personas) Changes(e eventstore.Event) ([]Change, error) {
	switch d := e.Data.(type) {
	case *domain.PersonaCreated:
		p := d.PersonaProfile
		first := map[string]string{}
		for m, s := range p.FirstMessages {
			first[string(m)] = s
		}
		js, err := jsonValues(nonNil(p.HiddenPains), nonNil(p.Objections), first)
		if err != nil {
			return nil, fmt.Errorf("projection personas: %s: %w", e.Type, err)
		}
		return []Change{insert("personas", col("id", e.StreamID), col("name", p.Name), col("role", p.Role), col("company", p.Company),
			col("industry", p.Industry), col("personality", string(p.Personality)), col("difficulty", string(p.Difficulty)),
			col("backstory", p.Backstory), col("hidden_pains", js[0]), col("objections", js[1]), col("voice_id", p.VoiceID),
			col("system_prompt", p.SystemPrompt), col("first_message", nullIfEmpty(p.FirstMessage)), col("first_messages", js[2]),
			col("is_preset", p.IsPreset), col("owner_user_id", nullIfEmpty(d.OwnerUserID)), col("created_at", e.Metadata.OccurredAt))}, nil
	case *domain.UserDeleted:
		return []Change{del("personas", col("owner_user_id", e.StreamID))}, nil
	}
	return nil, nil // other user events do not concern personas
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
