package prospect

import "github.com/sparrow-coach/sparrow/domain"

// temperament holds the numbers that make one persona harder than another:
// how much patience it starts with, what each mistake costs, what each good
// move earns, and how much interest it takes to book a meeting. Personality
// sets the flavour (busy and hostile prospects have little patience; friendly
// ones tolerate more), difficulty scales it (hard = less patience, higher bar).
type temperament struct {
	patience       int // starting patience, 0..100
	interest       int // starting interest, 0..100
	interestNeeded int // interest at which a concrete proposal is accepted

	turnCost      int // patience every rep turn costs (the clock is running)
	rambleCost    int // a monologue longer than RambleWords
	longCost      int // a long turn (longTurnWords..RambleWords) for the impatient
	pitchCost     int // pitching before any pain was uncovered
	ignoredCost   int // talking past a pending objection
	partialCost   int // answering an objection only halfway
	prematureCost int // asking for a meeting before interest is earned
	vagueCost     int // a vague "let's talk next week" without earned interest
	closedCost    int // a yes/no question
	repeatCost    int // asking the same question again
	silenceCost   int

	revealGain      int // a pain uncovered
	hintGain        int // a general open question that earned a hint
	implicationGain int // a follow-up question on a pain the prospect voiced
	handledGain     int // an objection handled
	openerGain      int // a good cold-call opener
	valueGain       int // connecting the offer to a pain the prospect voiced

	revealChance float64 // chance a relevant question reveals the pain (else a deflection)
	hintChance   float64 // chance a general open question earns a hint
	brushOff     float64 // chance of a brush-off objection right after a cold-call opener

	objectionsRequired int // objections that must be raised and handled before booking
	maxTurns           int // rep turns after which the prospect has to leave
}

// newTemperament derives the numbers from personality, difficulty and mode.
func newTemperament(p domain.PersonaProfile, mode domain.Mode) temperament {
	t := temperament{
		turnCost: 1, rambleCost: 20, longCost: 0, pitchCost: 15, ignoredCost: 18, partialCost: 6,
		prematureCost: 10, vagueCost: 8, closedCost: 1, repeatCost: 6, silenceCost: 6,
		revealGain: 12, hintGain: 2, implicationGain: 6, handledGain: 12, openerGain: 5, valueGain: 4,
		hintChance: 0.8, brushOff: 1,
	}
	switch p.Personality {
	case domain.PersonalityFriendly:
		t.patience, t.interest, t.interestNeeded = 90, 10, -5
		t.rambleCost, t.hintChance, t.brushOff = 14, 0.95, 0.5
	case domain.PersonalityTechnical:
		t.patience, t.interest, t.interestNeeded = 75, 5, 0
		t.turnCost, t.pitchCost, t.hintChance, t.brushOff = 2, 18, 0.8, 0.7
	case domain.PersonalitySkeptical:
		t.patience, t.interest, t.interestNeeded = 70, 5, 5
		t.turnCost, t.hintChance = 2, 0.7
	case domain.PersonalityBusy:
		t.patience, t.interest, t.interestNeeded = 60, 5, 0
		t.turnCost, t.rambleCost, t.longCost, t.closedCost, t.hintChance = 3, 28, 4, 2, 0.7
	case domain.PersonalityHostile:
		t.patience, t.interest, t.interestNeeded = 50, 0, 5
		t.turnCost, t.rambleCost, t.longCost, t.closedCost, t.ignoredCost, t.hintChance = 3, 24, 4, 2, 22, 0.6
	default:
		t.patience, t.interest = 70, 5
	}

	var patienceScale float64
	switch p.Difficulty {
	case domain.DifficultyEasy:
		patienceScale, t.revealChance = 1.15, 1.0
		t.interestNeeded += 35
		t.objectionsRequired = 1
	case domain.DifficultyMedium:
		patienceScale, t.revealChance = 1.0, 0.9
		t.interestNeeded += 50
		t.objectionsRequired = 2
	default:
		patienceScale, t.revealChance = 0.85, 0.75
		t.interestNeeded += 65
		t.objectionsRequired = 3
		t.turnCost++
		t.prematureCost += 4
		t.hintChance -= 0.1
	}
	t.patience = int(float64(t.patience) * patienceScale)

	switch mode {
	case domain.ModeDiscovery:
		// They agreed to this meeting: more patience, some interest already, more to uncover.
		t.patience += 10
		t.interest += 15
		t.maxTurns = 26
	case domain.ModeObjectionGauntlet:
		// Every objection comes up; handling them is how interest is earned.
		t.patience += 5
		t.interest += 5
		t.objectionsRequired++
		t.maxTurns = 24
	default:
		t.maxTurns = 20
	}
	t.objectionsRequired = min(t.objectionsRequired, len(p.Objections))
	t.patience = min(t.patience, 100)
	return t
}
