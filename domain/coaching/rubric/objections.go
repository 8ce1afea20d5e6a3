package rubric

import "github.com/sparrow-coach/sparrow/domain"

// Objections: detected from the prospect's lines by phrase, then judged by
// the rep's next run. Top reps answer an objection by acknowledging it and
// asking a question rather than arguing or pitching (Gong; secondary
// sources), so those are the two things checked, plus brevity.

// ObjectionKind classifies a prospect's pushback.
type ObjectionKind string

const (
	ObjectionNotInterested ObjectionKind = "not_interested"
	ObjectionPrice         ObjectionKind = "price"        // too expensive, no budget
	ObjectionIncumbent     ObjectionKind = "incumbent"    // already have a vendor or tool
	ObjectionNoTime        ObjectionKind = "no_time"      // busy, bad time, call me back
	ObjectionSendInfo      ObjectionKind = "send_info"    // "just send me an email"
	ObjectionNotPriority   ObjectionKind = "not_priority" // not now, maybe next quarter
	ObjectionAuthority     ObjectionKind = "authority"    // not my decision
	ObjectionNoNeed        ObjectionKind = "no_need"      // we don't need it, works fine
	ObjectionTrust         ObjectionKind = "trust"        // heard it before, burned before
)

// objectionKinds is indexed by cue - cueObjNotInterested.
var objectionKinds = [...]ObjectionKind{
	ObjectionNotInterested, ObjectionPrice, ObjectionIncumbent, ObjectionNoTime, ObjectionSendInfo,
	ObjectionNotPriority, ObjectionAuthority, ObjectionNoNeed, ObjectionTrust,
}

// objectionEcho lists words that, early in the rep's answer, show the rep
// named the concern back ("Budget's tight everywhere this year...").
var objectionEcho = [...]map[string]bool{
	wordSet("interested interest"),
	wordSet("budget budgets price pricing cost costs expensive investment afford"),
	wordSet("vendor already current using happy provider contract"),
	wordSet("time busy quick minute minutes seconds"),
	wordSet("email send info information deck"),
	wordSet("priority priorities timing"),
	wordSet("decision boss team approval"),
	wordSet("need fine working"),
	wordSet("skeptical heard burned tried before"),
}

var (
	negators = wordSet("not isn't wasn't aren't never no don't doesn't")
	// Words that turn "send me ... email" into meeting logistics, not a brush-off.
	logistics = wordSet("invite invitation calendar")
	// First words of an answer that argue with the prospect...
	arguing = wordSet("but actually nope wrong disagree")
	// ...once these are skipped ("Yeah, but...").
	answerOpeners = wordSet("yeah yes yep okay ok right sure oh well so")
)

// Objection is one piece of pushback and how the rep answered it.
type Objection struct {
	// Turn is the index (in time order) of the line that raised it.
	Turn        int           `json:"turn"`
	TimestampMs int64         `json:"timestampMs"`
	Kind        ObjectionKind `json:"kind"`
	// Quote is the sentence that raised it, verbatim.
	Quote string `json:"quote"`
	// Responded: the rep spoke after it (false when the call ended on it).
	Responded bool `json:"responded"`
	// Acknowledged: the answer opened by acknowledging or naming the concern.
	Acknowledged bool `json:"acknowledged"`
	// AnsweredWithQuestion: the answer contained a question.
	AnsweredWithQuestion bool `json:"answeredWithQuestion"`
	// Argued: the answer opened with "but", "no", "actually"...
	Argued        bool `json:"argued"`
	ResponseWords int  `json:"responseWords"`
	// ResponseTurn is the first line of the answer, -1 when there is none.
	ResponseTurn  int    `json:"responseTurn"`
	ResponseQuote string `json:"responseQuote"`
}

// objectionResponse is the answer length, in words, up to which an answer
// counts as concise, and beyond which (at twice it) it counts as a pitch.
const objectionResponseWords = 60

// quality scores the answer 0..1: acknowledged 0.35, answered with a
// question 0.40, concise 0.15, did not argue 0.10.
func (o Objection) quality() float64 {
	if !o.Responded {
		return 0
	}
	q := 0.0
	if o.Acknowledged {
		q += 0.35
	}
	if o.AnsweredWithQuestion {
		q += 0.40
	}
	q += 0.15 * descending(float64(o.ResponseWords), objectionResponseWords, 2*objectionResponseWords)
	if !o.Argued {
		q += 0.10
	}
	return q
}

