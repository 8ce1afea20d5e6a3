package prospect

import (
	"regexp"
	"strings"
)

// RambleWords is the longest turn a prospect sits through without losing
// patience; anything longer is a monologue (Gong: win rates fall as the rep's
// uninterrupted talk grows).
const RambleWords = 80

// longTurnWords is where busy and hostile prospects start to get restless.
const longTurnWords = 50

// turn is what a prospect hears in one rep line: the signals the rules use.
type turn struct {
	text     string
	lower    string
	words    int
	silent   bool
	question bool // asks something
	open     bool // asks an open question (what, how, why, tell me about...)
	closed   bool // asks only yes/no questions
	aboutYou bool // about the prospect ("you", "your")
	business bool // about the prospect's work: priorities, process, challenges, goals
	pitch    int  // how many pitch markers ("our platform", "we offer"...)
	ack      bool // acknowledges what the prospect said
	intro    bool // the rep says who they are
	reason   bool // the rep says why they call or asks permission
	proposal bool // asks for a next step
	hasSlot  bool
	slot     Slot
	day      string // a day named without a time
	concepts map[string]bool
	openText string // the open questions, joined
	said     string // the sentences that are not questions, joined (lower case)

	smallTalk  bool // "how are you?", "how's your week going?"
	offTopic   bool // weather, sports, the weekend
	clarify    bool // "what do you mean?", "sorry, come again?"
	identity   bool // "am I speaking with Maya?"
	followCue  bool // "tell me more", "how so?", "why's that?": asks for more of what was just said
	offer      bool // ties what the rep sells to a problem: "that's exactly what we fix"
	quantity   bool // asks for a number: "how many hours?", "roughly what does it cost?"
	scene      bool // asks for a description: "what does that look like day to day?", "walk me through a typical release"
	refersBack bool // points back at what was just said: "that", "it", "this"
	decision   bool // asks who decides or how buying works: "who else would weigh in?", "who signs off?"
	statusQuo  bool // asks what is being done about it today: "is anyone fixing that, or is it just accepted?"
}

var sentenceSplit = regexp.MustCompile(`[^.!?]+[.!?]*`)

var openStarts = []string{
	"what", "what's", "whats", "how", "how's", "hows", "why", "which", "where", "where's", "when", "who", "who's", "whos",
	"tell me", "walk me", "talk me", "help me understand", "describe", "explain", "share",
	"can you tell", "can you walk", "can you describe", "can you explain", "can you share", "can you talk",
	"could you tell", "could you walk", "could you describe", "could you explain", "could you share", "could you talk",
	"would you walk", "would you tell", "i'm curious", "i am curious", "curious",
}

var auxStarts = []string{
	"do", "does", "did", "is", "are", "was", "were", "can", "could", "would", "will", "have", "has", "had",
	"should", "shall", "may", "might", "isn't", "aren't", "don't", "doesn't", "didn't", "wouldn't", "won't", "can't",
	"haven't", "hasn't", "wasn't", "weren't", "shouldn't", "couldn't", "any", "anything", "right", "correct", "ok", "okay",
}

var leadFillers = []string{"so", "and", "but", "okay", "ok", "great", "well", "also", "now", "then", "and so", "just", "sure", "got it", "right",
	"oh", "oh wow", "wow", "hm", "hmm", "ah", "yeah", "cool", "nice", "gotcha", "really", "huh", "interesting", "and then",
	"roughly", "approximately", "honestly", "out of curiosity", "quick question", "just curious", "ballpark", "ouch", "oof", "ok so",
	"makes sense", "got it", "i see", "interesting"}

var businessWords = []string{
	"challeng", "problem", "issue", "struggl", "frustrat", "priorit", "goal", "process", "workflow", "handl", "manag",
	"day-to-day", "day to day", "typical", "week", "today", "currently", "change", "improv", "biggest", "hardest",
	"focus", "plan", "quarter", "this year", "team", "business", "situation", "look like", "going on", "pain",
	"difficult", "bottleneck", "wish", "fix", "keeping you up", "keeps you up", "measured", "target", "work",
	"operation", "growth", "grow", "worr", "concern", "tracking", "role", "job",
}

