package app

import (
	"context"
	"errors"

	"github.com/sparrow-coach/sparrow/domain"
)

// loadPersona returns the persona of a stream id, never nil without an
// error: an id that names no persona (a malformed id, an empty stream, the
// stream of a call or user) gives a persona whose Exists is false.
func (a *App) loadPersona(ctx context.Context, id string) (*domain.Persona, error) {
	p := domain.NewPersona(id)
	if !ValidID(id) {
		return p, nil
	}
	evs, err := a.store.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(evs) > 0 && evs[0].StreamType != domain.StreamPersona {
		return p, nil
	}
	for _, e := range evs {
		p.Apply(e.Data)
	}
	return p, nil
}

// PersonaForUser returns a persona the user may use (a preset or their own).
func (a *App) PersonaForUser(ctx context.Context, userID, personaID string) (domain.PersonaProfile, error) {
	p, err := a.loadPersona(ctx, personaID)
	if err != nil {
		return domain.PersonaProfile{}, err
	}
	if !p.VisibleTo(userID) {
		return domain.PersonaProfile{}, notFound("persona", personaID)
	}
	return p.Profile(), nil
}

// CreatePersona records a persona owned by the user (generated personas).
func (a *App) CreatePersona(ctx context.Context, m Meta, personaID, ownerUserID string, profile domain.PersonaProfile) error {
	profile.IsPreset = false
	return a.createPersona(ctx, m, personaID, ownerUserID, profile)
}

// SeedPresets records every preset persona not yet in the log. Idempotent:
// preset ids are fixed, and an existing stream is left alone. Returns how
// many were added.
func (a *App) SeedPresets(ctx context.Context, presets map[string]domain.PersonaProfile) (int, error) {
	added := 0
	for id, profile := range presets {
		profile.IsPreset = true
		err := a.createPersona(ctx, Meta{Actor: "system", IdempotencyKey: "preset/" + id}, id, "", profile)
		switch {
		case errors.Is(err, domain.ErrAlreadyExists):
		case err != nil:
			return added, err
		default:
			added++
		}
	}
	return added, nil
}

func (a *App) createPersona(ctx context.Context, m Meta, personaID, owner string, profile domain.PersonaProfile) error {
	unlock := a.lock(personaID)
	defer unlock()
	p, err := a.loadPersona(ctx, personaID)
	if err != nil {
		return err
	}
	data, err := p.Create(profile, owner)
	if err != nil {
		return err
	}
	res, err := a.store.Append(ctx, personaID, 0, a.newEvents(m, data)...)
	if err != nil {
		return err
	}
	a.settle(ctx, res)
	return nil
}
