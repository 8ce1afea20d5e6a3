package rubric

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNextStep(t *testing.T) {
	tests := []struct {
		name      string
		lines     []string // alternating rep, prospect
		booked    bool
		proposals int
		asked     bool
		proposal  string
	}{
		{name: "weekday at 2pm, accepted", lines: []string{"Hi, this is Sam.", "Hi.", "How does Tuesday at 2pm look?", "Tuesday at 2 works."},
			booked: true, proposals: 1, asked: true, proposal: "How does Tuesday at 2pm look?"},
		{name: "tomorrow at 10:30, accepted", lines: []string{"Hi.", "Hi.", "Could we talk tomorrow at 10:30?", "Sure, that's fine."},
			booked: true, proposals: 1, asked: true},
		{name: "p.m. with dots and a date", lines: []string{"Hi.", "Hi.", "Are you free on March 14th at 3 p.m. for a demo?", "Yes, let's do it."},
			booked: true, proposals: 1, asked: true},
		{name: "the 14th at noon", lines: []string{"Hi.", "Hi.", "Does the 14th at noon work?", "Yep, perfect."},
			booked: true, proposals: 1, asked: true},
		{name: "at two thirty", lines: []string{"Hi.", "Hi.", "How about Friday at two thirty?", "Okay, send the invite."},
			booked: true, proposals: 1, asked: true},
		{name: "vague next week", lines: []string{"Hi.", "Hi.", "Can we set up a call next week?", "Sure."},
			asked: true},
		{name: "day without a time", lines: []string{"Hi.", "Hi.", "Can we meet with your team on Tuesday?", "Sure."},
			asked: true},
		{name: "time without a day", lines: []string{"Hi.", "Hi.", "Could we do a demo at 2pm?", "Sure."},
			asked: true},
		{name: "'at one point' is not a time", lines: []string{"Hi.", "Hi.", "At one point on Tuesday we had a demo scheduled, right?", "Yes."},
			asked: true},
		{name: "proposal declined", lines: []string{"Hi.", "Hi.", "How does Tuesday at 2pm look?", "No, Tuesday doesn't work for me."},
			proposals: 1, asked: true, proposal: "How does Tuesday at 2pm look?"},
		{name: "acceptance with a brush-off is not acceptance", lines: []string{"Hi.", "Hi.", "How does Tuesday at 2pm look?", "Sure, just send me an email first."},
			proposals: 1, asked: true},
		{name: "maybe is not yes", lines: []string{"Hi.", "Hi.", "How does Tuesday at 2pm look?", "Maybe, I'm not sure."},
			proposals: 1, asked: true},
		{name: "accepted only in a later turn still needs the following turn", lines: []string{"Hi.", "Hi.", "How does Tuesday at 2pm look?", "Let me think.", "Okay.", "Sure, fine."},
			proposals: 1, asked: true},
		{name: "counter-offer confirmed by the rep", lines: []string{"Hi.", "Hi.", "How does Tuesday at 2pm look?", "I can't do Tuesday. Wednesday at 3 is better.", "Perfect, Wednesday at 3 it is, I'll send the invite.", "Great."},
			booked: true, proposals: 1, asked: true, proposal: "Wednesday at 3 is better."},
		{name: "prospect names the time after a vague ask", lines: []string{"Hi.", "Hi.", "Would you be open to a 20-minute demo?", "Sure, Thursday at 10am works.", "Great, I'll send the calendar invite for Thursday.", "Thanks."},
			booked: true, asked: true, proposal: "Sure, Thursday at 10am works."},
		{name: "prospect names a time but the rep never confirms", lines: []string{"Hi.", "Hi.", "Would you be open to a demo?", "Maybe Thursday at 10am.", "Okay, thanks for your time."},
			asked: true},
		{name: "no ask at all", lines: []string{"Hi, we help finance teams.", "Okay.", "Thanks, bye.", "Bye."}},
		{name: "an ask in the opener is not a close", lines: []string{"I'd love to grab a meeting with you.", "Who is this?", "Sam. Bye.", "Bye."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := ComputeMetrics(untimed(tt.lines...)).NextStep
			assert.Equal(t, tt.booked, ns.Booked, "booked")
			assert.Equal(t, tt.proposals, ns.Proposals, "proposals")
			assert.Equal(t, tt.asked, ns.Asked, "asked")
			if tt.proposal != "" {
				assert.Equal(t, tt.proposal, ns.Proposal)
			}
			if ns.Booked {
				assert.GreaterOrEqual(t, ns.AcceptedTurn, 0)
				assert.GreaterOrEqual(t, ns.ProposalTurn, 0)
				assert.NotEmpty(t, ns.Acceptance)
			} else {
				assert.Equal(t, -1, ns.AcceptedTurn)
				assert.Empty(t, ns.Acceptance)
			}
		})
	}
}

func TestClockTime(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"at 2pm", true}, {"2 PM", true}, {"at 10:30", true}, {"3 p.m.", true}, {"noon", true}, {"3 o'clock", true},
		{"at 2.", true}, {"at two thirty?", true}, {"at 11 works", true},
		{"at one point", false}, {"at 2 locations", false}, {"in 2 weeks", false}, {"99 problems", false}, {"25:99", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.want, clockTime.MatchString(tt.text))
		})
	}
}