var pitchMarkers = []string{
	"our platform", "our solution", "our product", "our software", "our tool", "our system", "our app", "our service",
	"we offer", "we provide", "we help", "we've helped", "we have helped", "we specialize", "we're the", "we are the",
	"market leader", "industry-leading", "industry leading", "leading provider", "best-in-class", "best in class",
	"cutting-edge", "cutting edge", "revolutionary", "world-class", "state-of-the-art", "ai-powered", "all-in-one",
	"features", "integrates with everything", "special pricing", "discount", "free trial", "save you", "saves you",
	"increase your", "boost your", "our customers", "our clients", "game-changer", "game changer", "seamless",
}

var ackMarkers = []string{
	"understand", "makes sense", "fair", "hear you", "hear that", "good point", "great point", "valid", "reasonable",
	"i get it", "i get that", "get that", "totally get", "you're right", "that's right", "i can see why", "can see why",
	"appreciate you telling", "appreciate you sharing", "appreciate that", "that's a real", "legitimate", "no wonder",
	"that sounds", "sounds like", "sounds frustrating", "sounds painful", "i'd feel the same",
	"understood", "hear ya", "gotcha", "wary", "real concern", "totally", "no doubt", "fair question", "good question",
}

var introMarkers = []string{"this is", "my name is", "my name's", "calling from", " from ", "i'm with", "i am with", "here at", "i work at", "i work with"}

var reasonMarkers = []string{
	"calling because", "reason for my call", "reason i'm calling", "reason i called", "the reason", "reaching out because",
	"calling about", "reached out because", "mind if", "do you have a minute", "got a minute", "have a minute", "a quick question",
	"couple of questions", "thirty seconds", "30 seconds", "quick reason", "i'll be brief",
	"i'll be quick",
}

var smallTalkMarkers = []string{
	"how are you", "how're you", "how r u", "how are u", "how's it going", "hows it going", "how is it going",
	"how have you been", "how've you been", "how's your day", "hows your day", "how is your day", "how's your week",
	"hows your week", "how is your week", "how's your morning", "how's your afternoon", "how you doing", "how are things",
	"how's things", "hope you're well", "hope you are well", "hope your week", "hope you're having", "how was your weekend",
	"good morning", "good afternoon",
}

// smallTalkTail is what may follow a small-talk phrase and keep it small
// talk: "how are you doing today?", "how's your week going so far?",
// "hope you're having a good one". Any other word makes it a question about
// something ("how are you handling onboarding?", "how are you guys dealing
// with churn?").
var smallTalkTail = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`doing doin going goin been keeping holding hanging up in there feeling getting on along
		today tonight this morning afternoon evening week weekend day year month summer holidays holiday so far lately
		these days recently now right still otherwise guys all folks y'all yall you everyone everybody team and
		over your end the a an one good great well nice fine ok okay alright busy treating is was has have it things
		monday tuesday wednesday thursday friday by way btw my friend man sir ma'am again then too`) {
		m[w] = true
	}
	return m
}()

// greetingMarkers are the small-talk phrases that stay small talk whatever
// follows them ("good morning Dana").
var greetingMarkers = []string{"good morning", "good afternoon"}

// smallTalkFound says what withoutSmallTalk took out of a sentence.
type smallTalkFound struct {
	small     bool // a clause was small talk
	asks      bool // ... asked as a question ("how are you doing")
	howAreYou bool // ... "how are you?" or "how have you been?", which open a call well
	last      bool // the sentence's last clause was small talk
}

