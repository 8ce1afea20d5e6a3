package prospect

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokens splits text into lowercase words made of letters, digits, hyphens and
// apostrophes; a trailing possessive "'s" is dropped.
func tokens(s string) []string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '’')
	})
	out := fields[:0]
	for _, f := range fields {
		f = strings.ReplaceAll(f, "’", "'")
		f = strings.Trim(f, "-'")
		f = strings.TrimSuffix(f, "'s")
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// wordCount counts the spoken words of a line.
func wordCount(s string) int { return len(strings.Fields(s)) }

// stopwords are words that carry no topic: function words, fillers, numbers,
// and generic business words that appear in any conversation.
var stopwords = func() map[string]bool {
	list := `a about above after again against all almost also am an and another any anyone anything anyway are aren't around as at
		away back be because been before being below best better between big bit both but by can can't cannot could couldn't
		did didn't do does doesn't doing don't down during each either else enough even ever every everyone everything exactly
		far few first for from further get gets getting give go goes going gone good got great had hadn't has hasn't have
		haven't having he he'd he'll her here hers herself him himself his how however i i'd i'll i'm i've if in into is
		isn't it it'd it'll it's its itself just keep keeps kind know last least less let let's like likely little look
		looking lot lots made make makes many may maybe me mean might mind mine more most much must my myself need needs
		never new next no nor not nothing now of off often oh ok okay on once one only or other others our ours ourselves
		out over own per perhaps pretty probably put quite rather really right said same say says see seem seems several
		shall she she'd she'll should shouldn't since so some somebody someone something sometimes somewhat soon still
		such sure take takes taking tell than thank thanks that that's the their theirs them themselves then there there's
		these they they'd they'll they're they've thing things think this those though through thus to too toward
		under until up upon us use used using very via want wants was wasn't way we we'd we'll we're we've well were
		weren't what what's whatever when where where's whether which while who who's whole whom whose why will with
		within without won't would wouldn't yeah yes yet you you'd you'll you're you've your yours yourself yourselves
		zero one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty forty fifty
		sixty seventy eighty ninety hundred hundreds thousand thousands million percent half single
		actually basically honestly literally definitely certainly totally lately recently currently usually already
		able ago yep nope hey hello hi alright anyway mentioned mention said saying tell telling talk talking going
		come comes coming goes went gone getting try trying tried put puts happen happening happens
		start story long longer becomes become becoming day days week weeks month months year years today time times
		team teams company companies business businesses people person work working job jobs thing stuff guys folks
		whole part place point side fact case problem problems issue issues challenge challenges
		end ends ended call calls calling`
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}()

// isContent reports whether a token names a topic worth matching on.
func isContent(tok string) bool {
	if utf8.RuneCountInString(tok) < 3 || stopwords[tok] {
		return false
	}
	return strings.IndexFunc(tok, unicode.IsLetter) >= 0
}

// contentWords returns the topic words of s, in order.
func contentWords(s string) []string {
	var out []string
	for _, t := range tokens(s) {
		if isContent(t) {
			out = append(out, t)
		}
	}
	return out
}

// genericTopics are stopwords that still say what an objection is about when
// nothing more specific is there ("I don't have time", "not the right person").
var genericTopics = map[string]bool{
	"time": true, "team": true, "teams": true, "person": true, "people": true, "business": true, "company": true,
	"work": true, "job": true, "day": true, "week": true, "month": true, "year": true, "call": true, "calls": true,
}

// topicSet is conceptSet plus the generic topic words of s; it is what an
// objection is about and what an answer talks about.
func topicSet(s string) map[string]bool {
	set := conceptSet(s)
	for _, t := range tokens(s) {
		if genericTopics[t] {
			set[concept(strings.TrimSuffix(t, "s"))] = true
		}
	}
	return set
}

// synonyms maps words to a shared topic, so a rep asking about "budget" is
// talking about the same thing as a pain about "costs".
var synonyms = func() map[string]string {
	groups := map[string]string{
		"cost":        "cost costs costly expensive expense expenses spend spending money dollars price prices pricing budget budgets margin margins savings fees fee commission commissions",
		"staffing":    "staff staffing staffed short-staffed hiring hire hires labor headcount turnover retention attrition understaffed recruiting",
		"manual":      "manual manually spreadsheet spreadsheets paper paperwork whiteboard whiteboards excel",
		"integration": "integrate integrates integration integrations stack api apis silo silos",
		"compliance":  "compliance compliant regulatory regulator regulators examiners audit audits auditors auditor hipaa regulation regulations",
		"security":    "security secure soc breach breaches",
		"downtime":    "downtime outage outages breakdown breakdowns",
		"burnout":     "burnout overtime exhausted overworked",
		"delay":       "late delays delayed delay behind slow slower",
	}
	m := map[string]string{}
	for topic, words := range groups {
		for _, w := range strings.Fields(words) {
			m[w] = topic
		}
	}
	return m
}()

// concept maps a content word to the key it is matched on: its synonym topic,
// or a light stem (plural dropped, cut to six letters).
func concept(w string) string {
	if t, ok := synonyms[w]; ok {
		return t
	}
	if n := len(w); n > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
		w = w[:n-1]
		if t, ok := synonyms[w]; ok {
			return t
		}
	}
	if r := []rune(w); len(r) > 6 {
		return string(r[:6])
	}
	return w
}

// newcomerPhrases are ways to ask how a newcomer becomes productive ("how
// do new engineers get up to speed", "how long until a new hire ships their
// first real PR", "what's it costing you when a new hire takes two months"):
// none of their words names a topic, so in a line that also names a newcomer
// they count as the word onboarding (whose concept is its stem). Only then:
// "keep everyone up to speed", "get back up to speed after a deploy" and
// "ramp up production" are not about onboarding, and the ramp words alone
// would tie a sales team's ramp pain with a customer-onboarding pain. Pains
// are read the same way: a time alone ("new reps take six months to ramp")
// does not make a line about onboarding.
var newcomerPhrases = []string{"up to speed", "ramp up", "ramp-up", "ramping up", "ramped up", "productive",
	"first pr", "first real pr", "first commit", "first ticket", "first deploy", "first release", "first change",
	"hire takes", "hires take", "starter takes", "starters take", "joiner takes", "joiners take"}

// newcomers are the words that make a newcomer phrase about onboarding.
var newcomers = map[string]bool{"new": true, "hire": true, "hires": true, "starter": true, "starters": true,
	"joiner": true, "joiners": true, "recruit": true, "recruits": true, "newcomer": true, "newcomers": true}

// conceptSet returns the concepts of the content words of s, plus
// onboarding's for a newcomer phrase (newcomerPhrases).
func conceptSet(s string) map[string]bool {
	set := map[string]bool{}
	toks := tokens(s)
	for _, t := range toks {
		if isContent(t) {
			set[concept(t)] = true
		}
	}
	if !slices.ContainsFunc(toks, func(t string) bool { return newcomers[t] }) {
		return set
	}
	words := " " + strings.Join(toks, " ") + " "
	for _, phrase := range newcomerPhrases {
		if strings.Contains(words, " "+phrase+" ") && !strings.Contains(words, " back "+phrase+" ") {
			set[concept("onboarding")] = true
		}
	}
	return set
}

// overlap counts the concepts two sets share.
func overlap(a, b map[string]bool) int {
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return n
}

// lowerFirst lowercases the first letter of s unless the first word is "I" or
// an acronym, so a sentence can be embedded after a lead-in.
func lowerFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if first == "I" || strings.HasPrefix(first, "I'") {
		return s
	}
	r := []rune(first)
	if len(r) > 1 && unicode.IsUpper(r[1]) {
		return s
	}
	rs := []rune(s)
	if len(rs) == 0 {
		return s
	}
	rs[0] = unicode.ToLower(rs[0])
	return string(rs)
}

// upperFirst capitalizes the first letter of s.
func upperFirst(s string) string {
	rs := []rune(s)
	if len(rs) == 0 {
		return s
	}
	rs[0] = unicode.ToUpper(rs[0])
	return string(rs)
}

// sentence trims s and ends it with a full stop unless it already ends with punctuation.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	switch s[len(s)-1] {
	case '.', '!', '?':
		return s
	}
	return s + "."
}

// fragment is how a prospect starts to mention a pain before trailing off: the
// pain's first words up to its second topic word (at most six words).
func fragment(pain string) string {
	words := strings.Fields(pain)
	var out []string
	content := 0
	for _, w := range words {
		out = append(out, strings.TrimRight(w, ",.;:!?"))
		for _, t := range tokens(w) {
			if isContent(t) {
				content++
			}
		}
		if content >= 2 || len(out) >= 6 {
			break
		}
	}
	// Do not trail off on a function word ("too many suppliers and").
	for len(out) > 1 && !hasContent(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return strings.Join(out, " ")
}

func hasContent(word string) bool {
	for _, t := range tokens(word) {
		if isContent(t) {
			return true
		}
	}
	return false
}

// subjectEnds are words that end a sentence's subject: auxiliaries, common
// verbs and adverbs that come before a verb. They let topicPhrase cut a
// pain's subject ("Stockouts on our best sellers") off the rest of the
// sentence ("cost us sales every weekend") without a parser.
var subjectEnds = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`is are was were has have had keep keeps go goes take takes cost costs spend spends sit sits
		eat eats lose loses come comes become becomes break breaks slow slows mean means live lives put puts juggle juggles
		tie ties jump jumps climb climbs rose fell drop drops slip slips run runs left build builds cover covers can can't
		cannot won't don't doesn't didn't will would still never always just get gets make makes need needs depend depends
		pile piles sat ate lost came broke went got made took gave give gives wait waits use uses hit hits miss misses
		fail fails eats end ends drive drives rely relies sit stay stays leave leaves go hate hates refuse refuses
		says said shows want wants wanted crept creep creeps hit`) {
		m[w] = true
	}
	return m
}()

