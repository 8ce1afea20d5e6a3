package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

// POST /api/calls with a call's id as personaId panicked: the persona
// aggregate counted the call's events, said it existed, and VisibleTo read
// its nil profile. A persona exists only once PersonaCreated opened its stream.
func TestPersonaVisibleToIsSafeOnAnythingButAPersona(t *testing.T) {
	t.Parallel()
	var nilPersona *domain.Persona
	assert.False(t, nilPersona.Exists())
	assert.False(t, nilPersona.VisibleTo("u1"))

	empty := domain.NewPersona("p1")
	assert.False(t, empty.VisibleTo("u1"))

	callStream := domain.NewPersona("c1")
	callStream.Apply(&domain.CallCreated{UserID: "u1", PersonaID: "p0", Mode: domain.ModeDiscovery})
	callStream.Apply(&domain.CallFailed{Reason: "x"})
	assert.False(t, callStream.Exists())
	assert.False(t, callStream.VisibleTo("u1"))
	assert.False(t, callStream.VisibleTo(""))
	assert.Equal(t, domain.PersonaProfile{}, callStream.Profile())

	userStream := domain.NewPersona("u1")
	userStream.Apply(&domain.UserRegistered{ClerkID: "user_1", Email: "a@example.com"})
	assert.False(t, userStream.VisibleTo("u1"))

	owned := domain.NewPersona("p2")
	evs, err := owned.Create(validProfile(), "u1")
	require.NoError(t, err)
	owned.Apply(evs[0])
	assert.True(t, owned.VisibleTo("u1"))
	assert.False(t, owned.VisibleTo("u2"))
}
