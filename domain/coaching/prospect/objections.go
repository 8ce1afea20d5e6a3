package prospect

import (
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// verdict is how well a rep line answered the pending objection.
type verdict int

const (
	verdictIgnored verdict = iota // at most one of: acknowledged, addressed, asked
	verdictPartial                // two of the three
	verdictHandled                // acknowledged, addressed and asked a question
)

// minAnswerWords is the least an answer needs to have substance.
const minAnswerWords = 10

// MaxPresses is how often the prospect presses an unanswered objection
// (rephrased, then escalated) before it gives up on it.
const MaxPresses = 2

// substanceMarkers are words a real answer to a concern tends to use even
// when it does not repeat the concern's words: an offer, a fact, a way
// forward ("we'd start with one site for two weeks", "your IT folks can
// review it first").
var substanceMarkers = []string{
	"pilot", "trial", "test", "small", "start with", "one site", "one team", "one region", "reference", "customer",
	"client", "example", "case", "number", "data", "week", "day", "month", "hour", "minute", "free", "no cost",
	"cost", "price", "budget", "pay", "approv", "review", "security", "it team", "your it", "integrat", "works with",
	"plug", "connect", "train", "onboard", "setup", "set up", "no commitment", "commit", "cancel", "risk", "proof",
	"prove", "show you", "walk you", "walk through", "your team", "your people", "your folks", "sign", "contract",
	"roi", "return", "save", "payback", "later", "after", "next year", "january", "wait", "timing", "phone", "text",
	"paper", "email", "install", "nothing to", "no new", "don't have to", "doesn't have to", "won't have to",
	"instead", "alongside", "on top of", "existing", "already use", "worked", "working", "helped", "results",
	"same size", "like yours", "similar", "compliance", "soc", "audit", "docs", "documentation", "api",
}

// judgeObjection grades an answer: it must acknowledge the objection,
// address it (engage with substance, in more than a few words: its topic, or
// a concrete offer or fact in the rep's own words) and ask a question (Gong:
// top reps answer objections with a question).
func judgeObjection(tn turn, objection string) verdict {
	n := 0
	if tn.ack {
		n++
	}
	// Substance is said, not asked: "Roughly how much time does that cost
	// you?" engages with nothing the prospect worried about.
	if tn.words >= minAnswerWords && tn.pitch < 2 &&
		(overlap(topicSet(tn.text), topicSet(objection)) > 0 || (wordCount(tn.said) >= 5 && containsAny(tn.said, substanceMarkers))) {
		n++
	}
	if tn.question {
		n++
	}
	switch {
	case n == 3:
		return verdictHandled
	case n == 2:
		return verdictPartial
	}
	return verdictIgnored
}

func (p *Prospect) handleObjection(r *replyBuilder) {
	p.st.HandledObjections = append(p.st.HandledObjections, p.st.PendingObjection)
	p.st.PendingObjection = ""
	p.addInterest(p.t.handledGain)
	p.gain(p.t.handledRelief)
	r.say(p.line(actObjectionHandled, nil))
	if p.mode == domain.ModeObjectionGauntlet && len(p.st.HandledObjections) >= p.st.ObjectionsRequired {
		r.say(p.line(actGauntletDone, nil))
	}
}

// press answers a line that left the pending objection unanswered: the
// first time the objection is rephrased, the second time it escalates, and
// after that the prospect gives up on it, losing interest, or ends the call
// when patience is short.
func (p *Prospect) press(tn turn, r *replyBuilder, v verdict) {
	obj := p.st.PendingObjection
	n := p.presses[obj]
	if n >= MaxPresses {
		p.st.PendingObjection = ""
		p.st.UnansweredObjections = append(p.st.UnansweredObjections, obj)
		p.addInterest(-8)
		if p.st.Patience < 30 || (p.profile.Personality == domain.PersonalityHostile && p.profile.Difficulty != domain.DifficultyEasy) {
			p.st.Ended, p.st.EndReason = true, EndHungUp
			r.say(p.line(actGiveUp, nil))
			return
		}
		r.say(p.line(actMoveOn, nil))
		if tn.proposal {
			p.considerProposal(tn, r) // moved on: now the meeting request registers
		}
		return
	}
	p.presses[obj] = n + 1
	if v == verdictPartial {
		r.say(p.line(actObjectionPartial, nil))
	} else {
		r.say(p.line(actObjectionIgnored, nil))
	}
	r.say(p.pressLine(obj, n+1))
}

// pressLine restates an objection in other words: level 1 rephrases it,
// level 2 escalates. The lines are built from what the objection is about
// (its angle), so they are grammatical whatever the persona's text, and a
// line already said in this call is not said again.
func (p *Prospect) pressLine(obj string, level int) string {
	a := angleOf(obj)
	opts := pressLines[a][level-1]
	var fresh []string
	for _, o := range opts {
		if p.said[o] == 0 {
			fresh = append(fresh, o)
		}
	}
	if len(fresh) == 0 {
		fresh = pressLines[angleGeneric][level-1]
		var f2 []string
		for _, o := range fresh {
			if p.said[o] == 0 {
				f2 = append(f2, o)
			}
		}
		if len(f2) > 0 {
			fresh = f2
		}
	}
	s := fresh[p.rng.IntN(len(fresh))]
	p.said[s]++
	return s
}

// angle is what an objection is about, for rephrasing it.
type angle int

const (
	angleGeneric angle = iota
	angleSecurity
	angleIntegration
	angleAdoption
	angleBuild
	angleIncumbent
	angleBudget
	angleTiming
	angleNoTime
	angleAuthority
	angleProof
	angleTrust
	angleSendInfo
	angleStatusQuo
	numAngles
)

// angleCues are checked in order; the first angle with a cue in the
// objection wins.
var angleCues = []struct {
	a    angle
	cues []string
}{
	{angleSendInfo, []string{"send me", "email", "in writing"}},
	{angleBuild, []string{"build", "ourselves", "in-house", "in house"}},
	{angleSecurity, []string{"security", "soc 2", "hipaa", "nerc", "compliance", "risk", "patient data", "client data", "employee data", "confidential", "cloud connectivity", "control network"}},
	{angleProof, []string{"roi", "numbers", "reference", "results from", "case stud", "proven", "show me", "our size", "like ours", "docs"}},
	{angleIntegration, []string{"integrat", "silo", "stack", "api"}},
	{angleTrust, []string{"tried", "burned", "disaster", "never paid off", "failed", "every vendor", "heard", "different", "promise", "never delivered", "none of them"}},
	{angleAdoption, []string{"won't use", "won't tolerate", "aren't going to", "can't force", "hated", "adopt", "another screen", "another app", "another tool", "too many tools", "type things", "learn new", "nobody wants", "angrier"}},
	{angleNoTime, []string{"no time", "don't have time", "train staff", "no bandwidth", "fully booked", "slammed"}},
	{angleAuthority, []string{"approv", "committee", "board", "owners", "corporate", "on board", "partners", "rfp", "it has to", "it picks", "procurement", "right person", "talk to them", "vote", "sign off", "head office", "decision"}},
	{angleBudget, []string{"budget", "spend", "margin", "cost", "price", "pricing", "afford", "capital", "money", "fiscal", "expense", "cheap"}},
	{angleIncumbent, []string{"already", "locked into", "contract", "just bought", "another vendor", "agency", "helpdesk", "management system", "picked a platform", "switching"}},
	{angleTiming, []string{"until", "freeze", "season", "roadmap", "migration", "quarter", "next year", "this year", "months", "disruption", "stop the line", "not looking", "good time", "next month", "not now", "mid-"}},
	{angleStatusQuo, []string{"works", "paper", "happy", "fine", "decades", "years", "change", "don't need", "dashboards don't"}},
}

func angleOf(objection string) angle {
	l := strings.ToLower(objection)
	for _, ac := range angleCues {
		for _, c := range ac.cues {
			if strings.Contains(l, c) {
				return ac.a
			}
		}
	}
	return angleGeneric
}

// pressLines holds, per angle, the rephrasings (level 1) and escalations
// (level 2). Every line is a complete first-person sentence a rubric
// listening for objections recognises as one.
var pressLines = [numAngles][2][]string{
	angleGeneric: {
		{"Let me say it another way: I'm not convinced. What's your answer to my concern?", "I'll put it differently. I'm still not convinced this works for us. Why would it?"},
		{"I'm asking one last time, because I'm still not convinced. Answer it or we're done.", "You keep going past it, and I'm not convinced. Last chance: what's your answer?"},
	},
	angleSecurity: {
		{"Let me put it another way. Nothing gets past our security review without sign off, so how would you get through it?", "I'll ask differently: who on your side handles our compliance review, and how long would it take?"},
		{"I'm asking for the last time: how do you get through our security review? If you can't say, this goes nowhere.", "Without sign off from security, there's no deal. That's the end of it unless you have an answer."},
	},
	angleIntegration: {
		{"Put simply, it has to work with the systems we already have. How would it fit in?", "Let me rephrase: we already have systems that don't talk to each other. Why would yours be different?"},
		{"I'll ask one last time: does it work with what we already have, yes or no?", "If it can't fit with the systems we already have, we're done talking. So can it?"},
	},
	angleAdoption: {
		{"Let me put it another way: my people won't use it. How would you get them to actually use it?", "What I'm saying is my team won't use another tool. Why would this one be different?"},
		{"Last time: they won't use it. If you can't tell me how you'd change that, there's no point.", "I keep saying it and you keep skipping it: they won't use it. What's your plan?"},
	},
	angleBuild: {
		{"Again, we could build it ourselves. Why would I pay you for it?", "My engineers could build our own version. What makes yours worth buying?"},
		{"Last time: why shouldn't we just build it ourselves?", "Give me one reason not to build our own, or we're done."},
	},
	angleIncumbent: {
		{"Like I said, we already have something for this. Why would we switch?", "Put another way: we're already using something. What would make me rip it out?"},
		{"Last time: we already have a system. Give me a reason to switch or let's stop.", "We already have what we need, and you haven't told me otherwise. Last chance."},
	},
	angleBudget: {
		{"Let me be clearer: there's no budget for this. How would I even pay for it?", "Money is tight, full stop. Where do you think the budget would come from?"},
		{"I'll say it once more: no budget. If that's a problem, let's not waste time.", "There is no budget, and you keep avoiding that. Can you work with that or not?"},
	},
	angleTiming: {
		{"Put simply, it's not the right time for anything new. Why would now be different?", "What I mean is it's not a priority right now. Why should it jump the queue?"},
		{"Again: not now. If you can't work around our timing, we're done.", "I've told you twice it's not the right time. What's your answer to that?"},
	},
	angleNoTime: {
		{"Let me put it plainly: I don't have time to train anyone. How much of my people's time would this take?", "What I'm saying is we have no time for a rollout. How would that even work?"},
		{"Last time: I have no time for this. Answer that or let me go.", "You keep skipping it. We don't have time for this. So what's the answer?"},
	},
	angleAuthority: {
		{"Put another way: it's not my decision alone. How would you get the people who approve this on board?", "Again, this needs approval above me. What would you bring them?"},
		{"For the last time, it's not my decision. Unless you can help me sell it upstairs, there's no point.", "It's not up to me, and you haven't told me how you'd get approval. Last chance."},
	},
	angleProof: {
		{"In other words, prove it. Where are the numbers from companies like ours?", "I'm not convinced without proof. Who like us has actually done this?"},
		{"Last time: prove it, with real numbers, or we stop here.", "No proof, no deal. I'm still not convinced. What have you actually got?"},
	},
	angleTrust: {
		{"Let me put it another way: we got burned before. Why should I believe this time is different?", "I've heard it before, and it never worked. What makes you different?"},
		{"I'll ask once more: why should I believe you after we got burned? Give me something real.", "You're not answering it. We got burned before, and I'm not convinced. Last chance."},
	},
	angleSendInfo: {
		{"Like I said, just send me an email and I'll look at it.", "Honestly, just send me something in writing. That's easier for me."},
		{"Look, send me an email or we're done here.", "I've said it twice: just send me an email."},
	},
	angleStatusQuo: {
		{"What I'm saying is what we do today works fine. Why would we change it?", "Put simply, we don't need to fix what isn't broken. What am I missing?"},
		{"Last time: it works fine as it is. Give me a reason or let's stop.", "I don't need it, and you haven't shown me why I would. Last chance."},
	},
}

// canRaise reports whether another objection may come up: one is left and
// the mode's quota is not used up.
func (p *Prospect) canRaise() bool {
	return len(p.queue) > 0 && len(p.st.RaisedObjections) < p.st.ObjectionsRequired
}

// raise voices the next objection and leaves it pending.
func (p *Prospect) raise(r *replyBuilder, a act) {
	obj := p.queue[0]
	p.queue = p.queue[1:]
	p.st.PendingObjection = obj
	p.st.RaisedObjections = append(p.st.RaisedObjections, obj)
	r.say(p.line(a, map[string]string{"objection": obj}))
	r.raised = true
}

// maybeRaise brings up objections on the mode's schedule: in a cold call
// after a pitch (the opener's brush-off is decided in judgeOpener), one mid-way through a discovery call once a
// pain is out, and one after another in the objection gauntlet. The last ones
// of cold and discovery calls come up when the rep asks for the meeting.
func (p *Prospect) maybeRaise(r *replyBuilder, provoked bool) {
	if p.st.PendingObjection != "" || r.raised || !p.canRaise() {
		return
	}
	a := actRaiseObjection
	if len(p.st.RaisedObjections) > 0 {
		a = actRaiseNext
	}
	switch p.mode {
	case domain.ModeObjectionGauntlet:
		p.raise(r, a)
	case domain.ModeDiscovery:
		if provoked || (p.revealedCount() > 0 && len(p.st.RaisedObjections) < p.st.ObjectionsRequired-1 && p.rng.Float64() < 0.35) {
			p.raise(r, a)
		}
	default:
		if provoked {
			p.raise(r, a)
		}
	}
}