// withoutSmallTalk returns sentence s (lower case) with its small-talk
// clauses taken out, and what they were. A clause is small talk when it has
// a small-talk phrase followed only by words that keep it small talk
// (smallTalkTail), or by "at" and a place ("how are things going at Acme?").
func withoutSmallTalk(s string) (string, smallTalkFound) {
	var f smallTalkFound
	var keep []string
	for _, c := range clauseSplit.Split(s, -1) {
		m, ok := smallTalkClause(c)
		f.last = ok
		if ok {
			f.small = true
			if strings.HasPrefix(m, "how") {
				f.asks = true
			}
			if hasPrefixAny(m, []string{"how are you", "how're you", "how are u", "how r u", "how have you been", "how've you been"}) {
				f.howAreYou = true
			}
			continue
		}
		keep = append(keep, c)
	}
	if !f.small {
		return s, f
	}
	return strings.Join(keep, ", "), f
}

var clauseSplit = regexp.MustCompile(`\s*(?:[,;:]|\s[-—–]\s|—|–)\s*`)

// smallTalkClause reports whether clause c is small talk, and the phrase that makes it so.
func smallTalkClause(c string) (string, bool) {
	for _, m := range smallTalkMarkers {
		for from := 0; from < len(c); {
			i := strings.Index(c[from:], m)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(m)
			from = start + 1
			if (start > 0 && isWordByte(c[start-1])) || (end < len(c) && (isWordByte(c[end]) || c[end] == '-')) {
				continue // "how's your day-to-day" is not "how's your day"
			}
			if hasPrefixAny(m, greetingMarkers) || phaticTail(tokens(c[end:])) {
				return m, true
			}
		}
	}
	return "", false
}

// phaticTail reports whether the words after a small-talk phrase keep it small talk.
func phaticTail(ws []string) bool {
	for k, w := range ws {
		if w == "at" && len(ws)-k-1 <= 3 {
			return true // "how are you doing over at Acme?"
		}
		if !smallTalkTail[w] {
			return false
		}
	}
	return true
}

// isIndirectQuestion reports whether a sentence (s, and start with its
// fillers stripped) asks an open question as a statement: "I'm curious how
// you ramp new reps.", "I'd love to understand what happens when...".
func isIndirectQuestion(s, start string) bool {
	for _, w := range []string{"i'm curious", "i am curious", "curious", "i'd love to know", "i'd love to hear",
		"i'd love to understand", "i'd like to know", "i'd like to understand", "i want to understand",
		"i wonder", "i'm wondering", "i was wondering", "wondering"} {
		if hasPrefixAny(start, []string{w}) {
			rest := strings.TrimLeft(start[len(w):], " ,")
			if hasPrefixAny(rest, openStarts) || hasPrefixAny(rest, []string{"about"}) { // "curious about your process"
				return true
			}
		}
	}
	// "Just curious, how you..." lost its wrapper to stripFillers.
	if lead := strings.TrimSuffix(s, start); lead != s && containsAnyWord(lead, []string{"curious", "curiosity"}) {
		return hasPrefixAny(start, openStarts)
	}
	return false
}

var offTopicMarkers = []string{
	"weather", "the game", "football", "baseball", "basketball", "soccer", "vacation", "your weekend", "the weekend",
	"traffic", "movie", "tv show",
}

var clarifyMarkers = []string{
	"what do you mean", "what does that mean", "how do you mean", "what did you mean", "come again", "say that again",
	"could you repeat", "can you repeat", "can you clarify", "could you clarify", "not sure i follow", "didn't catch that",
	"didn't quite catch", "sorry, what", "meaning what", "what's that mean",
}

var identityMarkers = []string{"am i speaking with", "am i speaking to", "is this ", "am i talking to", "is that you", "did i reach", "have i reached"}

var followCues = []string{
	"tell me more", "say more", "how so", "why's that", "why is that", "how come", "go on", "like what", "such as",
	"in what way", "what happened", "what does that look like", "what's that like", "what is that like", "walk me through",
	"more about", "more on", "that sounds", "sounds rough", "sounds painful", "sounds like", "oh wow", "really?", "wait,",
	"what happens", "how long", "how often", "how many", "how much", "what's behind", "what causes", "what's causing",
	"why do you think", "what does that mean for", "what's that costing", "whats that costing", "what does that cost", "elaborate", "unpack",
	"that", "it ", " it?", " it.", "there?",
}

