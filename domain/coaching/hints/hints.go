// Package hints gives live coaching tips during a practice call, computed from the rubric's metrics of the
// transcript so far: "you've spoken for 50 s", "they raised a concern: acknowledge it before answering",
// "they just named a pain: ask about its impact".
//
// The impact hint comes once a call, on the line where a pain first comes up: the rep's first question about a
// problem, or the first prospect line that states one in its own words ("the real issue is...", "it breaks every
// other deploy", "onboarding takes two months"; pain.go), a line the rubric hears as an objection excepted. It is
// not given once the rep has asked about impact or cost, in any words the rubric counts as the impact topic.
//
// Invariants: a hint is a pure function of the mode and the transcript (no clock, no state), so every replica and
// every replay of the stream gives the same hints at the same line. Each hint fires on the line that made its
// condition true (For compares the transcript before and after the new lines), so a condition that stays true is
// not repeated on every turn; at most MaxPerTurn hints are given at once, the most urgent first.
package hints

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/rubric"
)

// Kind names what a hint is about.
type Kind string

const (
	KindObjection  Kind = "objection"   // the prospect raised a concern just now
	KindArguing    Kind = "arguing"     // the rep met a concern with "but"/"actually"
	KindMonologue  Kind = "monologue"   // the rep's last turn ran long
	KindNoQuestion Kind = "no_question" // several turns and no question yet
	KindClosedOnly Kind = "closed_only" // only yes/no questions so far
	KindImpact     Kind = "impact"      // a pain came up but not what it costs
	KindTalkShare  Kind = "talk_share"  // the rep is doing most of the talking
	KindNextStep   Kind = "next_step"   // the call is long and no next step was asked for
)

// Hint is one tip, about the transcript line At (its index in the transcript).
type Hint struct {
	Kind Kind   `json:"kind"`
	Text string `json:"text"`
	At   int    `json:"at"`
}

// Thresholds, from the coaching research notes (top reps keep monologues under about a minute and listen more
// than they talk).
const (
	MaxPerTurn         = 2
	MonologueMs        = 50_000
	MonologueWords     = 125 // when the transcript has no usable timing: 50 s at 150 words a minute
	TalkShareLimit     = 0.65
	talkShareMinTurns  = 8
	noQuestionRepTurns = 3
	closedOnlyCount    = 4
	nextStepTurns      = 14
)

