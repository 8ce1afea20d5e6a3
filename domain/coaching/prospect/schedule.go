package prospect

import (
	"regexp"
	"strings"
)

// Slot is a concrete meeting time a rep proposed: a day and a time of day.
type Slot struct {
	Day  string // "Tuesday", "tomorrow"
	Time string // "2pm", "10:30", "noon"
}

func (s Slot) String() string { return s.Day + " at " + s.Time }

var (
	dayPattern = regexp.MustCompile(`\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tues|thurs|mon|tue|wed|thu|fri)\b`)
	// clock times: "2pm", "2 pm", "10:30am", "10:30 a.m.", "14:00", "noon"; and "at 3" after a day.
	ampmPattern   = regexp.MustCompile(`\b(1[0-2]|0?[1-9])(?::([0-5][0-9]))?\s*(a\.?m\.?|p\.?m\.?)(?:[^a-z]|$)`)
	clockPattern  = regexp.MustCompile(`\b([01]?[0-9]|2[0-3]):([0-5][0-9])\b`)
	noonPattern   = regexp.MustCompile(`\b(noon|midday)\b`)
	atHourPattern = regexp.MustCompile(`\bat\s+(1[0-2]|[1-9])(?:\s*o'?clock)?\b`)
)

var dayNames = map[string]string{
	"mon": "Monday", "tue": "Tuesday", "tues": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "thurs": "Thursday", "fri": "Friday",
}

// findSlot returns the concrete day and time proposed in text, if both are there.
// The day is reported even when no time is (ok false), so a prospect can ask "what time?".
func findSlot(text string) (slot Slot, day string, ok bool) {
	lower := strings.ToLower(text)
	m := dayPattern.FindStringSubmatch(lower)
	if m == nil {
		return Slot{}, "", false
	}
	day = m[1]
	if full, ok := dayNames[day]; ok {
		day = full
	} else if day != "tomorrow" && day != "today" {
		day = upperFirst(day)
	}
	var t string
	switch {
	case ampmPattern.MatchString(lower):
		sm := ampmPattern.FindStringSubmatch(lower)
		t = sm[1]
		if sm[2] != "" {
			t += ":" + sm[2]
		}
		t += strings.ReplaceAll(sm[3], ".", "")
	case clockPattern.MatchString(lower):
		t = clockPattern.FindString(lower)
	case noonPattern.MatchString(lower):
		t = "noon"
	case atHourPattern.MatchString(lower):
		t = atHourPattern.FindStringSubmatch(lower)[1]
	default:
		return Slot{}, day, false
	}
	return Slot{Day: day, Time: t}, day, true
}

// closePhrases are ways of asking for a next step. They are specific on
// purpose: "schedules", "set up" and "follow up" also describe a prospect's
// work ("our weekly schedules", "agents take a day to follow up").
var closePhrases = []string{
	"set up a call", "set up a meeting", "set up a demo", "set up some time", "set up time", "set up another",
	"schedule a", "schedule some", "schedule time", "schedule another", "book a", "book some", "book time",
	"grab time", "grab a", "put something", "let's talk", "let's meet", "let's chat", "let's connect", "let's get",
	"can we meet", "can we talk", "can we get", "could we meet", "could we talk", "could we get", "are you free",
	"are you available", "does that work", "would that work", "work for you", "works for you", "find a time",
	"send an invite", "send you an invite", "calendar invite", "next step", "a follow-up", "follow-up call",
	"follow-up meeting", "touch base", "circle back", "hop on", "jump on", "meet next", "talk next", "another call",
	"a meeting", "a demo", "a quick call", "a call next", "next week", "later this week", "sometime", "some time next",
	"on the calendar", "on your calendar", "in your calendar", "put time", "put some time",
}

// dayAsks are ways of offering a day: "How about Tuesday?", "Are you free Friday?".
var dayAsks = []string{"how about", "what about", "free", "available", "work", "could we", "can we", "meet", "call", "chat", "calendar"}

// isCloseAttempt reports whether the rep is asking for a next step.
func isCloseAttempt(lower string) bool {
	for _, p := range closePhrases {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}
