package prospect_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

// preset returns the preset persona with the given name.
func preset(t *testing.T, name string) domain.PersonaProfile {
	t.Helper()
	for _, p := range personas.Presets() {
		if p.Profile.Name == name {
			return p.Profile
		}
	}
	require.FailNow(t, "no preset named "+name)
	return domain.PersonaProfile{}
}

// monologue is a friendly, on-topic but far too long turn (no pitch words).
func monologue(words int) string {
	var b strings.Builder
	b.WriteString("So let me tell you a little about myself and my background before we start.")
	for wordsIn(b.String()) < words {
		b.WriteString(" I started out years ago in a small office and I have learned a great deal since then about how people like you get things done.")
	}
	return b.String()
}

func wordsIn(s string) int { return len(strings.Fields(s)) }

// answerTo handles an objection: acknowledge, address it in its own words, ask.
func answerTo(objection string) string {
	return "That's fair. About " + strings.TrimRight(objection, ".?!") +
		": we start with a small pilot, so nothing changes until you've seen results. What would you need to see?"
}
