// Package benchdata makes deterministic, realistic inputs for benchmarks and load tests.
package benchdata

import (
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// Transcript builds a realistic cold-call-style transcript of the given
// number of turns spread over durationMs, for benchmarks and load tests: the
// rep opens, asks questions, meets objections, and books a meeting in the
// last four turns. Timestamps grow with the words spoken. It is
// deterministic; turns <= 0 gives an empty transcript.
func Transcript(turns int, durationMs int64) []domain.TranscriptEntry {
	if turns <= 0 {
		return []domain.TranscriptEntry{}
	}
	out := make([]domain.TranscriptEntry, turns)
	for i := range out {
		role, content := domain.RoleUser, ""
		if i%2 == 1 {
			role, content = domain.RoleAssistant, benchProspectLines[(i/2)%len(benchProspectLines)]
		} else if i > 0 {
			content = benchRepLines[(i/2-1)%len(benchRepLines)]
		}
		switch {
		case i == 0:
			content = benchOpener
		case turns >= 6 && i >= turns-4:
			content = benchClose[i-(turns-4)]
		}
		out[i] = domain.TranscriptEntry{Role: role, Content: content}
	}
	words := make([]int, turns)
	total := 0
	for i, e := range out {
		words[i] = len(strings.Fields(e.Content)) // word count paces the timestamps
		total += words[i]
	}
	durationMs = max(durationMs, 0)
	at := 0
	for i := range out {
		out[i].TimestampMs = durationMs * int64(at) / int64(max(total, 1))
		at += words[i]
	}
	return out
}

const benchOpener = "Hi Dana, this is Sam from Ledgerly. How have you been? The reason I'm calling is that we help finance teams close their books faster."

// benchRepLines[k] answers benchProspectLines[k].
var benchRepLines = []string{
	"Nine days is long. What does a slow close cost you in practice?",
	"You mentioned leadership gets the numbers late. How many invoices come in from each depot every week?",
	"That's fair, you wouldn't switch: we sit on top of NetSuite. Which part of the matching takes the longest?",
	"I hear you, budgets are tight everywhere. What would have to be true for this to be worth a look this quarter?",
	"Got it. Teams like yours usually get close down to four days once invoices are matched automatically. Who else would be involved in a decision like this?",
	"Understood. What's the timeline you're working against for the new depots?",
	"That makes sense. How is your team handling month-end close right now?",
}

var benchProspectLines = []string{
	"Honestly it's messy. We reconcile invoices from each depot by hand in spreadsheets, and close takes about nine days.",
	"My two analysts lose the first week and a half of every month, and leadership gets the numbers late.",
	"We already use NetSuite for the ledger, and we're not switching systems.",
	"It sounds expensive, and our budget for this year is already set.",
	"Probably a few thousand a week across all of them, more at the end of the quarter.",
	"Our controller and the CFO would both have to sign off.",
	"We want the new depots running cleanly by the end of next quarter.",
}

var benchClose = [4]string{
	"Would it be worth a 20-minute look with your own data? How does Tuesday at 2pm look?",
	"Tuesday at 2 works. Send me the invite.",
	"Perfect, Tuesday at 2pm it is. I'll send the calendar invite now and bring an estimate of the hours you'd save.",
	"Thanks, talk Tuesday.",
}
