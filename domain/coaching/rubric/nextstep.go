package rubric

import (
	"regexp"

	"github.com/sparrow-coach/sparrow/domain"
)

// Next step: a call books a meeting when a concrete day and time is proposed
// and accepted (coaching-research notes). "Let's talk next week" is not
// concrete; "Tuesday at 2pm" and "tomorrow at 10:30" are.

// NextStep says whether the call ended with a booked meeting.
type NextStep struct {
	// Booked: a concrete day and time was proposed and accepted, either
	// (a) the rep proposed it and the prospect's next run accepted, or
	// (b) the prospect named one (a counter-offer, or an answer to the rep's
	// ask) and the rep's next run confirmed it.
	Booked bool `json:"booked"`
	// Proposals counts rep runs that named a concrete day and time.
	Proposals int `json:"proposals"`
	// ProposalTurn / Proposal: the booked proposal, or else the last one
	// made (-1 and "" when none); Proposal is the sentence, verbatim.
	ProposalTurn int    `json:"proposalTurn"`
	Proposal     string `json:"proposal"`
	// AcceptedTurn / Acceptance: the line that accepted it (-1 and "" when not booked).
	AcceptedTurn int    `json:"acceptedTurn"`
	Acceptance   string `json:"acceptance"`
	// Asked: after the opener, the rep asked for a meeting or next step,
	// concretely or not.
	Asked bool `json:"asked"`
}

// clockTime matches a time of day: 2pm, 2 p.m., 10:30, noon, 3 o'clock,
// "at 2" / "at two thirty" when followed by an end of phrase. It is compiled
// once and only run on lines that already name a day.
var clockTime = regexp.MustCompile(`(?i)\b(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.?m\b|p\.?m\b)` +
	`|\b(?:[01]?\d|2[0-3]):[0-5]\d\b` +
	`|\b(?:noon|midday)\b` +
	`|\b(?:[01]?\d|2[0-3])\s*o['’]?clock\b` +
	`|\bat\s+(?:[01]?\d|2[0-3]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)` +
	`(?:\s+(?:thirty|fifteen|forty[- ]five|o['’]?clock))?` +
	`\s*(?:$|[.,?!;—–-]|\s+(?:or|works?|ok|okay|your|my|eastern|pacific|central|mountain|est|pst|cst|mst|et|pt|ct|gmt|utc|then|sharp|if|for|on|and|tomorrow|today|next|this|that|you|instead|is|would|could|should|might|suits?|sounds?|please))`)

var (
	months    = wordSet("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")
	ordinals  = wordSet("1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th 11th 12th 13th 14th 15th 16th 17th 18th 19th 20th 21st 22nd 23rd 24th 25th 26th 27th 28th 29th 30th 31st")
	confirmNo = wordSet("problem worries doubt")
)

// dayIn returns whether sentence si names a concrete day: a weekday,
// today/tomorrow, "March 14", or "the 14th".
func (t *transcript) dayIn(si int) bool {
	if hasCue(t.sentenceHits(si), cueDay) {
		return true
	}
	words := t.sentenceWords(si)
	for i := 0; i+1 < words.len(); i++ {
		if words.has(i, flagMonth) && (words.has(i+1, flagOrdinal) || isDayNumber(words.at(i+1))) ||
			words.has(i+1, flagOrdinal) && words.at(i) == "the" {
			return true
		}
	}
	return false
}

func isDayNumber(w string) bool {
	switch len(w) {
	case 1:
		return w[0] >= '1' && w[0] <= '9'
	case 2:
		return w[0] >= '0' && w[0] <= '3' && w[1] >= '0' && w[1] <= '9'
	}
	return false
}

// concrete reports whether run r names a day and a time of day ("How about
// Tuesday? Say 2pm?" counts), and returns the sentence to quote: the first
// naming both, else the first naming the day.
func (t *transcript) concrete(r int) (int, bool) {
	s0, s1 := t.runSentences(r)
	day, timed := -1, false
	// The regexp only runs on runs that name a day (rare), never on every line.
	for s := s0; s < s1 && day < 0; s++ {
		if t.dayIn(s) {
			day = s
		}
	}
	if day < 0 {
		return -1, false
	}
	day = -1
	for s := s0; s < s1; s++ {
		d := t.dayIn(s)
		if !d && timed {
			continue
		}
		c := clockTime.MatchString(t.sentences[s].text)
		if d && c {
			return s, true
		}
		if d && day < 0 {
			day = s
		}
		timed = timed || c
	}
	return day, day >= 0 && timed
}

// accepts reports whether prospect run r agrees: it says yes, works, sounds
// good..., does not decline, and raises no objection.
func (t *transcript) accepts(r int) bool {
	if !t.runHas(r, cueAccept) || t.runHas(r, cueReject) {
		return false
	}
	if _, _, ok := t.runObjection(r); ok {
		return false
	}
	s0, _ := t.runSentences(r)
	words := t.sentenceWords(s0)
	if words.len() > 0 && words.at(0) == "no" && (words.len() == 1 || !confirmNo[words.at(1)]) {
		return false
	}
	return true
}

// confirms reports whether rep run r confirms a time the prospect named:
// it recaps or repeats the day, and does not decline.
func (t *transcript) confirms(r int) bool {
	if t.runHas(r, cueReject) {
		return false
	}
	if t.runHas(r, cueRecap) {
		return true
	}
	s0, s1 := t.runSentences(r)
	for s := s0; s < s1; s++ {
		if t.dayIn(s) {
			return true
		}
	}
	return false
}

func (t *transcript) findNextStep() NextStep {
	ns := NextStep{ProposalTurn: -1, AcceptedTurn: -1}
	repRuns := 0
	for r, rr := range t.runs {
		if rr.role != domain.RoleUser {
			continue
		}
		// An ask in the opener ("I'd love to grab a minute") is not a close.
		if repRuns++; repRuns > 1 && t.runHas(r, cueAsk) {
			ns.Asked = true
		}
		si, ok := t.concrete(r)
		if !ok {
			continue
		}
		ns.Asked = true
		ns.Proposals++
		if !ns.Booked {
			ns.ProposalTurn, ns.Proposal = t.sentences[si].turn, excerpt(t.sentences[si].text)
		}
		if ns.Booked || r+1 >= len(t.runs) {
			continue
		}
		if t.accepts(r + 1) {
			t.book(&ns, r+1)
		}
	}
	if ns.Booked || !ns.Asked {
		return ns
	}
	// (b) the prospect named the time, after the rep asked; the rep confirmed.
	asked := false
	for r, rr := range t.runs {
		if rr.role == domain.RoleUser {
			if !asked {
				_, proposed := t.concrete(r)
				asked = proposed || t.runHas(r, cueAsk)
			}
			continue
		}
		if !asked || r+1 >= len(t.runs) {
			continue
		}
		si, ok := t.concrete(r)
		if !ok {
			continue
		}
		if _, _, objected := t.runObjection(r); objected {
			continue
		}
		if t.confirms(r + 1) {
			ns.ProposalTurn, ns.Proposal = t.sentences[si].turn, excerpt(t.sentences[si].text)
			t.book(&ns, r+1)
			break
		}
	}
	return ns
}

// book records the acceptance in run r.
func (t *transcript) book(ns *NextStep, r int) {
	s0, _ := t.runSentences(r)
	ns.Booked = true
	ns.AcceptedTurn = t.sentences[s0].turn
	ns.Acceptance = excerpt(t.sentences[s0].text)
}