// sceneCues ask the prospect to describe how something plays out, not to
// measure it: what it looks like day to day, a typical case, what happens
// when it occurs.
var sceneCues = []string{
	"look like", "looks like", "day to day", "day-to-day", "typical", "normal day", "normal week", "walk me through",
	"talk me through", "walk through", "what happens when", "what happens whenever", "what's that like", "what is that like",
	"what's it like", "what is it like", "paint me a picture", "paint a picture", "give me an example", "for example",
	"an example", "in practice", "concretely", "play out", "plays out", "on the ground", "describe",
}

// statusQuoCues ask what is being done about a problem today: who works on
// it, what was tried, whether it is simply lived with. fixWords with a
// nowWords ask the same ("are you fixing that right now?"); alone they may
// ask what a fix would mean ("what if you could fix that?").
var (
	statusQuoCues = []string{
		"doing about", "done about", "tried", "workaround", "workarounds", "work around it", "working around it",
		"accepted", "just accept", "live with it", "living with it", "live with that", "living with that", "who owns",
		"anyone own", "anybody own", "anyone looking", "anybody looking", "anyone working on", "anybody working on",
		"looking into it", "looking into that", "on the roadmap", "on anyone's radar", "on anyones radar", "a fix for",
	}
	fixWords = []string{"fix", "fixing", "fixed", "solve", "solving", "solved", "address", "addressing", "tackle", "tackling"}
	nowWords = []string{"right now", "currently", "today", "already", "so far", "at the moment", "anyone", "anybody",
		"plan", "plans", "planning"} // not "someone": "the one problem you wish someone would just fix"
)

// decisionCues ask who has a say in a purchase and how buying works (the
// rubric's decision_process topic): other decision makers, stakeholders,
// sign-off, the buying process.
var decisionCues = []string{
	"who else", "weigh in", "weighs in", "weighing in", "sign off", "signs off", "signing off", "sign-off", "signoff",
	"who signs", "approve", "approves", "approval", "approvals", "buying process", "purchasing process", "procurement",
	"buying decision", "buying decisions", "purchase decision", "purchasing decision", "decision maker", "decision makers",
	"decision-maker", "decision-makers", "decision process", "decision-making", "decision making", "make the decision",
	"makes the decision", "makes decisions", "make decisions", "final say", "who decides", "who'd decide", "who would decide",
	"gets to decide", "stakeholder", "stakeholders", "budget holder", "holds the budget", "owns the budget", "have a say",
	"has a say", "get a say", "want a say", "who pays", "how do you buy", "how you buy", "how do purchases", "how would you buy",
	"who's involved", "whos involved", "who is involved", "who would be involved", "who'd be involved", "who else is involved",
	"who needs to be involved", "who gets involved", "who has to be involved", "involved in buying", "involved in the decision",
	"final call", "final decision", "who holds the purse", "purse strings",
}

// buyWords with a "how", "who" or "process" ask how buying works: "so how do
// you guys usually buy tools like that", "who would you buy it through".
var buyWords = []string{"buy", "buys", "buying", "bought", "purchase", "purchases", "purchasing"}

var offerMarkers = []string{
	"we help", "we fix", "we solve", "we handle", "helps with", "help with that", "help you with", "exactly what we",
	"that's what we", "thats what we", "that is what we", "we've helped", "we have helped", "we work on", "could help",
	"can help", "might help", "we could", "we can", "we do that", "what we do", "we take care", "we sort", "we deal with",
	"our customers", "our clients", "teams like yours", "folks like you", "people like you",
}

