package prospect

import "github.com/sparrow-coach/sparrow/domain"

// temperament holds the numbers that make one persona harder than another:
// how much patience it starts with, what each mistake costs, what each good
// move earns, and how much interest it takes to book a meeting. Personality
// sets the flavour (busy and hostile prospects have little patience and tire
// quickly; friendly ones tolerate more but need a reason to commit),
// difficulty scales it (hard = less patience, dearer time, higher bar, fewer
// pains given away, good answers tested before they are accepted).
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

	// Patience regained when the call is worth the prospect's time.
	revealRelief, handledRelief, implicationRelief int

	revealGain      int // interest for a pain uncovered
	hintGain        int // a general open question that earned a hint
	implicationGain int // a follow-up question on a pain the prospect voiced
	handledGain     int // an objection handled
	openerGain      int // a good cold-call opener
	valueGain       int // connecting the offer to a pain the prospect voiced

	revealChance float64 // chance a relevant question reveals the pain (else a deflection)
	hintChance   float64 // chance a general open question earns a hint
	pushBack     float64 // chance a good objection answer still gets "I've heard that before"
	brushOff     float64 // chance of a brush-off objection right after a good cold-call opener

	objectionsRequired int // objections that must be raised and handled before booking
	maxTurns           int // rep turns after which the prospect has to leave
}

// personalityTraits are the per-personality parts of a temperament.
type personalityTraits struct {
	patience, interest, neededAdjust    int
	extraTurnCost, rambleCost, longCost int
	closedCost, ignoredCost             int
	respect                             int // extra patience when an objection is handled well
	hintChance, brushOff                float64
}

func traitsOf(p domain.Personality) personalityTraits {
	switch p {
	case domain.PersonalityFriendly:
		return personalityTraits{patience: 75, interest: 10, neededAdjust: 5, rambleCost: 14, closedCost: 1, ignoredCost: 14, hintChance: 0.9, brushOff: 0.4}
	case domain.PersonalityTechnical:
		return personalityTraits{patience: 72, interest: 5, rambleCost: 20, closedCost: 1, ignoredCost: 18, hintChance: 0.75, brushOff: 0.7}
	case domain.PersonalitySkeptical:
		return personalityTraits{patience: 68, interest: 5, neededAdjust: 5, rambleCost: 20, closedCost: 1, ignoredCost: 18, respect: 2, hintChance: 0.7, brushOff: 1}
	case domain.PersonalityBusy:
		return personalityTraits{patience: 66, interest: 5, neededAdjust: -5, extraTurnCost: 1, rambleCost: 28, longCost: 4, closedCost: 2, ignoredCost: 18, hintChance: 0.7, brushOff: 1}
	case domain.PersonalityHostile:
		return personalityTraits{patience: 62, interest: 0, neededAdjust: -5, rambleCost: 24, longCost: 4, closedCost: 2, ignoredCost: 22, respect: 4, hintChance: 0.65, brushOff: 1}
	}
	return personalityTraits{patience: 70, interest: 5, rambleCost: 20, closedCost: 1, ignoredCost: 18, hintChance: 0.75, brushOff: 1}
}

// newTemperament derives the numbers from personality, difficulty and mode.
func newTemperament(p domain.PersonaProfile, mode domain.Mode) temperament {
	tr := traitsOf(p.Personality)
	t := temperament{
		interest:   tr.interest,
		rambleCost: tr.rambleCost, longCost: tr.longCost, pitchCost: 15, ignoredCost: tr.ignoredCost, partialCost: 6,
		prematureCost: 10, vagueCost: 8, closedCost: tr.closedCost, repeatCost: 6, silenceCost: 6,
		hintGain: 2, openerGain: 5, valueGain: 4,
		hintChance: tr.hintChance, brushOff: tr.brushOff,
	}
	var patienceScale float64
	switch p.Difficulty {
	case domain.DifficultyEasy:
		patienceScale = 1.2
		t.turnCost, t.interestNeeded, t.objectionsRequired = 1, 35, 1
		t.revealRelief, t.handledRelief, t.implicationRelief = 5, 4, 2
		t.revealGain, t.implicationGain, t.handledGain = 14, 6, 12
		t.revealChance = 1
	case domain.DifficultyMedium:
		patienceScale = 1.0
		t.turnCost, t.interestNeeded, t.objectionsRequired = 2, 60, 2
		t.revealRelief, t.handledRelief, t.implicationRelief = 4, 3, 1
		t.revealGain, t.implicationGain, t.handledGain = 12, 5, 10
		t.revealChance, t.pushBack = 0.8, 0.2
	default:
		patienceScale = 0.85
		t.turnCost, t.interestNeeded, t.objectionsRequired = 3, 65, 3
		t.revealRelief, t.handledRelief, t.implicationRelief = 3, 2, 1
		t.revealGain, t.implicationGain, t.handledGain = 10, 4, 8
		t.revealChance, t.pushBack = 0.65, 0.35
		t.prematureCost += 4
		t.hintChance -= 0.1
	}
	t.turnCost += tr.extraTurnCost
	t.handledRelief += tr.respect
	t.interestNeeded += tr.neededAdjust
	t.patience = int(float64(tr.patience) * patienceScale)

	switch mode {
	case domain.ModeDiscovery:
		// They agreed to this meeting: more patience, a little interest
		// already, and they expect a thorough discovery before a next step.
		t.patience += 10
		t.interest += 5
		t.interestNeeded += 10
		t.maxTurns = 26
	case domain.ModeObjectionGauntlet:
		// Every objection comes up, one after another; handling them is how interest is earned.
		t.patience += 5
		t.interest += 15
		t.objectionsRequired = len(p.Objections)
		if t.pushBack > 0 {
			t.pushBack += 0.25 // the drill: answers get tested harder
		}
		t.maxTurns = 24
	default:
		t.maxTurns = 20
	}
	t.objectionsRequired = min(t.objectionsRequired, len(p.Objections))
	t.patience = min(t.patience, 100)
	return t
}