// For returns the hints that the lines turns[seen:] give rise to, for a call in mode. seen is how many lines the
// transcript had when hints were last computed (0 for a new call).
func For(mode domain.Mode, turns []domain.TranscriptEntry, seen int) []Hint {
	if seen < 0 {
		seen = 0
	}
	if seen >= len(turns) {
		return nil
	}
	before := rubric.ComputeMetrics(turns[:seen])
	after := rubric.ComputeMetrics(turns)
	last := len(turns) - 1
	lastRep := lastIndex(turns, domain.RoleUser)

	var out []Hint
	add := func(k Kind, at int, format string, args ...any) {
		out = append(out, Hint{Kind: k, Text: fmt.Sprintf(format, args...), At: at})
	}

	// A concern raised in the new lines and not yet answered.
	if n := len(after.Objections); n > len(before.Objections) {
		o := after.Objections[n-1]
		pressed := false
		for _, earlier := range after.Objections[:n-1] {
			pressed = pressed || earlier.Kind == o.Kind
		}
		switch {
		case o.Responded:
		case pressed:
			add(KindObjection, o.Turn, "They're pressing the same concern (%s). Answer it directly before you move on.", objectionLabel(o.Kind))
		default:
			add(KindObjection, o.Turn, "They raised a concern (%s). Acknowledge it in their words before you answer, then ask a question.", objectionLabel(o.Kind))
		}
	}
	// A concern answered in the new lines by arguing.
	for _, o := range after.Objections {
		if o.Argued && o.ResponseTurn >= seen {
			add(KindArguing, o.ResponseTurn, `Opening with "but" or "actually" sounds like arguing. Agree with something first: "That's fair..."`)
			break
		}
	}
	if lastRep >= seen {
		if ms := after.LongestRepMonologueMs; after.Timed && ms >= MonologueMs && ms > before.LongestRepMonologueMs {
			add(KindMonologue, lastRep, "You spoke for about %d s in one go. Pause and ask them a question.", ms/1000)
		} else if w := after.LongestRepMonologueWords; !after.Timed && w >= MonologueWords && w > before.LongestRepMonologueWords {
			add(KindMonologue, lastRep, "That was a long stretch (%d words). Pause and ask them a question.", w)
		}
	}
	if mode != domain.ModeObjectionGauntlet {
		if after.RepTurns >= noQuestionRepTurns && after.Questions == 0 && before.RepTurns < noQuestionRepTurns {
			add(KindNoQuestion, last, "You haven't asked a question yet. Ask about their situation: how do they handle it today?")
		}
		if after.Questions >= closedOnlyCount && after.OpenQuestions == 0 && before.Questions < closedOnlyCount {
			add(KindClosedOnly, last, `Your questions can all be answered yes or no. Try an open one: "What happens when...?", "How do you...?"`)
		}
		// A pain came up (the rep asked about one, or the prospect stated
		// one) and the rep has not asked what it costs: said once, on the
		// line where the first pain came up.
		if !has(after.DiscoveryTopics, "impact") && !has(before.DiscoveryTopics, "pain") {
			objectionAt := map[int]bool{}
			for _, o := range after.Objections {
				objectionAt[o.Turn] = true
			}
			if painStated(turns[:seen], 0, objectionAt) < 0 {
				if at := painStated(turns, seen, objectionAt); at >= 0 {
					add(KindImpact, at, "They just named a pain. Ask about its impact before you move on: what does it cost them in time or money?")
				} else if has(after.DiscoveryTopics, "pain") {
					add(KindImpact, last, "You found a pain. You haven't asked about its impact yet: what does it cost them in time or money?")
				}
			}
		}
	}
	if after.Turns >= talkShareMinTurns && after.RepTalkShare > TalkShareLimit &&
		(before.Turns < talkShareMinTurns || before.RepTalkShare <= TalkShareLimit) {
		add(KindTalkShare, last, "You're doing %d%% of the talking. Ask, then listen.", int(after.RepTalkShare*100+0.5))
	}
	if mode != domain.ModeObjectionGauntlet && after.Turns >= nextStepTurns && before.Turns < nextStepTurns && !after.NextStep.Asked {
		add(KindNextStep, last, "Time to ask for a next step: propose a day and a time.")
	}
	if len(out) > MaxPerTurn {
		out = out[:MaxPerTurn]
	}
	return out
}

// objectionLabels say what each kind of concern is about, in a rep's words.
var objectionLabels = map[rubric.ObjectionKind]string{
	rubric.ObjectionNotInterested: "not interested",
	rubric.ObjectionPrice:         "price or budget",
	rubric.ObjectionIncumbent:     "they already have something",
	rubric.ObjectionNoTime:        "timing",
	rubric.ObjectionSendInfo:      "send me something",
	rubric.ObjectionNotPriority:   "not a priority now",
	rubric.ObjectionAuthority:     "someone else has to sign off",
	rubric.ObjectionNoNeed:        "no need",
	rubric.ObjectionTrust:         "trust",
}

func objectionLabel(k rubric.ObjectionKind) string {
	if l, ok := objectionLabels[k]; ok {
		return l
	}
	if k == "" {
		return "a concern"
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

func lastIndex(turns []domain.TranscriptEntry, role domain.Role) int {
	for i := len(turns) - 1; i >= 0; i-- {
		if turns[i].Role == role {
			return i
		}
	}
	return -1
}

func has(list []string, s string) bool { return slices.Contains(list, s) }

// ForLines returns the hints of each line of turns[from:] in turn, each line judged as it arrived (For with the
// transcript up to it): the hints a live stream shows line by line, so a reply that records several lines gives
// exactly the stream's hints for them.
func ForLines(mode domain.Mode, turns []domain.TranscriptEntry, from int) []Hint {
	var out []Hint
	for k := max(from, 0); k < len(turns); k++ {
		out = append(out, For(mode, turns[:k+1], k)...)
	}
	return out
}
