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
func (Users) Streams() []string { return []string{domain.StreamUser} }

func (Users) Apply(e eventstore.Event) ([]Stmt, error) {
	at := e.Metadata.OccurredAt
	switch d := e.Data.(type) {
	case *domain.UserRegistered:
		return []Stmt{stmt(`INSERT INTO users (id, clerk_id, email, full_name, avatar_url, created_at, updated_at)
VALUES ($1, $2, $3, nullif($4, ''), nullif($5, ''), $6, $6) ON CONFLICT (id) DO NOTHING`,
			e.StreamID, d.ClerkID, d.Email, d.FullName, d.AvatarURL, at)}, nil
	case *domain.UserProfileUpdated:
		return []Stmt{stmt(`UPDATE users SET email = coalesce($2, email),
  full_name = CASE WHEN $3::boolean THEN nullif($4, '') ELSE full_name END,
  avatar_url = CASE WHEN $5::boolean THEN nullif($6, '') ELSE avatar_url END,
  updated_at = $7 WHERE id = $1`,
			e.StreamID, d.Email, d.FullName != nil, deref(d.FullName), d.AvatarURL != nil, deref(d.AvatarURL), at)}, nil
	case *domain.UserOnboardingCompleted:
		data := map[string]string{}
		for k, v := range d.Data {
			data[k] = v
		}
		data["timezone"] = d.Timezone
		js, err := jsonArgs(data)
		if err != nil {
			return nil, fmt.Errorf("projection users: %s: %w", e.Type, err)
		}
		return []Stmt{stmt(`UPDATE users SET onboarding_completed = true, onboarding_data = $2::jsonb, timezone = $3, updated_at = $4 WHERE id = $1`,
			e.StreamID, js[0], d.Timezone, at)}, nil
	case *domain.UserDeleted:
		return []Stmt{stmt(`DELETE FROM users WHERE id = $1`, e.StreamID)}, nil
	}
	return nil, fmt.Errorf("projection users: no rule for %s", e.Type)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
