package rubric

// The lexicon is every phrase the rubric listens for, grouped by cue. All
// phrases are matched in one pass per sentence through a map keyed by a
// phrase's first word, so adding phrases costs almost nothing at run time.
// The map is built once at package initialisation and never mutated.

// cue is what a matched phrase signals.
type cue uint8

const (
	cueNone cue = iota

	// Objections raised by the prospect, one cue per ObjectionKind (same order as objectionKinds).
	cueObjNotInterested
	cueObjPrice
	cueObjIncumbent
	cueObjNoTime
	cueObjSendInfo
	cueObjNotPriority
	cueObjAuthority
	cueObjNoNeed
	cueObjTrust

	cueAck     // the rep acknowledges what was said
	cueFiller  // um, uh, like, you know... (context-checked in fillers.go)
	cueHedge   // "I guess", "sorry to bother you", "just wanted to"
	cueOpenQ   // marks an open question
	cueListen  // "it sounds like", "you mentioned", "tell me more"
	cueIntro   // the rep says who they are
	cueReason  // the rep says why they are calling
	cueRapport // "how are you", "thanks for taking the time"
	cueHowHaveYouBeen
	cueBadTime // "did I catch you at a bad time"
	cueAgenda  // the rep sets an agenda for the call
	cueAsk     // the rep asks for a meeting or next step
	cueRecap   // the rep confirms or recaps the next step
	cueAccept  // the prospect agrees
	cueReject  // the prospect declines
	cueDay     // a concrete day: weekday, tomorrow, today

	// Discovery topics a rep's questions cover (same order as discoveryTopics).
	cueTopicPain
	cueTopicImpact
	cueTopicCurrent
	cueTopicGoals
	cueTopicDecision
	cueTopicBudget
	cueTopicTimeline

	numCues
)

// hit is one lexicon match: phrase number ph of cue c starting at word pos.
type hit struct {
	pos int32
	ph  uint16 // index into lexiconPhrases
	n   uint8  // words in the phrase
	cue cue
}

func hasCue(hits []hit, c cue) bool {
	for _, h := range hits {
		if h.cue == c {
			return true
		}
	}
	return false
}

func countCue(hits []hit, c cue) int {
	n := 0
	for _, h := range hits {
		if h.cue == c {
			n++
		}
	}
	return n
}

type lexGroup struct {
	cue     cue
	phrases []string
}

