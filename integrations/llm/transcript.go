package llm

import (
	"fmt"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// speaker names a transcript role for the models.
func speaker(r domain.Role) string {
	if r == domain.RoleUser {
		return "Rep"
	}
	return "Prospect"
}

// formatTranscript renders the transcript one line per entry:
// "[12345ms] Rep: text".
func formatTranscript(t []domain.TranscriptEntry) string {
	var b strings.Builder
	for _, e := range t {
		fmt.Fprintf(&b, "[%dms] %s: %s\n", e.TimestampMs, speaker(e.Role), strings.TrimSpace(e.Content))
	}
	return b.String()
}

// modeBrief tells the model what the rep was practising.
func modeBrief(m domain.Mode) string {
	switch m {
	case domain.ModeColdCall:
		return "cold_call: an unannounced first call; the rep must earn attention quickly and book a next step."
	case domain.ModeDiscovery:
		return "discovery: a scheduled discovery call; the rep should uncover pains, impact and decision process with open questions."
	case domain.ModeObjectionGauntlet:
		return "objection_gauntlet: the prospect raises objection after objection; the rep should acknowledge, probe and reframe."
	}
	return string(m)
}

// personaBrief summarises the prospect for the scorer.
func personaBrief(p *domain.PersonaFacts) string {
	if p == nil {
		return "(not given)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s at %s (%s industry); personality %s; difficulty %s.", p.Name, p.Role, p.Company, p.Industry, p.Personality, p.Difficulty)
	if len(p.HiddenPains) > 0 {
		fmt.Fprintf(&b, "\nHidden pains a good rep would uncover: %s.", strings.Join(p.HiddenPains, "; "))
	}
	if len(p.Objections) > 0 {
		fmt.Fprintf(&b, "\nObjections the prospect was ready to raise: %s.", strings.Join(p.Objections, "; "))
	}
	return b.String()
}
