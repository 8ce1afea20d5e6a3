package prospect

import "github.com/sparrow-coach/sparrow/domain"

// verdict is how well a rep line answered the pending objection.
type verdict int

const (
	verdictIgnored verdict = iota // at most one of: acknowledged, addressed, asked
	verdictPartial                // two of the three
	verdictHandled                // acknowledged, addressed and asked a question
)

// minAnswerWords is the least an answer needs to have substance.
const minAnswerWords = 10

// judgeObjection grades an answer: it must acknowledge the objection,
// address it (engage with what it is about, in more than a few words) and
// ask a question (Gong: top reps answer objections with a question).
func judgeObjection(tn turn, objection string) verdict {
	n := 0
	if tn.ack {
		n++
	}
	if tn.words >= minAnswerWords && overlap(topicSet(tn.text), topicSet(objection)) > 0 {
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