// lexiconGroups lists the phrases per cue. Phrases are written as people say
// them; they are tokenised exactly like transcript lines.
var lexiconGroups = []lexGroup{
	{cueObjNotInterested, []string{
		"not interested", "no interest", "no thanks", "no thank you", "not for us", "i'll pass", "we'll pass",
		"pass on this", "not looking", "take me off your list", "remove me from", "stop calling", "don't call",
	}},
	{cueObjPrice, []string{
		"too expensive", "expensive", "pricey", "afford", "no budget", "don't have the budget", "don't have budget",
		"don't have a budget", "budget is", "budget's", "budgets are", "our budget", "the budget", "tight budget",
		"over budget", "out of budget", "too much money", "cost too much", "costs too much", "cheaper",
		"price is too high", "too high", "costs a fortune", "money is tight", "can't justify the cost",
		// Said by prospects in their own words (the built-in personas' objections among them).
		"margins are", "razor thin", "too thin", "cutting costs", "froze discretionary", "froze spending", "discretionary spending",
		"approve spending", "capital plans", "price is way", "pricing needs", "pricing would need", "need to come down",
		"needs to come down", "more than what we pay", "not in the plan", "isn't in the plan", "budget cycle", "no money",
	}},
	{cueObjIncumbent, []string{
		"already have", "already use", "already using", "already work with", "already working with", "already got",
		"happy with our", "happy with what we", "happy with the current", "pretty happy with", "really happy with",
		"under contract", "locked in", "locked into", "current vendor", "current provider", "have a vendor",
		"have a provider", "have our own", "do it in house", "handle it in house", "built our own", "built it in house", "we're covered", "got that covered",
		"have that covered", "have someone for that", "have a guy", "we're good with",
		"build this ourselves", "build it ourselves", "build that ourselves", "like this ourselves", "could build", "build our own",
		"just bought", "already picked", "not switching", "integrate with anything", "another silo", "does it integrate",
		"can't integrate", "doesn't integrate", "don't integrate", "fit with the systems", "rip it out", "rolled out a new",
	}},
	{cueObjNoTime, []string{
		"no time", "don't have time", "don't have the time", "not a good time", "bad time", "i'm busy",
		"i'm really busy", "too busy", "pretty busy", "super busy", "so busy", "busy right now", "in a meeting", "call me back", "call back later", "call me later", "running late",
		"make it quick", "30 seconds", "thirty seconds", "swamped", "slammed", "have to go", "got to go",
		"gotta go", "in the middle of something", "jump on another call", "about to walk into",
		"stop the line", "no bandwidth", "fully booked", "no time to", "time to train",
	}},
	{cueObjSendInfo, []string{
		"send me an email", "send me some info", "send me information", "send me some information",
		"send me something", "send something over", "send it over", "send me a brochure", "email me",
		"shoot me an email", "drop me an email", "put it in an email", "send me the details", "send me details",
		"send over some", "just send", "send me a deck", "send me your deck", "look at your website",
	}},
	{cueObjNotPriority, []string{
		"not a priority", "not a top priority", "not our priority", "not high on", "other priorities",
		"bigger priorities", "bigger fish", "not right now", "not now", "maybe next quarter", "maybe next year",
		"try again next", "call me next quarter", "reach out next", "check back", "maybe later", "down the road",
		"not the right time", "bad timing", "timing isn't", "timing is not", "not on our radar",
		"not on the roadmap", "on the back burner",
		"holiday season", "holiday freeze", "hiring freeze", "spending freeze", "nothing new goes live", "goes live until",
		"roadmap is committed", "committed for the next", "mid-migration", "nothing else moves", "end of the quarter",
		"call me next", "priority right now", "locked for the next", "jump the queue",
	}},
	{cueObjAuthority, []string{
		"not my decision", "isn't my decision", "not the decision maker", "signs off on", "sign off on", "not my call", "above my pay grade", "talk to my boss",
		"check with my boss", "run it by", "ask my boss", "need approval", "need to get approval", "not up to me",
		"have to check with", "need to check with", "talk to the team", "talk to my team", "procurement",
		"the board decides", "my manager decides", "need sign off",
		"security review", "compliance review", "risk and compliance", "hipaa review", "cip review", "nerc", "soc 2",
		"approve every", "approve anything", "approves every", "won't approve", "has to approve",
		"have to approve", "picks the software", "through a committee", "committee that meets", "committee that only", "on board first", "right person", "partners vote",
		"vote on every", "rfp", "approved vendors", "sign off from", "needs approval", "needs sign off",
		"talk to them", "head office", "above me", "don't allow", "leaves our servers", "confidentiality is everything",
		"not my decision alone", "without sign off",
	}},
	{cueObjNoNeed, []string{
		"don't need", "no need", "doesn't apply", "not relevant", "not a problem for us", "isn't a problem",
		"not really a problem", "works fine", "working fine", "works well for us", "we're fine with",
		"don't see the need", "don't see the value", "not sure we need", "no use for", "doing fine",
		"won't use", "won't tolerate", "won't adopt", "aren't going to", "can't force", "nobody wants another", "another screen",
		"and it works", "happy with how", "angrier", "dashboards don't", "on paper for", "isn't broken",
		"don't need it",
	}},
	{cueObjTrust, []string{
		"heard that before", "heard it before", "heard that pitch", "heard this before", "heard this pitch",
		"heard it all before", "every vendor says", "everybody says that", "too good to be true", "everyone says that", "all say that",
		"sounds like a pitch", "sales pitch", "how did you get my number", "who gave you my", "is this a sales call",
		"don't trust", "prove it", "skeptical", "not convinced", "burned before", "got burned",
		"tried something like", "tried that before", "tried that already", "didn't work for us",
		"didn't work last time", "why should i believe",
		"never paid off", "was a disaster", "hated it", "we tried a", "we tried an", "we tried one", "we tried that", "promise the world", "none of them deliver", "every vendor",
		"all promise", "references from", "case studies", "results from", "hasn't been proven", "not been proven",
		"show me hard", "roi numbers", "show me the", "technical documentation", "api docs", "before going any further",
		"get my number", "don't take sales calls", "don't take meetings", "out of the blue",
		"never delivered", "why are you different", "what makes yours different", "what makes you different",
	}},
	{cueAck, []string{
		"i hear you", "hear you", "i understand", "understand", "understood", "totally", "fair", "that's fair",
		"fair enough", "makes sense", "that makes sense", "appreciate", "i appreciate", "i get it", "get it",
		"i get that", "great question", "good question", "no problem", "of course", "absolutely", "you're right",
		"valid", "completely", "good point", "great point", "fair point", "glad you", "thanks for sharing",
		"thank you for sharing", "thanks for telling", "thanks for being", "thank you for being", "respect that",
		"reasonable", "sounds like", "you're not alone", "not the first", "a lot of our", "a lot of people",
		"a lot of teams", "a lot of folks", "many of our", "most of our", "others have told",
		"can see why", "can imagine", "i bet", "got it", "i see", "sorry to hear", "no worries", "agreed",
		"that's exactly why", "hear that a lot", "hear that often", "common concern", "love that",
		"hear ya", "real concern", "gotcha",
	}},
	{cueFiller, []string{
		"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "like", "you know", "basically", "actually",
		"literally", "sort of", "kind of", "i mean", "or whatever", "or something",
	}},
	{cueHedge, []string{
		"i guess", "i think maybe", "sorry to bother", "sorry to interrupt", "sorry to call", "just wanted to",
		"just calling to", "just checking", "i was wondering", "i was just", "not sure if", "i don't know if",
		"hopefully", "if it's not too much trouble", "i don't want to take up", "i won't take up",
		"if that's okay", "if that's alright", "i could be wrong", "this might be", "probably not",
	}},
	{cueOpenQ, []string{
		"what", "what's", "whats", "how", "how's", "hows", "why", "tell me", "walk me through", "talk me through",
		"describe", "explain", "help me understand", "share", "in what way", "who else", "where do you",
	}},
	{cueListen, []string{
		"it sounds like", "sounds like", "what i'm hearing", "i'm hearing", "if i heard", "if i understand",
		"if i'm understanding", "you mentioned", "you said", "you're saying", "correct me if",
		"make sure i understand", "tell me more", "say more", "what do you mean", "elaborate", "when you say",
		"so what you're", "let me make sure", "did i get that right", "is that right", "play that back",
		"if i'm hearing", "you just said", "going back to", "earlier you",
	}},
	{cueIntro, []string{
		"my name is", "my name's", "this is", "calling from", "here from", "i'm with", "i work at", "i'm at",
	}},
	{cueReason, []string{
		"reason i'm calling", "reason for my call", "reason for the call", "the reason", "i'm calling because",
		"calling because", "calling about", "i'm calling to", "calling to", "reaching out", "reached out",
		"i noticed", "i saw", "we help", "we work with", "i work with", "we've been helping", "we've helped",
		"help teams", "help companies", "we specialize", "we make", "we built", "we've built",
		"the purpose of", "i read", "we do", "we offer", "we provide", "we're a", "we are a", "we're the",
	}},
	{cueRapport, []string{
		"how are you", "how's your", "how is your", "how's it going", "hope you're", "hope you are", "hope your",
		"thanks for taking", "thank you for taking", "appreciate you taking", "thanks for making",
		"thank you for making", "good to", "nice to", "great to", "thanks for the time", "thank you for the time",
		"thanks for your time", "thank you for your time", "thanks for joining", "thank you for joining",
	}},
	{cueHowHaveYouBeen, []string{"how have you been", "how've you been"}},
	{cueBadTime, []string{
		"catch you at a bad time", "is this a bad time", "bad time", "is now a bad time", "caught you at a bad",
	}},
	{cueAgenda, []string{
		"agenda", "plan for", "goal for", "goals for", "what i'd like to", "by the end of", "make the most of",
		"i was thinking we", "i'd suggest we", "start by", "we'll start", "first i'd", "sound fair",
		"does that sound", "sound good", "anything you'd add", "anything to add", "anything you want to add",
		"anything you'd like to add", "minutes",
	}},
	{cueAsk, []string{
		"meeting", "meet with", "meet again", "demo", "grab", "book", "schedule", "calendar", "set up a",
		"set up time", "next step", "next steps", "follow up", "15 minutes", "fifteen minutes", "20 minutes",
		"twenty minutes", "30 minutes", "thirty minutes", "half an hour", "a quick call", "a call", "chat",
		"open to", "worth a", "worth exploring", "invite", "trial", "pilot", "proposal", "loop in", "bring in",
		"get together", "session",
	}},
	{cueRecap, []string{
		"to recap", "recap", "to summarize", "to sum up", "summarize", "just to confirm", "to confirm", "confirm",
		"i'll send", "i will send", "calendar invite", "send you an invite", "send over", "send the invite",
		"you'll get", "you'll see", "look out for", "see you then", "see you on", "talk then", "talk to you then",
		"talk on", "locked in",
	}},
	{cueAccept, []string{
		"works", "work for me", "that works", "sounds good", "sounds great", "sure", "ok", "okay", "fine", "yes",
		"yeah", "yep", "yup", "let's do it", "let's do", "perfect", "great", "send the invite", "send me the invite",
		"send an invite", "send it", "book it", "put it in", "i can do", "can do", "i'll be there", "see you then",
		"deal", "alright", "all right", "count me in", "i'm free", "free then", "i'm in", "looking forward",
		"absolutely", "definitely", "of course", "why not", "go ahead", "lock it in",
	}},
	{cueReject, []string{
		"doesn't work", "does not work", "won't work", "wouldn't work", "can't", "cannot", "can not",
		"not interested", "no thanks", "no thank you", "not available", "i'll pass", "let me think",
		"i'll think", "need to think", "not sure", "maybe", "don't think", "rather not", "not going to",
		"not gonna", "unfortunately", "i'm busy", "booked up", "won't be", "no way", "not happening", "hard pass",
		"not a chance",
		"not yet", "too early", "not ready", "not there yet", "haven't earned", "let's not", "not at that point",
		"why would i meet", "don't have an hour",
	}},
	{cueDay, []string{
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow", "today",
		"tonight", "this afternoon", "this evening", "tomorrow's", "monday's", "tuesday's", "wednesday's",
		"thursday's", "friday's",
	}},
	{cueTopicPain, []string{
		"challenge", "challenges", "challenging", "problem", "problems", "struggle", "struggling", "struggles",
		"frustrating", "frustrated", "frustration", "pain", "painful", "headache", "headaches", "bottleneck",
		"bottlenecks", "issue", "issues", "not working", "biggest", "difficult", "difficulty", "hardest",
		"slows you down", "keeps you up", "worry", "worries", "concern", "concerns", "go wrong", "goes wrong",
	}},
	{cueTopicImpact, []string{
		"impact", "cost you", "costing", "costs you", "affect", "affects", "affecting", "what happens if",
		"what happens when", "how much time", "how many hours", "how much money", "revenue", "lose", "losing",
		"lost", "mean for", "consequence", "consequences", "quantify", "measure", "kpi", "kpis", "metrics",
		"if nothing changes", "if you don't fix", "how often", "how many",
	}},
	{cueTopicCurrent, []string{
		"currently", "right now", "at the moment", "using", "what tools", "which tools", "tool", "tools",
		"your process", "the process", "handle", "handling", "in place", "vendor", "provider", "system",
		"systems", "workflow", "set up today", "do it today", "today's process", "how do you do", "how does your",
	}},
	{cueTopicGoals, []string{
		"goal", "goals", "success look like", "success looks like", "trying to achieve", "objective",
		"objectives", "priorities", "priority", "ideal", "hoping to", "want to get to", "improve", "outcome",
		"outcomes",
	}},
	{cueTopicDecision, []string{
		"decision", "decisions", "who else", "involved", "sign off", "signs off", "approve", "approval",
		"approves", "decide", "decides", "stakeholder", "stakeholders", "buying process", "evaluation",
		"champion", "final say", "who would",
	}},
	{cueTopicBudget, []string{
		"budget", "budgets", "spend", "spending", "invest", "investment", "set aside", "allocated", "funding",
		"price range", "pricing", "cost of", "roi",
	}},
	{cueTopicTimeline, []string{
		"timeline", "timelines", "by when", "deadline", "deadlines", "how soon", "timeframe", "time frame",
		"when would", "when do you", "when are you", "go live", "quarter", "urgent", "urgency",
		"by the end of", "when does", "when will",
	}},
}