// pitchy reports whether the line is a pitch rather than a reason for the
// call: two pitch markers, or one with no question ("We help teams like
// yours. What's eating your time?" is a reason and a question).
func (t turn) pitchy() bool { return t.pitch >= 2 || (t.pitch == 1 && !t.question) }

// analyse turns a rep line into signals.
func analyse(text string) turn {
	t := turn{text: text, lower: strings.ToLower(strings.TrimSpace(text))}
	t.words = wordCount(text)
	if t.words == 0 {
		t.silent = true
		return t
	}
	t.concepts = conceptSet(text)
	toks := tokens(text)
	for _, w := range toks {
		if w == "you" || w == "your" || w == "you're" || w == "yours" || w == "you've" || w == "you'd" {
			t.aboutYou = true
		}
	}
	t.business = containsAny(t.lower, businessWords)
	t.ack = containsAnyWord(t.lower, ackMarkers)
	t.intro = containsAny(t.lower, introMarkers)
	t.reason = containsAnyWord(t.lower, reasonMarkers)
	for _, m := range pitchMarkers {
		if containsWord(t.lower, m) { // "your platform" is not "our platform"
			t.pitch++
		}
	}

	sawOpen, sawClosed, sawQuestion, sawSmallTalk, greeted := false, false, false, false, false
	var openParts, saidParts []string
	for _, s := range sentenceSplit.FindAllString(t.lower, -1) {
		s = strings.TrimSpace(s)
		// "How are you doing today?" is a greeting, whatever it starts
		// with; "how are you handling onboarding?" is a question. Small
		// talk is judged clause by clause and the rest of the sentence is
		// judged without it: "Thanks for the time, how are you? How do
		// you onboard reps?" greets and asks.
		rest, st := withoutSmallTalk(s)
		sawSmallTalk = sawSmallTalk || st.small
		greeted = greeted || st.howAreYou
		start := stripFillers(rest)
		// People type questions without a question mark: an unterminated
		// sentence that starts like a question is one.
		isQ := (strings.HasSuffix(s, "?") && !st.last) || // the question mark of "hi, how are you?" is the greeting's
			(!strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && (isOpenQuestion(start) || hasPrefixAny(start, auxStarts[:14])))
		imperative := hasPrefixAny(start, []string{"tell me", "walk me", "talk me", "help me understand", "describe", "explain"}) ||
			isIndirectQuestion(s, start)
		sawQuestion = sawQuestion || st.asks // asked, but neither open nor closed: it is not about their business
		if !isQ && !imperative {
			if strings.Trim(rest, " ,.?!") != "" {
				saidParts = append(saidParts, rest)
			}
			continue
		}
		sawQuestion = true
		if isOpenQuestion(start) || imperative {
			sawOpen = true
			openParts = append(openParts, rest)
		} else {
			sawClosed = true
		}
	}
	t.question = sawQuestion
	t.open = sawOpen
	t.closed = sawClosed && !sawOpen
	t.openText = strings.Join(openParts, " ")
	t.said = strings.Join(saidParts, " ")

	t.smallTalk = sawSmallTalk
	t.reason = t.reason || greeted // "how are you?" opens a call well (Gong); "how are you handling X?" is a question
	t.offTopic = containsAnyWord(t.lower, offTopicMarkers)
	t.clarify = containsAny(t.lower, clarifyMarkers) || t.lower == "sorry?" || t.lower == "pardon?" || t.lower == "huh?"
	t.identity = t.question && containsAny(t.lower, identityMarkers) && t.words <= 8
	t.followCue = containsAny(t.lower, followCues)
	t.offer = containsAny(t.lower, offerMarkers)
	t.quantity = t.question && containsAny(t.lower, []string{"how many", "how much", "how long", "how often", "roughly", "ballpark", "percent",
		"what's that costing", "what is that costing", "what does that cost", "what's it costing", "what is it costing",
		"whats that costing", "whats it costing", "put a number", "rough number", "estimate"}) // typed without the apostrophe too

	t.scene = t.question && containsAnyWord(t.lower, sceneCues)
	t.refersBack = containsAnyWord(t.lower, []string{"that", "it", "this", "those", "there"})
	t.statusQuo = t.question && (containsAnyWord(t.lower, statusQuoCues) ||
		containsAnyWord(t.lower, fixWords) && containsAnyWord(t.lower, nowWords))
	t.decision = t.question && (containsAnyWord(t.lower, decisionCues) ||
		containsAnyWord(t.lower, buyWords) && containsAnyWord(t.lower, []string{"how", "who", "who's", "whos", "process"}))

	t.slot, t.day, t.hasSlot = findSlot(text)
	t.proposal = t.hasSlot ||
		(t.day != "" && t.day != "today" && t.question && containsAny(t.lower, dayAsks)) ||
		(isCloseAttempt(t.lower) && (t.question || strings.Contains(t.lower, "let's")))
	return t
}

