package prospect

import (
	"math/rand/v2"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// RepNatural and RepNaturalBad talk like people typing into a practice call:
// varied wording, typos, lowercase, missing question marks, questions that do
// not use the words the analyser looks for, and answers to objections in their
// own words. Each seed gives a different person (name, company, habits).
const (
	// RepNatural is a competent rep in plain words: a polite opener, open
	// questions about the prospect's situation, follow-ups on what it hears,
	// concerns answered with substance and a question, and a concrete day
	// and time once there is a reason to meet.
	RepNatural ScriptedRep = "natural"
	// RepNaturalBad is an incompetent rep in plain words: it pitches, talks
	// past concerns and pushes for a meeting it has not earned.
	RepNaturalBad ScriptedRep = "natural-bad"
)

// style is how one simulated person types.
type style struct {
	typoRate  float64 // chance a line carries a typo
	lowercase bool    // types everything in lowercase
	dropQMark float64 // chance a question loses its question mark
}

func newStyle(rng *rand.Rand) style {
	return style{typoRate: 0.15 + 0.3*rng.Float64(), lowercase: rng.IntN(3) == 0, dropQMark: 0.25 * rng.Float64()}
}

// typed applies the person's habits to a line.
func (s style) typed(rng *rand.Rand, line string) string {
	if rng.Float64() < s.typoRate {
		line = typo(rng, line)
	}
	if strings.HasSuffix(line, "?") && rng.Float64() < s.dropQMark {
		line = strings.TrimSuffix(line, "?")
	}
	if s.lowercase {
		line = strings.ToLower(line)
	}
	return line
}

// typo swaps two inner letters of one longer word, leaving days and times
// alone (a rep who mistypes the meeting time has not proposed one).
func typo(rng *rand.Rand, line string) string {
	words := strings.Fields(line)
	var candidates []int
	for i, w := range words {
		lw := strings.ToLower(w)
		if len(w) >= 6 && !dayPattern.MatchString(lw) && strings.IndexFunc(w, func(r rune) bool { return r < 'A' || r > 'z' }) < 0 {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		return line
	}
	i := candidates[rng.IntN(len(candidates))]
	b := []byte(words[i])
	k := 1 + rng.IntN(len(b)-3)
	b[k], b[k+1] = b[k+1], b[k]
	words[i] = string(b)
	return strings.Join(words, " ")
}

func pick(rng *rand.Rand, options []string) string { return options[rng.IntN(len(options))] }

// pickFresh picks an option not in used (any when all are) and marks it.
func pickFresh(rng *rand.Rand, options []string, used map[string]bool) string {
	var fresh []string
	for _, o := range options {
		if !used[o] {
			fresh = append(fresh, o)
		}
	}
	if len(fresh) == 0 {
		fresh = options
	}
	o := fresh[rng.IntN(len(fresh))]
	used[o] = true
	return o
}

var (
	repFirstNames = []string{"Sam", "Alex", "Jordan", "Priya", "Chris", "Dana", "Mateo", "Lena", "Omar", "Kate"}
	repCompanies  = []string{"Brightpath", "Northwind", "Kestrel", "Fieldnote", "Tandem", "Lumen", "Clearline"}
	slotsSpoken   = []string{"Thursday at 2pm", "Tuesday at 10am", "wednesday at 3 pm", "Friday at 11am", "monday at 4pm", "tomorrow at 9:30am", "Thursday at 10:30am", "Tuesday at 1pm"}
)

// naturalRep is RepNatural. It reads what a person on the call would know:
// the transcript, the prospect's card, the pains it voiced and the concern
// left open.
type naturalRep struct {
	rng       *rand.Rand
	style     style
	me, co    string
	turns     int
	used      map[string]bool
	seenPains int // revealed pains already followed up
	closes    int
	sinceTry  int
	lastMark  int // pains + handled objections at the last close attempt
}

func newNaturalRep(seed uint64) *naturalRep {
	rng := rand.New(rand.NewPCG(seed, seed^0x3c6ef372fe94f82b))
	return &naturalRep{rng: rng, style: newStyle(rng), me: pick(rng, repFirstNames), co: pick(rng, repCompanies), used: map[string]bool{}, lastMark: -1}
}

func (n *naturalRep) Next(history []domain.TranscriptEntry, st State) string {
	return n.style.typed(n.rng, n.next(history, st))
}

func (n *naturalRep) next(history []domain.TranscriptEntry, st State) string {
	n.turns++
	n.sinceTry++
	last := strings.ToLower(lastProspectLine(history))
	first := firstWord(st.Prospect.Name)
	if n.turns == 1 {
		return n.opener(st, first)
	}
	if st.PendingObjection != "" {
		return n.answerConcern()
	}
	switch {
	case containsAny(last, []string{"who is this", "who's this", "who are you", "who am i talking", "didn't catch who", "who gave you", "how did you get"}):
		return pickFresh(n.rng, []string{
			"sorry! " + n.me + " from " + n.co + ". I'm calling because we work with a lot of " + strings.ToLower(st.Prospect.Industry) + " teams and I wanted to hear how things are going on your side, if you've got a sec?",
			"my bad, it's " + n.me + " at " + n.co + ". The reason for my call: I'd love two minutes to learn how you run things over there, is that ok?",
		}, n.used)
	case containsAny(last, []string{"what's this about", "what is this regarding", "what's the reason", "what do you want", "what do you need", "what is it you do", "what exactly do you do", "what's up", "what can i do for you", "what did you want", "get to it", "talk."}):
		return pickFresh(n.rng, []string{
			"fair question. We work with " + strings.ToLower(st.Prospect.Industry) + " teams on the day to day grind, and before I say anything else I'd like to understand yours. what's taking up most of your week lately?",
			"honestly I'm mostly curious how you run things. what's the part of the job that's eating your time right now?",
			"short version: I talk to a lot of folks in your seat and I'd rather learn than pitch. how are things going at " + st.Prospect.Company + " these days?",
		}, n.used)
	case containsAny(last, []string{"what time", "what day", "when, exactly", "when were you thinking", "specific slot", "day and time", "day and a time"}):
		return n.propose(st)
	}

	// Listen: follow up on a pain just voiced, then on a hint.
	if len(st.RevealedPains) > n.seenPains {
		n.seenPains = len(st.RevealedPains)
		return pickFresh(n.rng, []string{
			"oof. what's that costing you, roughly?",
			"how long has that been going on?",
			"and how many people does that end up hitting?",
			"what happens if nothing changes there this year?",
			"what have you tried so far to fix it?",
			"how much time goes into that every week, would you guess?",
			"wow. what does that do to the rest of the team?",
		}, n.used)
	}
	if strings.Contains(last, ", for one") || containsAny(last, []string{"couple of things", "thing or two", "one or two things", "not everything", "some parts", "always something", "not all smooth", "i'd change", "plenty's wrong", "got problems", "slipping"}) {
		return pickFresh(n.rng, []string{"oh? how so?", "wait, tell me more about that", "hm, what's going on there?", "what do you mean?", "how bad is it, honestly?", "what's that been like?", "say more?"}, n.used)
	}

	progress := len(st.RevealedPains) + len(st.HandledObjections)
	if n.ready(st) && (progress > n.lastMark || n.sinceTry >= 3) {
		n.lastMark = progress
		return n.close(st)
	}
	return n.question(st)
}

func (n *naturalRep) ready(st State) bool {
	pains := len(st.RevealedPains)
	switch st.Mode {
	case domain.ModeDiscovery:
		return pains >= 3 || (pains >= 2 && n.turns >= 10) || n.turns >= 16
	case domain.ModeObjectionGauntlet:
		return len(st.HandledObjections) > 0 && (pains >= 1 || n.turns >= 7)
	}
	return pains >= 2 || (pains >= 1 && n.turns >= 8) || n.turns >= 12
}

func (n *naturalRep) opener(st State, first string) string {
	switch st.Mode {
	case domain.ModeDiscovery:
		return pick(n.rng, []string{
			"thanks for making time " + first + "! I'd like to spend most of this on your side of things rather than slides, if that works?",
			"Hi " + first + ", appreciate you jumping on. Figured we'd start with how things run on your end and go from there, sound ok?",
			"hey " + first + ", thanks for the time today. Before I show anything, I'd love to understand what you're dealing with. how's the year going so far?",
		})
	case domain.ModeObjectionGauntlet:
		return pick(n.rng, []string{
			"appreciate the honesty " + first + ". I'm " + n.me + " from " + n.co + " and I'd honestly rather hear your concerns than run a pitch. what's on your mind?",
			"fair enough! " + n.me + " here from " + n.co + ". Happy to take the hard questions first, what's bugging you about all this?",
		})
	}
	return pick(n.rng, []string{
		"Hi " + first + ", this is " + n.me + " from " + n.co + ". How have you been? I'm calling because we work with a lot of " + strings.ToLower(st.Prospect.Industry) + " teams, mind if I ask you a quick question?",
		"hey " + first + ", " + n.me + " here from " + n.co + ", I know I'm calling out of the blue. The reason I'm calling is I'm trying to learn how teams like yours run things, got a minute?",
		"Hi " + first + ", my name is " + n.me + ", I'm with " + n.co + ". I'll be quick: I had a question about how things work on your end, if you have a minute?",
		"Hello " + first + "! " + n.me + " calling from " + n.co + ". how's your week going? I'm reaching out because I talk to a lot of folks in your role and I'd value your take on something.",
	})
}

// answerConcern answers the open objection in the rep's own words: an
// acknowledgement, something concrete, and a question back.
func (n *naturalRep) answerConcern() string {
	acks := []string{"yeah, totally fair.", "I get that.", "makes sense, honestly.", "fair enough.", "I hear ya.", "that's a real concern.", "yeah I'd be wary too, fair.", "gotcha, that's reasonable.", "understood."}
	subs := []string{
		"what most folks do is start with one small team for a couple weeks, so nothing big changes until you've seen it work.",
		"we'd go at your pace, nothing goes live until your people are happy with it.",
		"I can put you in touch with a customer about your size who had the exact same worry.",
		"your IT folks can review everything first, we send the docs upfront and wait for their ok.",
		"it sits alongside what you already use, so there's no rip and replace.",
		"there's no cost to try it, and you can walk away after the trial if it's not worth it.",
		"the setup is on us and takes about an hour of your team's time, not weeks.",
		"we'd show you the numbers from a team like yours before you spend a dime.",
	}
	asks := []string{"would something like that work on your end?", "what would you need to see to feel ok about it?", "who else would want a say in that?", "does that help, or is there more to it?", "what's the part that worries you most?", "how does that sound?"}
	return pick(n.rng, acks) + " " + pickFresh(n.rng, subs, n.used) + " " + pick(n.rng, asks)
}

func (n *naturalRep) question(st State) string {
	co := st.Prospect.Company
	bank := []string{
		"so what's on your plate these days?",
		"what eats up most of your week right now?",
		"how are things going over at " + co + " lately?",
		"what would you change first if you could?",
		"where do things tend to get stuck for your team?",
		"what lands on your desk that really shouldn't?",
		"what does a normal monday look like for you?",
		"if your boss could wave a wand, what would they fix first?",
		"how do you all keep track of everything right now?",
		"what made this year different from last year for you guys?",
		"what's the part of the job you'd happily hand off?",
		"how's the team holding up?",
		"what are people complaining about most over there?",
		"what's the thing you keep meaning to get to but never do?",
	}
	var fresh []string
	for _, q := range bank {
		if !n.used[q] {
			fresh = append(fresh, q)
		}
	}
	if len(fresh) == 0 {
		return n.close(st)
	}
	q := fresh[n.rng.IntN(len(fresh))]
	n.used[q] = true
	return q
}

func (n *naturalRep) close(st State) string {
	n.closes++
	n.sinceTry = 0
	link := ""
	if len(st.RevealedPains) > 0 && n.rng.IntN(2) == 0 {
		link = pick(n.rng, []string{"honestly that's pretty much what we help teams fix. ", "that's right in our wheelhouse, we help with exactly that. ", "ok, I think we could help there. "})
	}
	return link + n.propose(st)
}

func (n *naturalRep) propose(st State) string {
	slot := pickFresh(n.rng, slotsSpoken, n.used)
	return pick(n.rng, []string{
		"would it be crazy to grab 30 minutes " + slot + " and go through it properly?",
		"how about " + slot + "? I'd bring someone who's solved exactly this.",
		"could we pencil in " + slot + " to dig into it?",
		"does " + slot + " work for a proper look?",
		"want to set up a proper call? I'm free " + slot + ", would that work?",
	})
}

// naturalBadRep is RepNaturalBad: a pitch in everyday words, concerns talked
// past, and meetings asked for before anything was learned.
type naturalBadRep struct {
	rng   *rand.Rand
	style style
	me    string
	co    string
	turns int
}

func newNaturalBadRep(seed uint64) *naturalBadRep {
	rng := rand.New(rand.NewPCG(seed, seed^0x510e527fade682d1))
	return &naturalBadRep{rng: rng, style: newStyle(rng), me: pick(rng, repFirstNames), co: pick(rng, repCompanies)}
}

func (b *naturalBadRep) Next(history []domain.TranscriptEntry, st State) string {
	b.turns++
	var line string
	if b.turns == 1 {
		line = "hi there! " + b.me + " from " + b.co + " here, so we've got this really amazing new platform that basically automates everything for companies like " + st.Prospect.Company +
			", it's super easy, our customers love it, it saves you tons of time and money and right now we're doing a special discount for new clients so I really think you'd want to hear about it, it does reporting, scheduling, dashboards, you name it, all in one place"
		return b.style.typed(b.rng, line)
	}
	switch x := b.rng.IntN(100); {
	case x < 30:
		line = pick(b.rng, []string{
			"the thing is our product is honestly the best out there, nobody else comes close",
			"trust me, our platform would save you a ton, it's kind of a no-brainer",
			"we're the market leader, our customers see results in like a week",
			"it's all-in-one so your team gets everything in one login, super seamless",
		})
	case x < 55:
		line = pick(b.rng, []string{"so can we just set up a call sometime next week?", "let's get a demo on the calendar soon ok?", "could we hop on another call later this week", "I'll send over a calendar invite for sometime next week, sound good?"})
	case x < 75:
		line = pick(b.rng, []string{"how about a demo tuesday at 2pm?", "can I put you down for thursday at 10am?", "friday at 11am work for a quick demo?"})
	case x < 90:
		line = pick(b.rng, []string{"are you the one who signs off on purchases?", "is budget something you guys have this year?", "wouldn't you agree saving money matters?"})
	default:
		line = "look I hear a lot of people say that but honestly our product really is different, we've got features nobody else has, integrations, AI, dashboards, mobile, all of it, and our onboarding is super fast so you'd be up and running in no time and seeing results right away, plus the discount ends this month so it's really the perfect time to jump in"
	}
	return b.style.typed(b.rng, line)
}