type lexEntry struct {
	rest []string // the phrase's words after the first
	ph   uint16
	cue  cue
}

// lexWord is everything the rubric knows about one word: the phrases that
// start with it and its flags (stop word, month, ordinal).
type lexWord struct {
	entries []lexEntry
	flags   uint8
}

// lexiconPhrases holds every phrase's canonical text, indexed by hit.ph.
var lexiconPhrases, lexicon = buildLexicon()

func buildLexicon() ([]string, map[string]lexWord) {
	var phrases []string
	m := make(map[string]lexWord, 1024)
	for _, g := range lexiconGroups {
		for _, p := range g.phrases {
			words := wordsOf(p)
			if len(words) == 0 {
				continue
			}
			lw := m[words[0]]
			lw.entries = append(lw.entries, lexEntry{rest: words[1:], ph: uint16(len(phrases)), cue: g.cue})
			m[words[0]] = lw
			phrases = append(phrases, p)
		}
	}
	// Longest phrase first, so "it sounds like" wins over "sounds like"'s
	// shorter sibling at the same position.
	for k, lw := range m {
		es := lw.entries
		for i := 1; i < len(es); i++ {
			for j := i; j > 0 && len(es[j].rest) > len(es[j-1].rest); j-- {
				es[j], es[j-1] = es[j-1], es[j]
			}
		}
		m[k] = lw
	}
	for _, set := range []struct {
		words map[string]bool
		flag  uint8
	}{{stopWords, flagStop}, {months, flagMonth}, {ordinals, flagOrdinal}} {
		for w := range set.words {
			lw := m[w]
			lw.flags |= set.flag
			m[w] = lw
		}
	}
	return phrases, m
}

// matchLexicon appends the hits found in words (whose first word has global
// index base) to dst. Within one cue, a phrase inside an earlier match is
// not counted again ("it sounds like" is one listening cue, not two).
// It also sets each word's lexicon flags.
func matchLexicon(dst []hit, words wordSeq, base int) []hit {
	var covered [numCues]int // end (exclusive) of the last match per cue
	n := words.len()
	for i := range n {
		lw, ok := lexicon[words.at(i)]
		if !ok {
			continue
		}
		words.flags[i] |= lw.flags
	next:
		for _, e := range lw.entries {
			if i < covered[e.cue] || i+1+len(e.rest) > n {
				continue
			}
			for k, rw := range e.rest {
				if words.at(i+1+k) != rw {
					continue next
				}
			}
			n := 1 + len(e.rest)
			dst = append(dst, hit{pos: int32(base + i), ph: e.ph, n: uint8(n), cue: e.cue})
			covered[e.cue] = i + n
		}
	}
	return dst
}