// isOpenQuestion reports whether a question sentence (fillers stripped) asks
// something that cannot be answered yes or no. A clause after a dash or a
// comma counts: "You mentioned X - what's going on there?" is open.
func isOpenQuestion(s string) bool {
	if hasPrefixAny(s, []string{"how about", "what about", "how does that sound", "how's that sound", "how would that", "how does that work for you"}) {
		return false // a suggestion, not a question about the prospect
	}
	if hasPrefixAny(s, openStarts) && !hasPrefixAny(s, auxStarts) {
		return true
	}
	if hasPrefixAny(s, []string{"can you tell", "can you walk", "can you describe", "can you explain", "can you share", "can you talk",
		"could you tell", "could you walk", "could you describe", "could you explain", "could you share", "could you talk",
		"would you walk", "would you tell"}) {
		return true
	}
	// "Can I ask how...", "Would you mind sharing what...": a polite wrapper
	// around an open question.
	for _, wrap := range []string{"can i ask", "could i ask", "may i ask", "mind if i ask", "can you share", "could you share",
		"would you mind sharing", "would you mind telling me", "can you tell me", "could you tell me", "would you say"} {
		if strings.HasPrefix(s, wrap+" ") {
			rest := strings.TrimPrefix(strings.TrimSpace(s[len(wrap):]), "you ")
			if hasPrefixAny(rest, openStarts) && !hasPrefixAny(rest, auxStarts) {
				return true
			}
		}
	}
	if hasPrefixAny(s, auxStarts) {
		return false
	}
	for _, sep := range []string{" - ", " — ", " – ", ", ", ": ", "; "} {
		if i := strings.LastIndex(s, sep); i >= 0 {
			rest := stripFillers(strings.TrimSpace(s[i+len(sep):]))
			if hasPrefixAny(rest, openStarts) && !hasPrefixAny(rest, auxStarts) {
				return true
			}
		}
	}
	return false
}

func stripFillers(s string) string {
	for changed := true; changed; {
		changed = false
		s = strings.TrimLeft(s, " ,.-—–")
		for _, f := range leadFillers {
			if strings.HasPrefix(s, f+" ") || strings.HasPrefix(s, f+",") {
				s = strings.TrimSpace(s[len(f):])
				changed = true
			}
		}
	}
	return strings.TrimLeft(s, " ,")
}

// hasPrefixAny reports whether s starts with one of the words or phrases, as whole words.
func hasPrefixAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			if len(s) == len(p) {
				return true
			}
			switch s[len(p)] {
			case ' ', ',', '?', '.', '!', '\'':
				return true
			}
		}
	}
	return false
}

// containsWord reports whether phrase occurs in s as whole words.
func containsWord(s, phrase string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], phrase)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(phrase)
		if (start == 0 || !isWordByte(s[start-1])) && (end == len(s) || !isWordByte(s[end])) {
			return true
		}
		from = start + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '\''
}

func containsAnyWord(s string, phrases []string) bool {
	for _, p := range phrases {
		if containsWord(s, p) {
			return true
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
