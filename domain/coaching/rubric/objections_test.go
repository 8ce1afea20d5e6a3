package rubric

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestObjectionDetection(t *testing.T) {
	tests := []struct {
		prospect string
		want     ObjectionKind // "" = no objection
	}{
		{"Honestly, I'm not interested.", ObjectionNotInterested},
		{"No thanks, take me off your list.", ObjectionNotInterested},
		{"That sounds too expensive for us.", ObjectionPrice},
		{"We don't have the budget this year.", ObjectionPrice},
		{"We already have a vendor for that.", ObjectionIncumbent},
		{"We're pretty happy with our current provider.", ObjectionIncumbent},
		{"I don't have time for this right now.", ObjectionNoTime},
		{"You've got thirty seconds.", ObjectionNoTime},
		{"Just send me an email.", ObjectionSendInfo},
		{"Can you send me some information?", ObjectionSendInfo},
		{"It's not a priority for us this quarter.", ObjectionNotPriority},
		{"Maybe next year.", ObjectionNotPriority},
		{"That's not my decision, talk to my boss.", ObjectionAuthority},
		{"Procurement handles vendors.", ObjectionAuthority},
		{"We don't need anything like that.", ObjectionNoNeed},
		{"Our process works fine.", ObjectionNoNeed},
		{"I've heard that before.", ObjectionTrust},
		{"We got burned by a tool like this.", ObjectionTrust},
		{"Honestly it's not expensive at all.", ""},       // negated
		{"Sure, send me the calendar invite.", ""},        // logistics, not a brush-off
		{"Send me an email with the invite, please.", ""}, // logistics
		{"We reconcile invoices by hand.", ""},
		{"Tuesday at 2 works.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.prospect, func(t *testing.T) {
			m := ComputeMetrics(untimed("Hi, this is Sam from Ledgerly.", tt.prospect))
			if tt.want == "" {
				assert.Empty(t, m.Objections)
				return
			}
			require.Len(t, m.Objections, 1)
			o := m.Objections[0]
			assert.Equal(t, tt.want, o.Kind)
			assert.Equal(t, 1, o.Turn)
			assert.Equal(t, tt.prospect, o.Quote)
			assert.False(t, o.Responded)
			assert.Equal(t, -1, o.ResponseTurn)
		})
	}
	t.Run("the rep's own words are never objections", func(t *testing.T) {
		m := ComputeMetrics(untimed("Most teams say it's too expensive until they see the numbers. Not interested in saving time?", "Go on."))
		assert.Empty(t, m.Objections)
	})
	t.Run("one objection per prospect run, the first one raised", func(t *testing.T) {
		m := ComputeMetrics(untimed("Hi.", "It's too expensive.", "I see.", "We already use NetSuite, and honestly it's too expensive."))
		require.Len(t, m.Objections, 2)
		assert.Equal(t, ObjectionPrice, m.Objections[0].Kind)
		assert.Equal(t, ObjectionIncumbent, m.Objections[1].Kind)
	})
}

func TestObjectionResponse(t *testing.T) {
	tests := []struct {
		name                   string
		response               string
		ack, question, argued  bool
		minQuality, maxQuality float64
	}{
		{name: "acknowledge and ask", response: "That's fair, budgets are tight everywhere. What would a faster close be worth to you?",
			ack: true, question: true, minQuality: 1, maxQuality: 1},
		{name: "naming the concern counts as acknowledging", response: "Budget is the first thing everyone asks about. Where does it come from at Northwind?",
			ack: true, question: true, minQuality: 1, maxQuality: 1},
		{name: "question without acknowledgement", response: "How much time do your analysts spend on it?",
			question: true, minQuality: 0.65, maxQuality: 0.65},
		{name: "acknowledge and pitch", response: "I hear you. We have flexible pricing and most customers see a return in months.",
			ack: true, minQuality: 0.6, maxQuality: 0.6},
		{name: "argue", response: "But it really isn't expensive if you think about it.",
			argued: true, minQuality: 0.15, maxQuality: 0.15},
		{name: "argue after a yeah", response: "Yeah, but honestly it pays for itself.",
			argued: true, minQuality: 0.15, maxQuality: 0.15},
		{name: "correcting the prospect", response: "It's actually cheaper than you think.",
			argued: true, minQuality: 0.15, maxQuality: 0.15},
		{name: "no problem is not arguing", response: "No problem. What would make it worth it?",
			ack: true, question: true, minQuality: 1, maxQuality: 1},
		{name: "a long pitch loses the brevity credit",
			response: "I understand. " + repeatWords("we reconcile invoices automatically and", 25) + ". What do you think?",
			ack:      true, question: true, minQuality: 0.85, maxQuality: 0.85},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(untimed("Hi, this is Sam.", "Honestly, it sounds too expensive.", tt.response, "Okay."))
			require.Len(t, m.Objections, 1)
			o := m.Objections[0]
			assert.True(t, o.Responded)
			assert.Equal(t, 2, o.ResponseTurn)
			assert.Equal(t, tt.ack, o.Acknowledged, "acknowledged")
			assert.Equal(t, tt.question, o.AnsweredWithQuestion, "question")
			assert.Equal(t, tt.argued, o.Argued, "argued")
			q := o.quality()
			assert.GreaterOrEqual(t, q, tt.minQuality-1e-9)
			assert.LessOrEqual(t, q, tt.maxQuality+1e-9)
			assert.NotEmpty(t, o.ResponseQuote)
		})
	}
	t.Run("counts in the metrics", func(t *testing.T) {
		m := ComputeMetrics(untimed("Hi.", "Too expensive.", "That's fair. What's it worth to you?", "Just send me an email.", "We offer a trial."))
		assert.Equal(t, 1, m.ObjectionsAcknowledged)
		assert.Equal(t, 1, m.ObjectionsAnsweredWithQuestion)
	})
	t.Run("an unanswered objection scores zero", func(t *testing.T) {
		assert.Zero(t, Objection{Acknowledged: true, AnsweredWithQuestion: true}.quality())
	})
}

func repeatWords(phrase string, n int) string {
	s := phrase
	for range n - 1 {
		s += " " + phrase
	}
	return s
}

func TestCurves(t *testing.T) {
	assert.InDelta(t, 1, descending(5, 10, 20), 1e-9)
	assert.InDelta(t, 0.5, descending(15, 10, 20), 1e-9)
	assert.InDelta(t, 0, descending(25, 10, 20), 1e-9)
	assert.InDelta(t, 0, ascending(5, 10, 20), 1e-9)
	assert.InDelta(t, 0.25, ascending(12.5, 10, 20), 1e-9)
	assert.InDelta(t, 1, ascending(25, 10, 20), 1e-9)
}
