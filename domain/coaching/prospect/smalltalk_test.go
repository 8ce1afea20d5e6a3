package prospect

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

// repLines are lines as reps type them in a text call: lower case, often
// without a question mark, opening with "so", asking through "curious how"
// or "walk me through", and small talk that starts like a question.
var repLines = []struct {
	name                          string
	text                          string
	question, open, closed, small bool
}{
	{name: "how are you handling X", text: "how are you handling onboarding for new reps right now?", question: true, open: true},
	{name: "how are you handling X, no question mark", text: "how are you handling onboarding for new reps right now", question: true, open: true},
	{name: "how are you guys dealing with", text: "how are you guys dealing with turnover on the floor", question: true, open: true},
	{name: "how are you finding", text: "how are you finding the new crm so far?", question: true, open: true},
	{name: "so how do you", text: "so how do you get a new hire up to speed", question: true, open: true},
	{name: "what's your process for", text: "what's your process for onboarding new hires", question: true, open: true},
	{name: "curious how you", text: "curious how you ramp new reps", question: true, open: true},
	{name: "I'm curious how, as a statement", text: "I'm curious how you ramp new reps.", question: true, open: true},
	{name: "just curious, how", text: "just curious, how you ramp new reps.", question: true, open: true},
	{name: "curious about", text: "i'd love to hear about how onboarding works today.", question: true, open: true},
	{name: "how are you doing with X", text: "how are you doing with the new hires this quarter?", question: true, open: true},
	{name: "a thought is not a question", text: "i wonder if a shorter ramp would help.", question: false},
	{name: "walk me through", text: "walk me through what a new rep's first week looks like", question: true, open: true},
	{name: "tell me about", text: "tell me about your team.", question: true, open: true},
	{name: "what happens when, lower case", text: "and what happens when someone quits halfway through", question: true, open: true},
	{name: "closed, no question mark", text: "do you have a formal program for that", question: true, closed: true},
	{name: "how are you doing", text: "how are you doing?", question: true, small: true},
	{name: "how are you doing, typed", text: "how are you doing", question: true, small: true},
	{name: "greeting with the name", text: "hi dana, how are you doing today?", question: true, small: true},
	{name: "how have you been", text: "Hi Dana, this is Sam from Routewise. How have you been?", question: true, small: true},
	{name: "how's your week going", text: "how's your week going so far", question: true, small: true},
	{name: "how are you guys doing", text: "how are you guys doing over there?", question: true, small: true},
	{name: "how are things at the company", text: "how are things going at acme these days?", question: true, small: true},
	{name: "hope you're well", text: "hope you're having a good week.", small: true},
	{name: "day-to-day is not the day", text: "how's your day-to-day look for the team?", question: true, open: true},
	{name: "small talk, then a question", text: "thanks for the time, how are you? how do you onboard reps today?", question: true, open: true, small: true},
	{name: "small talk and a question in one sentence", text: "how are you doing, and what's your process for onboarding", question: true, open: true, small: true},
	{name: "small talk, then a closed question", text: "thanks for the time, how are you, does tuesday still work?", question: true, closed: true, small: true},
}

func TestAnalyse_QuestionsAsRepsTypeThem(t *testing.T) {
	t.Parallel()
	for _, tt := range repLines {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := analyse(tt.text)
			assert.Equal(t, tt.question, got.question, "question")
			assert.Equal(t, tt.open, got.open, "open")
			assert.Equal(t, tt.closed, got.closed, "closed")
			assert.Equal(t, tt.small, got.smallTalk, "small talk")
		})
	}
}

// TestRespond_AQuestionGetsAnAnswerAndSmallTalkGetsSmallTalk: in a discovery
// call, every preset answers a question about its work (first thing, or after
// the go-ahead) with something other than small talk, and answers "how are
// you doing?" with small talk.
func TestRespond_AQuestionGetsAnAnswerAndSmallTalkGetsSmallTalk(t *testing.T) {
	t.Parallel()
	for _, tt := range repLines {
		if tt.closed || !tt.small && !tt.open {
			continue // closed questions get their own answers
		}
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, pr := range personas.Presets() {
				for _, first := range []string{"", "thanks for making the time, mind if I start with a few questions?"} {
					p := New(pr.Profile, domain.ModeDiscovery, 7)
					if first != "" {
						p.Respond(first)
					}
					reply := p.Respond(tt.text).Text
					small := saysAny(reply, p.lines[actSmallTalk][pr.Profile.Personality], p.lines[actSmallTalk][""])
					assert.Equal(t, tt.small && !tt.open, small, "%s (after %q): %q -> %q", pr.Profile.Name, first, tt.text, reply)
				}
			}
		})
	}
}

func saysAny(reply string, pools ...[]string) bool {
	for _, pool := range pools {
		for _, l := range pool {
			if strings.Contains(reply, l) {
				return true
			}
		}
	}
	return false
}