// leadingPronouns start a pain told as a clause ("We keep losing nurses"):
// such a pain has no subject to name on its own.
var leadingPronouns = map[string]bool{"we": true, "i": true, "they": true, "it": true, "there": true, "you": true, "he": true, "she": true, "nobody": true, "everyone": true, "everybody": true, "this": true, "that": true}

var prepositions = map[string]bool{"on": true, "of": true, "for": true, "in": true, "at": true, "with": true, "from": true, "into": true}

// functionWords may not end a noun phrase ("Spend outside").
var functionWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("a an the of on in for to with at by from into over under and or but our my their your its this that these those each every some any outside about across behind than so new old many much more most few") {
		functionWords[w] = true
	}
}

// topicPhrase returns the subject of a pain sentence, the noun phrase a
// prospect can name on its own ("Stockouts on our best sellers", "My front
// desk"), or "" when the pain does not start with one it can find. It is what
// a prospect mentions when it hints at a pain, so the hint is grammatical
// whatever the persona's text.
func topicPhrase(pain string) string {
	words := strings.Fields(pain)
	if len(words) < 2 {
		return ""
	}
	if leadingPronouns[strings.ToLower(strings.Trim(words[0], ",.;:!?"))] {
		return ""
	}
	for i, w := range words {
		if i > 7 {
			return ""
		}
		lw := strings.ToLower(strings.Trim(w, ",.;:!?\"'"))
		if i > 0 && (subjectEnds[lw] || (strings.HasSuffix(lw, "ed") && len(lw) > 4)) {
			np := words[:i]
			for len(np) > 0 && functionWords[strings.ToLower(strings.Trim(np[len(np)-1], ",.;:"))] {
				np = np[:len(np)-1]
			}
			if len(np) > 3 {
				// "Unplanned downtime on our main press line": the head is enough.
				for k := 1; k < len(np); k++ {
					if prepositions[strings.ToLower(np[k])] {
						if len(conceptSet(strings.Join(np[:k], " "))) > 0 {
							np = np[:k]
						}
						break
					}
				}
			}
			phrase := strings.Trim(strings.Join(np, " "), ",;:")
			n := len(conceptSet(phrase))
			if n == 0 || 2*n >= len(conceptSet(pain)) {
				// "My team of six": nothing to point back at the pain; or
				// naming the subject would already tell most of the story.
				return ""
			}
			return phrase
		}
		if strings.ContainsAny(w, ",;:") {
			return ""
		}
	}
	return ""
}

// clauseWords mark a pain written as a clause ("Customers churn before we
// know"), as opposed to a bare noun phrase ("slow onboarding").
var clauseWords = map[string]bool{"we": true, "i": true, "they": true, "it": true, "he": true, "she": true, "nobody": true, "everyone": true, "there": true}

// painSentence makes a pain speakable as a whole sentence whatever the
// persona's text: a pain written as a clause is said as it is; one written as
// a bare noun phrase ("slow onboarding", "too many tools") is framed in the
// prospect's voice ("The big one for us is slow onboarding").
func painSentence(pain string) string {
	p := strings.TrimRight(strings.TrimSpace(pain), ".!;:, …")
	words := strings.Fields(p)
	if len(words) == 0 {
		return ""
	}
	for i, w := range words {
		lw := strings.ToLower(strings.Trim(w, ",.;:!?\"'"))
		if clauseWords[lw] || strings.Contains(lw, "n't") || strings.HasPrefix(lw, "i'") || strings.HasPrefix(lw, "we'") || strings.HasPrefix(lw, "they'") {
			return p
		}
		if i > 0 && (subjectEnds[lw] || (strings.HasSuffix(lw, "ed") && len(lw) > 4)) {
			return p
		}
	}
	return "the big one for us is " + lowerFirst(p)
}

// sceneOf is what a pain looks like day to day when the persona's knowledge
// has no scene for it (personas.Situation): the pain as a sentence, and who
// it lands on.
func sceneOf(pain string) string {
	return upperFirst(painSentence(pain)) + ". Somebody on the team drops what they're doing to deal with it, and it comes back most weeks."
}
