package projections

import (
	"fmt"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// Users projects user streams into the users table.
type Users struct{}

func (Users) Name() string      { return "users" }
func (Users) Tables() []string  { return []string{"users"} }
func (Users) Streams() []string { return usersStreams }

var usersStreams = []string{domain.StreamUser}

func (Users) Schema() []TableDef { return []TableDef{{Name: "users", Key: []string{"id"}}} }

// Apply is Changes as statements (rows.go).
func (p Users) Apply(e eventstore.Event) ([]Stmt, error) { return applyRows(p, e) }

func (Users) Changes(e eventstore.Event) ([]Change, error) {
	at, id := e.Metadata.OccurredAt, col("id", e.StreamID)
	switch d := e.Data.(type) {
	case *domain.UserRegistered:
		return []Change{insert("users", id, col("clerk_id", d.ClerkID), col("email", d.Email), col("full_name", nullIfEmpty(d.FullName)),
			col("avatar_url", nullIfEmpty(d.AvatarURL)), col("created_at", at), col("updated_at", at))}, nil
	case *domain.UserProfileUpdated:
		var sets []Set
		if d.Email != nil {
			sets = append(sets, set("email", *d.Email))
		}
		if d.FullName != nil {
			sets = append(sets, set("full_name", nullIfEmpty(*d.FullName)))
		}
		if d.AvatarURL != nil {
			sets = append(sets, set("avatar_url", nullIfEmpty(*d.AvatarURL)))
		}
		return []Change{update("users", id, append(sets, set("updated_at", at))...)}, nil
	case *domain.UserOnboardingCompleted:
		data := map[string]string{}
		for k, v := range d.Data {
			data[k] = v
		}
		data["timezone"] = d.Timezone
		js, err := jsonValues(data)
		if err != nil {
			return nil, fmt.Errorf("projection users: %s: %w", e.Type, err)
		}
		return []Change{update("users", id, set("onboarding_completed", true), set("onboarding_data", js[0]),
			set("timezone", d.Timezone), set("updated_at", at))}, nil
	case *domain.UserDeleted:
		return []Change{del("users", id)}, nil
	}
	return nil, fmt.Errorf("projection users: no rule for %s", e.Type)
}

// nullIfEmpty is nullif(s, ”): an empty text is stored as NULL.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