// objectionIn returns the first objection cue in sentence si, skipping
// negated phrases ("it's not too expensive") and meeting logistics.
func (t *transcript) objectionIn(si int) (cue, bool) {
	s := t.sentences[si]
	for _, h := range t.sentenceHits(si) {
		if h.cue < cueObjNotInterested || h.cue > cueObjTrust {
			continue
		}
		pos := int(h.pos)
		if pos > int(s.w0) && negators[t.word(pos-1)] && !negators[t.word(pos)] {
			continue
		}
		if h.cue == cueObjSendInfo && t.turnHasAny(s.turn, logistics) {
			continue
		}
		return h.cue, true
	}
	return cueNone, false
}

func (t *transcript) turnHasAny(ti int, set map[string]bool) bool {
	tu := t.turns[ti]
	for s := tu.s0; s < tu.s1; s++ {
		ws := t.sentenceWords(s)
		for i := range ws.len() {
			if set[ws.at(i)] {
				return true
			}
		}
	}
	return false
}

// runObjection returns the first objection in run r.
func (t *transcript) runObjection(r int) (cue, int, bool) {
	s0, s1 := t.runSentences(r)
	for s := s0; s < s1; s++ {
		if c, ok := t.objectionIn(s); ok {
			return c, s, true
		}
	}
	return cueNone, 0, false
}

func (t *transcript) findObjections() []Objection {
	out := []Objection{}
	for r, rr := range t.runs {
		if rr.role != domain.RoleAssistant {
			continue
		}
		c, si, ok := t.runObjection(r)
		if !ok {
			continue
		}
		s := t.sentences[si]
		o := Objection{
			Turn: s.turn, TimestampMs: t.turns[s.turn].at, Kind: objectionKinds[c-cueObjNotInterested],
			Quote: excerpt(s.text), ResponseTurn: -1,
		}
		if r+1 < len(t.runs) {
			t.judgeResponse(&o, c, r+1)
		}
		out = append(out, o)
	}
	return out
}

// ackWindow is how many words into the answer an acknowledgement still counts.
const ackWindow = 20

func (t *transcript) judgeResponse(o *Objection, c cue, r int) {
	rr := t.runs[r]
	s0, s1 := t.runSentences(r)
	if s0 == s1 {
		return
	}
	o.Responded = true
	o.ResponseTurn = rr.t0
	o.ResponseWords = rr.words
	o.ResponseQuote = excerpt(t.sentences[s0].text)
	o.AnsweredWithQuestion = t.runQuestions(r) > 0

	words := t.sentenceWords(s0)
	i, n := 0, words.len()
	for i < n && (answerOpeners[words.at(i)] || hesitations[words.at(i)]) {
		i++
	}
	if i < n {
		w := words.at(i)
		next := ""
		if i+1 < n {
			next = words.at(i + 1)
		}
		o.Argued = arguing[w] || (w == "no" && next != "problem" && next != "worries" && next != "doubt")
		// "It's actually not that expensive": correcting the prospect.
		for k := i; k < n && k < i+4; k++ {
			o.Argued = o.Argued || words.at(k) == "actually"
		}
	}

	// Acknowledged: an acknowledging phrase early in the answer, or naming
	// the concern back early, unless the answer argues with it ("But it isn't
	// expensive" names the concern only to dismiss it).
	first := int(t.sentences[s0].w0)
	echo := objectionEcho[c-cueObjNotInterested]
	seen := 0
	for s := s0; s < s1 && seen < ackWindow; s++ {
		for _, h := range t.sentenceHits(s) {
			if h.cue == cueAck && int(h.pos)-first < ackWindow {
				o.Acknowledged = true
			}
		}
		ws := t.sentenceWords(s)
		for k := range ws.len() {
			if seen < 12 && echo[ws.at(k)] && !o.Argued {
				o.Acknowledged = true
			}
			seen++
		}
	}
}

// descending maps x to 1 at or below full, 0 at or above zero, linear between.
func descending(x, full, zero float64) float64 {
	switch {
	case x <= full:
		return 1
	case x >= zero:
		return 0
	}
	return (zero - x) / (zero - full)
}

// ascending maps x to 0 at or below zero, 1 at or above full, linear between.
func ascending(x, zero, full float64) float64 {
	switch {
	case x <= zero:
		return 0
	case x >= full:
		return 1
	}
	return (x - zero) / (full - zero)
}
