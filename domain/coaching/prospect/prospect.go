package prospect

import (
	"maps"
	"math/rand/v2"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

// Prospect is one simulated prospect on one call. It is not safe for
// concurrent use; a call has one conversation at a time anyway.
type Prospect struct {
	profile domain.PersonaProfile
	mode    domain.Mode
	t       temperament
	rng     *rand.Rand
	lines   map[act]map[domain.Personality][]string
	st      State

	pains []pain
	queue []string // objections not raised yet, in the order they will come up
	asked map[string]bool
	// pushedBack marks objections the prospect already pushed back on once.
	pushedBack map[string]bool
	// presses counts how often each objection was pressed without an answer.
	presses map[string]int
	// said counts every sentence the prospect has said in this call, so it
	// can pick phrasings it has not used yet.
	said map[string]int

	// decision is who has a say in buying and how it works, in the
	// persona's words (personas.Situation); toldDecision, whether it was said.
	decision     string
	toldDecision bool
	// card holds the concepts of the persona's name, role, company and
	// industry: words a rep uses to address the prospect, not to name a pain.
	card map[string]bool

	// What the previous reply was about, so a follow-up in the rep's own
	// words ("how so?", "what does that look like?") is heard as one.
	lastAct                act
	lastHint, lastReveal   int // pain index, -1 for none
	lastAbout              int // the pain the previous reply talked about (told, measured, described), -1 for none
	replyHint, replyReveal int // the same for the reply being built
	replyAbout             int
	replyAct               act
}

// pain is a hidden pain and what has happened to it during the call.
type pain struct {
	text      string
	concepts  map[string]bool
	topic     string // the pain's subject, named in a hint ("" when it has none)
	hinted    bool   // the prospect started to mention it
	revealed  bool   // the prospect told the story
	explored  bool   // the rep followed up on its impact
	measured  bool   // the prospect put a number on it
	linked    bool   // the rep tied their offer to it
	statusQuo bool   // the prospect said what is done about it today

	scene     string // what it looks like day to day, in the persona's words
	described bool   // the prospect told the scene
}

// Reply is what the prospect says back to one rep line.
type Reply struct {
	Text          string
	Ended         bool
	MeetingBooked bool
	EndReason     string
}

// New starts a call with a persona in a mode. The seed fixes every random
// choice (mood, order of objections, phrasing), so the same seed and the same
// rep lines give the same call. New does not validate the profile (Simulate
// does); blank pains and objections are ignored.
func New(p domain.PersonaProfile, mode domain.Mode, seed uint64) *Prospect {
	rng := rand.New(rand.NewPCG(seed, seed^0x2545f4914f6cdd1d))
	t := newTemperament(p, mode)
	// Mood: everyone has better and worse days.
	t.patience = clamp(int(float64(t.patience)*(0.9+0.2*rng.Float64())), 1, 100)

	pr := &Prospect{profile: p, mode: mode, t: t, rng: rng, lines: lineTable(), asked: map[string]bool{}, pushedBack: map[string]bool{},
		presses: map[string]int{}, said: map[string]int{}, lastAct: -1, lastHint: -1, lastReveal: -1, lastAbout: -1}
	pr.card = conceptSet(strings.Join([]string{p.Name, p.Role, p.Company, p.Industry}, " "))
	situation := personas.SituationOf(p)
	pr.decision = situation.Decision
	for _, raw := range p.HiddenPains {
		if text := strings.TrimSpace(raw); text != "" {
			scene := situation.Scenes[raw]
			if scene == "" {
				scene = sceneOf(text)
			}
			pr.pains = append(pr.pains, pain{text: text, concepts: conceptSet(text), topic: topicPhrase(text), scene: scene})
		}
	}
	var objections []string
	for _, o := range p.Objections {
		if o = strings.TrimSpace(o); o != "" {
			objections = append(objections, o)
		}
	}
	if len(objections) > 0 {
		k := rng.IntN(len(objections))
		pr.queue = append(append([]string(nil), objections[k:]...), objections[:k]...)
	}
	pr.t.objectionsRequired = min(pr.t.objectionsRequired, len(objections))
	pr.st = State{
		Mode:               mode,
		Prospect:           Card{Name: p.Name, Role: p.Role, Company: p.Company, Industry: p.Industry},
		Patience:           t.patience,
		Interest:           clamp(t.interest, 0, 100),
		InterestNeeded:     clamp(t.interestNeeded, 1, 100),
		ObjectionsRequired: pr.t.objectionsRequired,
	}
	return pr
}

// Opening is the prospect's first line for the call's mode.
func (p *Prospect) Opening() string {
	if s := strings.TrimSpace(p.profile.FirstMessageFor(p.mode)); s != "" {
		return s
	}
	return "Hello?"
}

// State returns a copy of the prospect's current state.
func (p *Prospect) State() State { return p.st.clone() }

// Respond hears one rep line and answers it. After the call has ended it
// returns the final outcome with no text and changes nothing.
func (p *Prospect) Respond(repText string) Reply {
	if p.st.Ended {
		return Reply{Ended: true, MeetingBooked: p.st.MeetingBooked, EndReason: p.st.EndReason}
	}
	p.st.Turn++
	p.replyHint, p.replyReveal, p.replyAbout, p.replyAct = -1, -1, -1, -1
	tn := analyse(repText)
	var r replyBuilder
	if tn.silent {
		p.drain(p.t.silenceCost)
		r.say(p.line(actSilence, nil))
	} else {
		p.react(tn, &r)
	}
	if len(r.parts) == 0 && !p.st.Ended {
		// Every line gets an answer, if only an acknowledgement.
		r.say(p.line(actFiller, nil))
	}
	reply := p.finish(&r)
	p.lastHint, p.lastReveal, p.lastAbout, p.lastAct = p.replyHint, p.replyReveal, p.replyAbout, p.replyAct
	return reply
}

// replyBuilder collects what the prospect says in one reply.
type replyBuilder struct {
	parts  []string
	raised bool // an objection was raised in this reply
}

func (r *replyBuilder) say(s string) {
	if s = strings.TrimSpace(s); s != "" {
		r.parts = append(r.parts, s)
	}
}

// react applies the rules to one rep line: time passing, monologues, the
// pending objection, then what the line was (proposal, opener, small talk,
// pitch, question, statement), and finally whether a new objection comes up.
func (p *Prospect) react(tn turn, r *replyBuilder) {
	p.drain(p.t.turnCost + p.rng.IntN(2))
	switch {
	case tn.words > RambleWords:
		p.st.Rambles++
		p.drain(p.t.rambleCost)
		p.addInterest(-3)
		r.say(p.line(actRamble, nil))
	case tn.words > longTurnWords:
		p.drain(p.t.longCost)
	}

	if obj := p.st.PendingObjection; obj != "" {
		v := judgeObjection(tn, obj)
		switch {
		case v == verdictHandled:
			if p.rng.Float64() < p.t.pushBack && !p.pushedBack[obj] {
				// Tough prospects test a good answer once before accepting it.
				p.pushedBack[obj] = true
				p.drain(p.t.partialCost / 2)
				r.say(p.line(actPushBack, nil))
				return
			}
			p.handleObjection(r)
			if tn.proposal && !p.st.Ended && p.st.PendingObjection == "" {
				p.considerProposal(tn, r)
			}
			return
		case tn.clarify && p.presses[obj] < MaxPresses:
			// "What do you mean?": the prospect says it in other words.
			p.presses[obj]++
			r.say(p.pressLine(obj, p.presses[obj]))
			return
		}
		if v == verdictPartial {
			p.drain(p.t.partialCost)
		} else {
			p.st.IgnoredObjections++
			p.drain(p.t.ignoredCost)
			p.addInterest(-5)
		}
		if tn.question && !tn.proposal {
			p.guarded(tn, r) // answer what was asked, briefly, then back to the concern
		}
		p.press(tn, r, v)
		return
	}

	provoked := false
	switch {
	case tn.proposal:
		p.considerProposal(tn, r)
	case p.mode == domain.ModeColdCall && p.st.Turn == 1:
		provoked = p.judgeOpener(tn, r)
	case tn.identity:
		r.say(p.line(actIdentity, map[string]string{"name": firstWord(p.profile.Name)}))
	case tn.clarify:
		p.clarify(r)
	case p.lastAct == actBadOpener && (tn.intro || tn.reason) && tn.pitch == 0:
		p.addInterest(p.t.openerGain / 2)
		r.say(p.line(actIntroHeard, nil))
	case tn.smallTalk && !tn.open: // small talk and a real question: the question is answered
		r.say(p.line(actSmallTalk, nil))
	case tn.decision && !tn.pitchy():
		p.tellDecision(tn, r)
	case p.mode == domain.ModeDiscovery && p.st.Turn == 1 && !tn.open && tn.pitch == 0:
		// "Thanks for the time, mind if I start with a few questions?"
		r.say(p.line(actDiscoveryStart, nil))
	case tn.pitchy() && p.revealedCount() == 0:
		p.earlyPitch(r)
		provoked = true
		if tn.open {
			p.discover(tn, r)
		}
	default:
		p.discover(tn, r)
	}
	if !p.st.Ended {
		p.maybeRaise(r, provoked)
	}
}

// guarded answers a question asked while an objection is pending: briefly,
// without giving anything away.
func (p *Prospect) guarded(tn turn, r *replyBuilder) {
	switch {
	case tn.smallTalk:
		r.say(p.line(actSmallTalk, nil))
	case tn.identity:
		r.say(p.line(actIdentity, map[string]string{"name": firstWord(p.profile.Name)}))
	default:
		r.say(p.line(actGuarded, nil))
	}
}

// clarify answers "what do you mean?": the prospect explains its last point.
func (p *Prospect) clarify(r *replyBuilder) {
	if i := p.lastReveal; i >= 0 {
		r.say(p.line(actImplication, nil))
		p.replyReveal = i
		return
	}
	if i := p.lastHint; i >= 0 && !p.pains[i].revealed {
		if p.rng.Float64() < p.t.revealChance {
			p.reveal(i, r)
			return
		}
	}
	r.say(p.line(actClarify, nil))
}

// judgeOpener scores the first line of a cold call. It reports whether the
// opener was a pitch, which provokes an objection.
func (p *Prospect) judgeOpener(tn turn, r *replyBuilder) bool {
	switch {
	case tn.pitchy():
		p.earlyPitch(r)
		return true
	case (tn.intro || tn.reason) && tn.words <= 60:
		gain := p.t.openerGain
		if !(tn.intro && tn.reason) {
			gain /= 2 // half an opener: who you are or why you call, not both
		}
		p.addInterest(gain)
		if strings.Contains(tn.lower, "bad time") { // "Did I catch you at a bad time?" books fewer meetings (Gong)
			p.addInterest(-p.t.openerGain / 2)
		}
		// A cold call is not a gauntlet: only tougher prospects brush off a
		// good opener with a concern before hearing anything.
		if p.profile.Difficulty != domain.DifficultyEasy && p.canRaise() && p.rng.Float64() < p.t.brushOff/2 {
			p.raise(r, actRaiseObjection)
			return false
		}
		switch {
		case tn.smallTalk && !tn.open:
			r.say(p.line(actSmallTalk, nil))
		case tn.open && tn.words > 8:
			r.say(p.line(actGreeting, nil))
			p.discover(tn, r)
			r.say(p.line(actSmallTalk, nil))
		case tn.intro && !tn.reason:
			r.say(p.line(actIntroHeard, nil))
		default:
			r.say(p.line(actGreeting, nil))
		}
	case tn.smallTalk && tn.words <= 12:
		p.drain(1)
		r.say(p.line(actBadOpener, nil))
	default:
		p.drain(3)
		r.say(p.line(actBadOpener, nil))
	}
	return false
}

func (p *Prospect) earlyPitch(r *replyBuilder) {
	p.st.EarlyPitches++
	p.drain(p.t.pitchCost)
	p.addInterest(-3)
	r.say(p.line(actEarlyPitch, nil))
}

// discover answers questions and statements: relevant open questions reveal
// pains, general ones earn hints, follow-ups on what the prospect just said
// (in any words) draw the story out, and tying the offer to a voiced pain
// earns interest.
func (p *Prospect) discover(tn turn, r *replyBuilder) {
	followUp := p.lastHint >= 0 || p.lastReveal >= 0
	if tn.open {
		key := strings.Join(tokens(tn.text), " ")
		if p.asked[key] {
			p.drain(p.t.repeatCost)
			r.say(p.line(actRepeat, nil))
			return
		}
		p.asked[key] = true
	}
	if tn.offTopic && !tn.business && !followUp {
		r.say(p.line(actOffTopic, nil))
		return
	}
	if i := p.lastAbout; tn.statusQuo && i >= 0 && p.pains[i].revealed && p.pains[i].statusQuo {
		// Asked again ("what have you tried so far?" after it said): the same
		// answer in short, not a general one.
		if _, score := p.bestPain(tn.concepts, func(x pain) bool { return !x.revealed }); score < 2 {
			p.replyAbout = i
			r.say(p.line(actStatusQuoAgain, nil))
			return
		}
	}
	if i := p.lastAbout; tn.statusQuo && i >= 0 && p.pains[i].revealed && !p.pains[i].statusQuo {
		// "Is anyone looking at fixing that, or is it just accepted?": what
		// is done about the pain just discussed, open or closed, unless the
		// line names a pain not told yet.
		if _, score := p.bestPain(tn.concepts, func(x pain) bool { return !x.revealed }); score < 2 {
			// It explores the pain as an implication question does.
			p.pains[i].statusQuo, p.pains[i].explored = true, true
			p.addInterest(p.t.implicationGain)
			p.gain(p.t.implicationRelief)
			p.replyAbout = i
			r.say(p.line(actStatusQuo, nil))
			return
		}
	}
	if tn.open || (followUp && tn.followCue && tn.question) {
		// The whole line counts: "You mentioned X. What's going on there?" asks about X.
		asked := tn.concepts
		hidden, hiddenScore := p.bestPain(asked, func(x pain) bool { return !x.revealed })
		voiced, voicedScore := p.bestPain(asked, func(x pain) bool { return x.revealed && !x.explored })
		if tn.scene {
			// Asked to describe a pain already followed up, by naming it
			// ("walk me through a typical release"). The prospect's own
			// title, company and industry name nothing: "what does a
			// typical week look like for you as Chief Claims Officer?" is
			// not about claims.
			named := maps.Clone(asked)
			maps.DeleteFunc(named, func(c string, _ bool) bool { return p.card[c] })
			if i, score := p.bestPain(named, func(x pain) bool { return x.revealed && x.explored }); score > voicedScore {
				voiced, voicedScore = i, score
			}
		}
		// A follow-up in the rep's own words ("how so?", "what does that
		// cost you?") is about what the prospect just said, unless it names
		// something else. "What does that look like day to day for your
		// engineers?" is too, unless it names something else twice over:
		// "that" is the pain just discussed, the engineers only who it is for.
		if i := p.lastReveal; i >= 0 && !p.pains[i].explored && hiddenScore < 2 && voicedScore < 2 {
			voiced, voicedScore = i, max(voicedScore, 1)
		}
		if i := p.lastAbout; tn.scene && tn.refersBack && i >= 0 && hiddenScore < 4 && voicedScore < 4 {
			voiced, voicedScore = i, max(voicedScore, hiddenScore, 1)
		}
		if i := p.lastHint; i >= 0 && !p.pains[i].revealed && hiddenScore < 2 && voicedScore < 2 {
			hidden, hiddenScore = i, max(hiddenScore, 2)
		}
		if tn.quantity && (hiddenScore < 2 || (p.lastReveal >= 0 && hiddenScore < 4)) {
			// "Roughly how many hours?": a number for the pain just discussed.
			order := p.st.RevealedPains
			if i := p.lastReveal; i >= 0 {
				order = append(append([]string(nil), order...), p.pains[i].text) // the one just discussed first
			}
			for j := len(order) - 1; j >= 0; j-- {
				if k := p.painIndex(order[j]); k >= 0 && !p.pains[k].measured {
					p.pains[k].measured, p.pains[k].explored = true, true
					p.addInterest(p.t.implicationGain / 2)
					p.replyReveal, p.replyAbout = k, k
					r.say(p.line(actQuantify, nil))
					return
				}
			}
		}
		if voiced >= 0 && voicedScore >= hiddenScore {
			if tn.scene {
				// "What does that look like day to day?": the concrete picture, not a metric.
				p.describe(voiced, r)
				return
			}
			// A follow-up on what the prospect already said (SPIN: implication).
			p.pains[voiced].explored = true
			p.addInterest(p.t.implicationGain)
			p.gain(p.t.implicationRelief)
			p.replyAbout = voiced
			r.say(p.line(actImplication, nil))
			return
		}
		if i := hidden; i >= 0 {
			chance := p.t.revealChance
			if p.pains[i].hinted {
				chance += 0.15
			}
			switch {
			case p.rng.Float64() < chance:
				p.reveal(i, r)
				if tn.scene {
					// Asked to walk through it: the story and the picture.
					p.pains[i].described = true
					r.say(p.pains[i].scene)
				}
			case p.pains[i].hinted:
				// Hinted at already: not ready to tell the story yet.
				p.replyHint = i
				r.say(p.line(actDeflect, nil))
			default:
				p.hint(i, r, 1)
			}
			return
		}
		if !tn.offTopic && !(tn.smallTalk && !tn.business) {
			if i := p.hintCandidate(); i >= 0 && p.rng.Float64() < p.t.hintChance {
				p.hint(i, r, p.t.hintGain)
				return
			}
			p.addInterest(1)
			r.say(p.line(actGeneralAnswer, nil))
			return
		}
		r.say(p.line(actSmallTalk, nil))
		return
	}
	linkable := func(x pain) bool { return x.revealed && !x.linked }
	if tn.pitch > 0 || tn.ack || tn.offer {
		i, _ := p.bestPain(tn.concepts, linkable)
		if i < 0 && tn.offer && p.revealedCount() > 0 {
			// "That's exactly what we fix": tied to the last pain voiced.
			for j := len(p.pains) - 1; j >= 0; j-- {
				if linkable(p.pains[j]) {
					i = j
					break
				}
			}
		}
		if i >= 0 {
			p.pains[i].linked = true
			p.addInterest(p.t.valueGain)
			r.say(p.line(actValueLink, nil))
			return
		}
	}
	if tn.pitch > 0 {
		p.drain(3)
		r.say(p.line(actLatePitch, nil))
		return
	}
	if tn.closed {
		if i := p.lastReveal; i >= 0 && !p.pains[i].explored {
			// A closed follow-up still shows interest in what was said.
			p.pains[i].explored = true
			p.addInterest(p.t.implicationGain / 2)
			p.replyAbout = i
			r.say(p.line(actImplication, nil))
			return
		}
		p.drain(p.t.closedCost)
		r.say(p.line(actClosedAnswer, nil))
		return
	}
	r.say(p.line(actFiller, nil))
}

// hint mentions pain i without telling the story: its subject when it has
// one ("Well, there's my front desk, for one."), a vaguer line otherwise.
func (p *Prospect) hint(i int, r *replyBuilder, gain int) {
	p.pains[i].hinted = true
	p.addInterest(gain)
	p.replyHint = i
	if t := p.pains[i].topic; t != "" {
		r.say(p.line(actHint, map[string]string{"topic": t}))
		return
	}
	r.say(p.line(actHintVague, nil))
}

// bestPain returns the pain sharing the most concepts with the rep's words
// among those keep accepts (ties go to a hinted pain, then to the first) and
// its score, or -1 and 0.
func (p *Prospect) bestPain(concepts map[string]bool, keep func(pain) bool) (int, int) {
	best, bestScore := -1, 0
	for i, x := range p.pains {
		if !keep(x) {
			continue
		}
		score := overlap(concepts, x.concepts) * 2
		if score == 0 {
			continue
		}
		if x.hinted {
			score++
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best, bestScore
}

// hintCandidate picks an unrevealed pain to hint at, preferring ones not hinted yet.
func (p *Prospect) hintCandidate() int {
	var fresh, any []int
	for i, x := range p.pains {
		if x.revealed {
			continue
		}
		any = append(any, i)
		if !x.hinted {
			fresh = append(fresh, i)
		}
	}
	switch {
	case len(fresh) > 0:
		return fresh[p.rng.IntN(len(fresh))]
	case len(any) > 0:
		return any[p.rng.IntN(len(any))]
	}
	return -1
}

func (p *Prospect) reveal(i int, r *replyBuilder) {
	p.pains[i].revealed = true
	p.pains[i].hinted = true
	p.st.RevealedPains = append(p.st.RevealedPains, p.pains[i].text)
	p.addInterest(p.t.revealGain)
	p.gain(p.t.revealRelief) // people like talking about their problems to someone who listens
	p.replyReveal, p.replyAbout = i, i
	r.say(p.line(actReveal, map[string]string{"pain": painSentence(p.pains[i].text)}))
}

// describe tells what pain i looks like day to day, or, told already, that
// it goes the way it was told. Asked about a pain not explored yet, it
// counts as the follow-up on its impact it is.
func (p *Prospect) describe(i int, r *replyBuilder) {
	x := &p.pains[i]
	if !x.explored {
		x.explored = true
		p.addInterest(p.t.implicationGain)
		p.gain(p.t.implicationRelief)
	} else {
		p.addInterest(1)
	}
	p.replyAbout = i
	if x.described {
		r.say(p.line(actSceneAgain, nil))
		return
	}
	x.described = true
	r.say(p.line(actScene, map[string]string{"scene": x.scene}))
}

// tellDecision answers a question about who decides and how buying works
// with the persona's facts (again, as a reminder, when asked again). An open
// question earns a little interest, like any answer about the prospect's
// situation; a closed one ("are you the one who signs?") costs what closed
// questions cost.
func (p *Prospect) tellDecision(tn turn, r *replyBuilder) {
	if tn.open {
		p.addInterest(1)
	} else {
		p.drain(p.t.closedCost)
	}
	a := actDecision
	if p.toldDecision {
		a = actDecisionAgain
	}
	p.toldDecision = true
	r.say(p.line(a, map[string]string{"decision": p.decision}))
}

func (p *Prospect) painIndex(text string) int {
	for i, x := range p.pains {
		if x.text == text {
			return i
		}
	}
	return -1
}

func (p *Prospect) revealedCount() int { return len(p.st.RevealedPains) }

// nearMiss is how far below the bar a trial close may fall and still be
// treated as well-timed rather than pushy.
const nearMiss = 15

// considerProposal decides what happens when the rep asks for a next step.
func (p *Prospect) considerProposal(tn turn, r *replyBuilder) {
	if p.st.PendingObjection != "" {
		return // the objection line already told the rep to answer first
	}
	if p.revealedCount() == 0 && len(p.st.HandledObjections) == 0 {
		p.st.PrematureCloses++
		p.drain(p.t.prematureCost + 4)
		p.addInterest(-5)
		r.say(p.line(actNoDiscovery, nil))
		return
	}
	if p.canRaise() {
		// Asked to commit, a prospect voices the concerns it has kept back.
		p.raise(r, actRaiseOnClose)
		return
	}
	if p.st.Interest < p.st.InterestNeeded {
		p.st.PrematureCloses++
		if !tn.hasSlot && tn.day == "" {
			p.drain(p.t.vagueCost)
			r.say(p.line(actVagueRefuse, nil))
			return
		}
		if p.st.Interest >= p.st.InterestNeeded-nearMiss {
			// A trial close after real discovery: "not yet" costs little.
			p.drain(p.t.prematureCost / 3)
		} else {
			p.drain(p.t.prematureCost)
		}
		r.say(p.line(actPremature, nil))
		return
	}
	switch {
	case tn.hasSlot:
		p.st.Ended, p.st.MeetingBooked, p.st.EndReason = true, true, EndMeetingBooked
		r.say(p.line(actBooked, map[string]string{"slot": tn.slot.String()}))
	case tn.day != "":
		p.drain(1)
		r.say(p.line(actAskTime, map[string]string{"day": tn.day}))
	default:
		p.drain(2)
		r.say(p.line(actAskSpecifics, nil))
	}
}

// finish ends the call when patience or time has run out and assembles the reply.
func (p *Prospect) finish(r *replyBuilder) Reply {
	if !p.st.Ended {
		switch {
		case p.st.Patience <= 0:
			p.st.Ended, p.st.EndReason = true, EndHungUp
			if r.raised { // no new objection from someone who is hanging up
				r.parts = r.parts[:len(r.parts)-1]
				p.st.RaisedObjections = p.st.RaisedObjections[:len(p.st.RaisedObjections)-1]
				p.st.PendingObjection = ""
			}
			r.say(p.line(actHangUp, nil))
		case p.st.Turn >= p.t.maxTurns:
			p.st.Ended, p.st.EndReason = true, EndOutOfTime
			r.say(p.line(actOutOfTime, nil))
		}
	}
	return Reply{Text: strings.Join(r.parts, " "), Ended: p.st.Ended, MeetingBooked: p.st.MeetingBooked, EndReason: p.st.EndReason}
}

func (p *Prospect) drain(n int) { p.st.Patience = clamp(p.st.Patience-n, 0, 100) }
func (p *Prospect) gain(n int)  { p.st.Patience = clamp(p.st.Patience+n, 0, 100) }
func (p *Prospect) addInterest(n int) {
	p.st.Interest = clamp(p.st.Interest+n, 0, 100)
}

// line picks a phrasing for an act in the persona's voice and fills its
// placeholders. It prefers phrasings not said yet in this call: the
// persona's own first, then the shared pool, and only when every one has
// been said, the one said least.
func (p *Prospect) line(a act, vars map[string]string) string {
	p.replyAct = a
	byPersonality := p.lines[a]
	own := byPersonality[p.profile.Personality]
	shared := byPersonality[""]
	var best []string
	bestCount := -1
	for _, pool := range [][]string{own, shared} {
		var fresh []string
		for _, o := range pool {
			if p.said[fill(o, vars)] == 0 {
				fresh = append(fresh, o)
			}
		}
		if len(fresh) > 0 {
			best = fresh
			break
		}
	}
	if best == nil {
		for _, o := range append(append([]string(nil), own...), shared...) {
			switch n := p.said[fill(o, vars)]; {
			case bestCount < 0 || n < bestCount:
				best, bestCount = []string{o}, n
			case n == bestCount:
				best = append(best, o)
			}
		}
	}
	if len(best) == 0 {
		return ""
	}
	s := fill(best[p.rng.IntN(len(best))], vars)
	p.said[s]++
	return s
}

// fill replaces {name} placeholders. A value starting a sentence is
// capitalized, one inside a sentence starts lowercase (acronyms and "I" kept).
func fill(tmpl string, vars map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		key := strings.ToLower(tmpl[i+1 : i+j])
		val := strings.TrimRight(strings.TrimSpace(vars[key]), ".!")
		before := strings.TrimRight(b.String(), " ")
		switch {
		case before == "" || strings.HasSuffix(before, ".") || strings.HasSuffix(before, "?") || strings.HasSuffix(before, "!"):
			val = upperFirst(val)
		case key != "slot" && key != "day" && key != "name": // names keep their capital
			val = lowerFirst(val)
		}
		b.WriteString(val)
		tmpl = tmpl[i+j+1:]
	}
	out := strings.ReplaceAll(b.String(), "?.", "?")
	return sentence(out)
}

func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }
