package prospect

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAnalyse(t *testing.T) {
	t.Parallel()
	type want struct{ question, open, closed, business, ack, intro, reason, proposal, hasSlot, pitch bool }
	tests := []struct {
		name string
		text string
		want want
	}{
		{name: "open situation question", text: "What does a typical week look like for your team?", want: want{question: true, open: true, business: true}},
		{name: "open after filler", text: "Okay, so how do you handle scheduling today?", want: want{question: true, open: true, business: true}},
		{name: "open clause after a mirror", text: "You mentioned overtime. What's going on there?", want: want{question: true, open: true, business: true}},
		{name: "open clause after a dash", text: "Overtime - how long has that been going on?", want: want{question: true, open: true, business: true}},
		{name: "imperative discovery", text: "Walk me through how your team handles a normal day.", want: want{question: true, open: true, business: true}},
		{name: "can you tell me is open", text: "Can you tell me more about your front desk?", want: want{question: true, open: true}},
		{name: "closed question", text: "Do you have problems with overtime?", want: want{question: true, closed: true, business: false}},
		{name: "closed despite a how inside", text: "Do you know how much that costs?", want: want{question: true, closed: true}},
		{name: "statement", text: "Thanks for telling me that.", want: want{}},
		{name: "pitch", text: "Our platform is the industry-leading solution and we offer a free trial.", want: want{pitch: true}},
		{name: "acknowledgement", text: "That's fair, I hear you.", want: want{ack: true}},
		{name: "words inside words do not count", text: "That was an unfair affair on your platform.", want: want{}},
		{name: "opener", text: "Hi Maya, this is Alex from Brightpath. I'm calling because I had a quick question.", want: want{intro: true, reason: true}},
		{name: "concrete proposal", text: "Would Tuesday at 2pm work?", want: want{question: true, closed: true, proposal: true, hasSlot: true}},
		{name: "concrete proposal as a how question", text: "How does Thursday 3 pm look?", want: want{question: true, open: true, proposal: true, hasSlot: true}},
		{name: "vague proposal", text: "Can we set up a call sometime next week?", want: want{question: true, closed: true, proposal: true}},
		{name: "let's talk next week", text: "Let's talk next week.", want: want{proposal: true}},
		{name: "a day without a time", text: "How about Tuesday?", want: want{question: true, closed: true, proposal: true}},
		{name: "time on the calendar", text: "Would it make sense to put thirty minutes on the calendar Thursday with your VP?", want: want{question: true, closed: true, proposal: true}},
		{name: "time on the calendar, no day", text: "Can I put some time in your calendar?", want: want{question: true, closed: true, proposal: true}},
		{name: "schedules are work, not a meeting", text: "How does your team build the weekly schedules?", want: want{question: true, open: true, business: true}},
		{name: "following up is work, not a meeting", text: "Why do agents take a day to follow up on leads?", want: want{question: true, open: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := analyse(tt.text)
			assert.Equal(t, tt.want.question, got.question, "question")
			assert.Equal(t, tt.want.open, got.open, "open")
			assert.Equal(t, tt.want.closed, got.closed, "closed")
			if tt.want.business {
				assert.True(t, got.business, "business")
			}
			assert.Equal(t, tt.want.ack, got.ack, "ack")
			assert.Equal(t, tt.want.intro, got.intro, "intro")
			assert.Equal(t, tt.want.reason, got.reason, "reason")
			assert.Equal(t, tt.want.proposal, got.proposal, "proposal")
			assert.Equal(t, tt.want.hasSlot, got.hasSlot, "slot")
			assert.Equal(t, tt.want.pitch, got.pitch > 0, "pitch")
		})
	}
}

func TestAnalyse_CountsWordsAndSilence(t *testing.T) {
	t.Parallel()
	assert.True(t, analyse("   ").silent)
	assert.Equal(t, 90, analyse(strings.Repeat("word ", 90)).words)
}

func TestJudgeObjection(t *testing.T) {
	t.Parallel()
	objection := "Our drivers won't use another app on the road"
	tests := []struct {
		name   string
		answer string
		want   verdict
	}{
		{name: "acknowledge, address, ask", answer: "That's fair. Drivers hate extra apps, so ours runs inside the app they already use on the road. What do your drivers use today?", want: verdictHandled},
		{name: "no question", answer: "That's fair. Drivers hate extra apps, so ours runs inside the app they already use on the road.", want: verdictPartial},
		{name: "no acknowledgement", answer: "Ours runs inside the app your drivers already use on the road, nothing new to install. What do they use today?", want: verdictPartial},
		{name: "acknowledge and ask, no substance", answer: "I hear you. What else?", want: verdictPartial},
		{name: "acknowledge only", answer: "I hear you.", want: verdictIgnored},
		{name: "talks past it", answer: "Our platform also has great dashboards for managers and a free trial.", want: verdictIgnored},
		{name: "ignores it with a question", answer: "Are you the decision maker for purchasing?", want: verdictIgnored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, judgeObjection(analyse(tt.answer), objection))
		})
	}
}

// TestAnalyse_SceneAndDecisionQuestions: asking for a description of how
// something plays out, and asking who decides or how buying works, as reps
// type them.
func TestAnalyse_SceneAndDecisionQuestions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text            string
		scene, decision bool
	}{
		{"so what does that look like day to day for the new person", true, false},
		{"walk me through a typical release", true, false},
		{"what happens when a deploy breaks", true, false},
		{"can you paint me a picture of that", true, false},
		{"how does that play out for the team?", true, false},
		{"tell me about who else would weigh in if you wanted to fix the onboarding side", false, true},
		{"who signs off on something like this", false, true},
		{"what does your buying process look like", true, true},
		{"so how do you guys usually buy tools like that", false, true},
		{"whos involved in a decision like that", false, true},
		{"are you the one who makes the final call", false, true},
		{"what's that costing you", false, false},
		{"what happens if nothing changes", false, false},
		{"how are deploys going", false, false},
		{"the day to day is what we help with.", false, false}, // not a question
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			got := analyse(tt.text)
			assert.Equal(t, tt.scene, got.scene, "scene")
			assert.Equal(t, tt.decision, got.decision, "decision")
		})
	}
}
