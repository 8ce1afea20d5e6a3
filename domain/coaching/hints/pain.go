package hints

import (
	"regexp"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// A prospect states a pain when its words say something hurts: pain language
// ("the real issue", "problem", "breaks", "costs us", "falls apart") or time
// or money being lost ("takes two months", "lose a day a week", "eats two
// full weeks", "costs us thousands"). Read from the prospect's own words, so
// it works for any prospect (the built-in one, an LLM, a voice agent, an
// imported call) and keeps hints a pure function of the transcript.

// painPhrases are matched as whole words in a lower-cased sentence; one that
// follows a negation ("not a problem", "no issues") does not count.
var painPhrases = []string{
	// Saying it is a problem.
	"the real issue", "the real problem", "the big one", "problem", "problems", "issue", "issues", "struggle",
	"struggles", "struggling", "frustrating", "frustrated", "headache", "headaches", "nightmare", "painful", "a pain",
	"bottleneck", "bottlenecks", "a mess", "chaos", "drowning", "killing us", "hurting us", "hurts us", "at risk",
	"complaining", "complaints", "push back", "pushing back", "can't keep up", "can't find", "can't see", "can't tell",
	"can't prove", "no idea", "no visibility", "nobody knows", "nobody tracks", "nobody owns", "too many", "juggle",
	"babysit", "haven't staffed", "stuck", "no visibility", "don't have good visibility", "guesswork", "junk", "scrutinized",
	"scattered", "no warning", "nobody sees", "hits us", "quota", "restless", "stalled", "commission", "commissions",
	// Things going wrong.
	"breaks", "broke", "broken", "keeps breaking", "falls apart", "fall apart", "falling apart", "fails", "failing",
	"falls over", "slip through", "slips through", "through the cracks", "go cold", "goes cold", "go quiet",
	"goes quiet", "they're gone", "never match", "never sticks", "nothing is documented", "incomplete", "flagged",
	"delays", "delayed", "late", "behind schedule", "running behind", "falling behind", "takes forever", "too slow",
	"slows to a crawl", "wiped out", "worsened", "getting worse", "jumped", "doubled", "climbing", "climbed",
	"fail", "get lost", "gets lost", "keeps growing", "crept up", "is down", "are down", "went up", "gone up", "dropped", "rising", "losses", "write-offs", "churn", "turnover", "left for", "quit", "quits",
	// Losing money, time or people.
	"costs us", "cost us", "costing us", "eating our", "eating into", "eats up", "we lose", "we lost", "we're losing",
	"keep losing", "eats", "eating", "tie up", "ties up", "tied up", "can't hire", "to keep up", "wasted", "wasting", "burning out", "burnout", "burned out", "short-staffed", "understaffed",
	"backlog",
	// Working by hand.
	"by hand", "manual", "manually", "paperwork", "on paper", "spreadsheet", "spreadsheets", "whiteboard", "whiteboards",
}

// painNegations cancel a pain phrase right before it ("no real problem", "isn't an issue").
var painNegations = map[string]bool{
	"no": true, "not": true, "never": true, "isn't": true, "aren't": true, "wasn't": true, "don't": true, "doesn't": true,
	"without": true, "hardly": true, "any": true,
}

// lossAmount is time or money being lost: a loss verb, then within a few
// words an amount with a unit of time or money ("takes two months", "lose a
// day a week", "cost us three hundred hours", "spends hours every day").
// "I've got twenty minutes" has no loss verb and is not a pain.
var lossAmount = regexp.MustCompile(`\b(?:takes?|took|taking|lose|loses|losing|lost|eats?|ate|eating|spends?|spent|spending|wastes?|wasted|costs?|costing|burns?|burned|sits?|sat|sitting|waits?|waited|waiting|dropped|fell)\b(?:\s+\S+){0,5}?\s+(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundreds?|thousands?|tens|several|a few|few|many|half|full|whole|\d[\d,.]*)\s+(?:\S+\s+)?)?(?:minutes?|hours?|days?|weeks?|months?|years?|shifts?|dollars?|percent|grand|k)\b`)

// statesPain reports whether a prospect line states a pain. Questions the
// prospect asks ("what problem are you solving?") state nothing.
func statesPain(text string) bool {
	for _, s := range sentences.FindAllString(strings.ToLower(text), -1) {
		if !strings.HasSuffix(s, "?") && sentenceStatesPain(s) {
			return true
		}
	}
	return false
}

var sentences = regexp.MustCompile(`[^.!?]+[.!?]*`)

func sentenceStatesPain(s string) bool {
	if lossAmount.MatchString(s) {
		return true
	}
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'' || r == '-' || r == '’')
	})
	for i := range words {
		words[i] = strings.ReplaceAll(words[i], "’", "'")
	}
	for _, p := range painPhrases {
		ph := strings.Fields(p)
	next:
		for i := 0; i+len(ph) <= len(words); i++ {
			for k, w := range ph {
				if words[i+k] != w {
					continue next
				}
			}
			if !negated(words, i) {
				return true
			}
		}
	}
	return false
}

// negated reports whether a negation comes in the two words before words[i]
// ("not a problem", "no real issue", "hasn't been a problem").
func negated(words []string, i int) bool {
	for k := max(0, i-2); k < i; k++ {
		if painNegations[words[k]] || strings.HasSuffix(words[k], "n't") {
			return true
		}
	}
	return false
}

// painStated returns the index of the first prospect line of turns[from:]
// that states a pain, skipping lines the rubric hears as objections (a
// concern is not a pain the rep found, and has its own hint), or -1.
func painStated(turns []domain.TranscriptEntry, from int, objectionAt map[int]bool) int {
	for i := max(from, 0); i < len(turns); i++ {
		if turns[i].Role == domain.RoleAssistant && !objectionAt[i] && statesPain(turns[i].Content) {
			return i
		}
	}
	return -1
}
