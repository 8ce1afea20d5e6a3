package scoringtest

import "github.com/sparrow-coach/sparrow/domain"

// The sample calls every provider is scored on: one per mode, each with and
// without persona facts. Lines carry curly apostrophes, runs of spaces and a
// line break, the renderings the quote rule forgives.

func line(role domain.Role, ms int64, text string) domain.TranscriptEntry {
	return domain.TranscriptEntry{Role: role, Content: text, TimestampMs: ms}
}

func coldCall() []domain.TranscriptEntry {
	return []domain.TranscriptEntry{
		line(domain.RoleAssistant, 0, "Dana speaking."),
		line(domain.RoleUser, 2_100, "Hi Dana, it’s Sam from Acme. I'm calling because your team is hiring SDRs  and ramp time usually hurts."),
		line(domain.RoleAssistant, 7_800, "We already use a tool for onboarding. I'm busy."),
		line(domain.RoleUser, 11_200, "Totally fair. How long does it take a new SDR to book\ntheir first meeting today?"),
		line(domain.RoleAssistant, 16_000, "About three months, honestly."),
		line(domain.RoleUser, 19_500, "Would Tuesday at 10am work for a 15-minute look at how others cut that to six weeks?"),
		line(domain.RoleAssistant, 24_000, "Fine, Tuesday at 10 works."),
	}
}

func discovery() []domain.TranscriptEntry {
	return []domain.TranscriptEntry{
		line(domain.RoleUser, 0, "Thanks for making time, Priya. What prompted you to take this call?"),
		line(domain.RoleAssistant, 4_000, "Our month-end close takes twelve days and the CFO wants weekly cash forecasts."),
		line(domain.RoleUser, 9_000, "What happens today when an invoice doesn’t match the purchase order?"),
		line(domain.RoleAssistant, 13_500, "Someone chases it by email. We paid duplicate carrier charges last quarter."),
		line(domain.RoleUser, 19_000, "How does that land with your auditors, and who else feels it?"),
		line(domain.RoleAssistant, 24_000, "The auditors flagged late adjustments. Our controller is frustrated."),
		line(domain.RoleUser, 30_000, "Could we put 30 minutes on Thursday with your controller to walk through it?"),
		line(domain.RoleAssistant, 35_000, "Yes, Thursday works."),
	}
}

func gauntlet() []domain.TranscriptEntry {
	return []domain.TranscriptEntry{
		line(domain.RoleAssistant, 0, "You have thirty seconds."),
		line(domain.RoleUser, 1_500, "Understood. I help finance teams close faster. Is close speed a priority this year?"),
		line(domain.RoleAssistant, 6_000, "It's too expensive, I'm sure."),
		line(domain.RoleUser, 9_000, "That's fair, budgets are tight. What does a late close cost you today?"),
		line(domain.RoleAssistant, 14_000, "Send me an email."),
		line(domain.RoleUser, 17_000, "Happy to. What would make it worth opening?"),
		line(domain.RoleAssistant, 21_000, "We're locked into a contract until June."),
		line(domain.RoleUser, 24_500, "Makes sense. Would a short call in May, before renewal, be useful?"),
	}
}

func persona() *domain.PersonaFacts {
	return &domain.PersonaFacts{
		Name: "Priya Raman", Role: "VP Finance", Company: "Northwind Logistics", Industry: "logistics",
		Personality: domain.PersonalityTechnical, Difficulty: domain.DifficultyMedium,
		HiddenPains: []string{"Paid duplicate carrier charges last quarter", "Auditors flagged late adjustments"},
		Objections:  []string{"We already use a tool", "It's too expensive"},
	}
}

// inputs are the valid sample inputs, fresh on each call.
func inputs() []domain.ScoreInput {
	var out []domain.ScoreInput
	for _, c := range []struct {
		mode  domain.Mode
		lines []domain.TranscriptEntry
	}{{domain.ModeColdCall, coldCall()}, {domain.ModeDiscovery, discovery()}, {domain.ModeObjectionGauntlet, gauntlet()}} {
		out = append(out,
			domain.ScoreInput{CallID: "suite-" + string(c.mode), Mode: c.mode, Transcript: c.lines, TranscriptVersion: len(c.lines)},
			domain.ScoreInput{CallID: "suite-" + string(c.mode) + "-persona", Mode: c.mode, Persona: persona(), Transcript: c.lines, TranscriptVersion: len(c.lines)})
	}
	return out
}

type invalid struct {
	name string
	in   domain.ScoreInput
}

// invalidInputs break domain.ScoreInput.Validate, one rule each.
func invalidInputs() []invalid {
	ok := coldCall()
	with := func(i int, e domain.TranscriptEntry) []domain.TranscriptEntry {
		t := coldCall()
		t[i] = e
		return t
	}
	return []invalid{
		{"an unknown mode", domain.ScoreInput{Mode: "sales_call", Transcript: ok, TranscriptVersion: len(ok)}},
		{"no mode", domain.ScoreInput{Transcript: ok, TranscriptVersion: len(ok)}},
		{"a line with an unknown role", domain.ScoreInput{Mode: domain.ModeColdCall, Transcript: with(2, line("narrator", 7_800, "The phone rings.")), TranscriptVersion: len(ok)}},
		{"a blank line", domain.ScoreInput{Mode: domain.ModeDiscovery, Transcript: with(1, line(domain.RoleUser, 2_100, "  ")), TranscriptVersion: len(ok)}},
		{"a line that is not UTF-8", domain.ScoreInput{Mode: domain.ModeColdCall, Transcript: with(1, line(domain.RoleUser, 2_100, "caf\xe9")), TranscriptVersion: len(ok)}},
		{"a negative timestamp", domain.ScoreInput{Mode: domain.ModeColdCall, Transcript: with(3, line(domain.RoleUser, -5, "Hello?")), TranscriptVersion: len(ok)}},
		{"a negative transcript version", domain.ScoreInput{Mode: domain.ModeObjectionGauntlet, Transcript: ok, TranscriptVersion: -1}},
	}
}
