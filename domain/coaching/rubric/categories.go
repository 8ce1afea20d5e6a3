package rubric

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/domain"
)

// Category scores. Each category is the weighted share of its criteria that
// pass (partial credit allowed, as in market scorecards), times an engagement
// factor that keeps a call with almost no conversation low whatever it says.

type category int

const (
	catOpening category = iota
	catDiscovery
	catObjection
	catCommunication
	catClosing
	numCategories
)

var categoryNames = [numCategories]string{"opening", "discovery", "objection handling", "communication", "closing"}

var categoryWeights = [numCategories]int{weightOpening, weightDiscovery, weightObjection, weightCommunication, weightClosing}

// criterion is one checked item. value is 0..1; strength and improvement are
// the insight shown when it clearly passes or fails ("" = never shown).
type criterion struct {
	cat         category
	key         string
	weight      float64
	value       float64
	strength    string
	improvement string
	evidence    string
	// turn, quote: where the evidence is in the call, for a key moment (-1 = none).
	turn  int
	quote string
}

type evaluation struct {
	mode       domain.Mode
	exp        expectation
	t          *transcript
	m          *Metrics
	criteria   []criterion
	scores     [numCategories]int
	overall    int
	engagement float64
	// pressedUnanswered: the prospect pressed an objection the rep had not
	// answered, and the rep did not answer it then either.
	pressedUnanswered bool
	// neverAnswered: objections came up, none got a real answer, and nothing was booked.
	neverAnswered bool
	// pressed marks objections the prospect raised again right after the answer.
	pressed []bool
}

// Engagement: full at engagementExchanges back-and-forths, engagementRepWords
// rep words and engagementVocabulary distinct rep content words (so 2,000
// lines of "Okay." are not a conversation); a floor of engagementFloor on
// the exchanges keeps a one-sided pitch from scoring exactly zero on what it
// did say.
const (
	engagementExchanges  = 4
	engagementRepWords   = 60
	engagementVocabulary = 20
	engagementFloor      = 0.2
)

// repVocabulary counts the rep's distinct content words, up to limit.
func (t *transcript) repVocabulary(limit int) int {
	seen := make(map[string]struct{}, limit)
	for si, s := range t.sentences {
		if !t.rep(s.turn) {
			continue
		}
		ws := t.sentenceWords(si)
		for i := range ws.len() {
			if ws.content(i) {
				seen[ws.at(i)] = struct{}{}
				if len(seen) >= limit {
					return limit
				}
			}
		}
	}
	return len(seen)
}

func evaluate(mode domain.Mode, t *transcript, m *Metrics, persona *domain.PersonaFacts) *evaluation {
	mode, exp := expectationFor(mode)
	e := &evaluation{mode: mode, exp: exp, t: t, m: m}
	e.engagement = (engagementFloor + (1-engagementFloor)*math.Min(1, float64(m.Exchanges)/engagementExchanges)) *
		math.Min(1, float64(m.RepWords)/engagementRepWords) *
		float64(t.repVocabulary(engagementVocabulary)) / engagementVocabulary
	e.opening()
	e.discovery(persona)
	e.objections()
	e.communication()
	e.closing()
	var sum, weight [numCategories]float64
	for _, c := range e.criteria {
		sum[c.cat] += c.weight * c.value
		weight[c.cat] += c.weight
	}
	for c := range numCategories {
		if weight[c] > 0 {
			e.scores[c] = clampScore(int(math.Round(100 * sum[c] / weight[c] * e.engagement)))
		}
	}
	if e.pressedUnanswered || e.neverAnswered {
		e.scores[catObjection] = min(e.scores[catObjection], unansweredObjectionCap)
	}
	e.overall = domain.WeightedOverall(e.scores[catOpening], e.scores[catDiscovery], e.scores[catObjection], e.scores[catCommunication], e.scores[catClosing])
	return e
}

func (e *evaluation) add(c criterion) {
	if c.weight <= 0 {
		return
	}
	if math.IsNaN(c.value) {
		c.value = 0 // cannot happen with the guards above; never let it reach a score
	}
	c.value = math.Min(math.Max(c.value, 0), 1)
	e.criteria = append(e.criteria, c)
}

// ---- opening ----

type openingSignals struct {
	intro, reason, rapport, howHaveYouBeen, badTime, agenda bool
	firstWords                                              int
	firstMs                                                 int64 // length of the first rep run (when timed)
	// Where each signal was seen (turn -1 and "" when it was not).
	first, introAt, reasonAt, rapportAt, badTimeAt, agendaAt quoted
}

// quoted is a sentence of the call and the turn it is in.
type quoted struct {
	turn  int
	quote string
}

var notQuoted = quoted{turn: -1}

func (t *transcript) quoteOf(si int) quoted {
	return quoted{turn: t.sentences[si].turn, quote: excerpt(t.sentences[si].text)}
}

// openingRuns is how many of the rep's first runs count as the opening.
const openingRuns = 2

func (t *transcript) openingSignals() openingSignals {
	o := openingSignals{first: notQuoted, introAt: notQuoted, reasonAt: notQuoted, rapportAt: notQuoted, badTimeAt: notQuoted, agendaAt: notQuoted}
	seen := 0
	for r, rr := range t.runs {
		if rr.role != domain.RoleUser {
			continue
		}
		if seen++; seen > openingRuns {
			break
		}
		s0, s1 := t.runSentences(r)
		if seen == 1 {
			o.firstWords = rr.words
			if t.timed {
				o.firstMs = rr.endMs - rr.startMs
			}
			if s0 < s1 {
				o.first = t.quoteOf(s0)
			}
		}
		mark := func(flag *bool, at *quoted, s int, ok bool) {
			if ok && !*flag {
				*flag, *at = true, t.quoteOf(s)
			}
		}
		for s := s0; s < s1; s++ {
			hs := t.sentenceHits(s)
			mark(&o.intro, &o.introAt, s, hasCue(hs, cueIntro) || introducesFrom(t.sentenceWords(s)))
			mark(&o.reason, &o.reasonAt, s, hasCue(hs, cueReason))
			mark(&o.rapport, &o.rapportAt, s, hasCue(hs, cueRapport) || hasCue(hs, cueHowHaveYouBeen))
			o.howHaveYouBeen = o.howHaveYouBeen || hasCue(hs, cueHowHaveYouBeen)
			mark(&o.agenda, &o.agendaAt, s, hasCue(hs, cueAgenda))
			mark(&o.badTime, &o.badTimeAt, s, hasCue(hs, cueBadTime))
		}
	}
	return o
}

// introducesFrom spots "I'm Sam from Acme" / "it's Sam with Acme".
func introducesFrom(words wordSeq) bool {
	n := words.len()
	for i := range n {
		if w := words.at(i); w != "i'm" && w != "it's" && w != "im" {
			continue
		}
		for j := i + 2; j < n && j <= i+4; j++ {
			if w := words.at(j); w == "from" || w == "with" || w == "at" {
				return true
			}
		}
	}
	return false
}

func (e *evaluation) opening() {
	t, m, w := e.t, e.m, e.exp.opening
	o := t.openingSignals()
	opened := "You never spoke"
	if o.first.quote != "" {
		opened = fmt.Sprintf("You opened with: %q", o.first.quote)
	}
	// said returns evidence and quote: the sentence where a signal was seen, or the opener.
	said := func(ok bool, at quoted) (string, quoted) {
		if ok {
			return fmt.Sprintf("You said: %q", at.quote), at
		}
		return opened, o.first
	}

	introduced := o.intro || (e.mode == domain.ModeDiscovery && o.rapport)
	introAt := o.introAt
	if !o.intro {
		introAt = o.rapportAt
	}
	ev, at := said(introduced, introAt)
	e.add(criterion{cat: catOpening, key: "intro", weight: w.intro, value: b2f(introduced),
		strength: "Introduced yourself clearly", improvement: "Say who you are and where you are calling from in your first line",
		evidence: ev, turn: at.turn, quote: at.quote})

	ev, at = said(o.reason, o.reasonAt)
	e.add(criterion{cat: catOpening, key: "reason", weight: w.reason, value: b2f(o.reason),
		strength: "Gave a clear reason for the call up front", improvement: "State why you are calling, and why them, in the first 30 seconds",
		evidence: ev, turn: at.turn, quote: at.quote})

	phrasing := criterion{cat: catOpening, key: "phrasing", weight: w.phrasing, evidence: opened, turn: o.first.turn, quote: o.first.quote}
	switch {
	case o.badTime:
		phrasing.value = 0
		phrasing.improvement = `Drop "Did I catch you at a bad time?": that opener books fewer meetings (Gong)`
		phrasing.evidence = fmt.Sprintf("You asked: %q", o.badTimeAt.quote)
		phrasing.turn, phrasing.quote = o.badTimeAt.turn, o.badTimeAt.quote
	case o.howHaveYouBeen:
		phrasing.value = 1
		phrasing.strength = `Opened with "How have you been?", the opener that books more meetings (Gong)`
		phrasing.evidence = fmt.Sprintf("You said: %q", o.rapportAt.quote)
		phrasing.turn, phrasing.quote = o.rapportAt.turn, o.rapportAt.quote
	case o.rapport:
		phrasing.value = 0.7
	default:
		phrasing.value = 0.5
		phrasing.improvement = `Open warmly before the pitch: "How have you been?" books more meetings (Gong)`
	}
	e.add(phrasing)

	ev, at = said(o.agenda, o.agendaAt)
	e.add(criterion{cat: catOpening, key: "agenda", weight: w.agenda, value: b2f(o.agenda),
		strength: "Set an agenda and checked it with the prospect", improvement: "Open a discovery call by agreeing the agenda and the time available",
		evidence: ev, turn: at.turn, quote: at.quote})

	early := criterion{cat: catOpening, key: "early_question", weight: w.early, turn: -1,
		strength: "Engaged the prospect with a question early", improvement: "Ask your first question in your first or second turn"}
	if m.FirstQuestionTurn < 0 {
		early.evidence = "You asked no question at all"
	} else {
		rank := t.repRunRank(t.turns[m.FirstQuestionTurn].run)
		early.value = descending(float64(rank), openingRuns, openingRuns+3)
		early.evidence = fmt.Sprintf("First question in your turn %d, %s into the call", rank, fmtDuration(t.turns[m.FirstQuestionTurn].ts-t.startMs))
		early.turn, early.quote = m.FirstQuestionTurn, t.firstQuestionQuote()
	}
	e.add(early)

	concise := criterion{cat: catOpening, key: "concise", weight: w.concise, turn: o.first.turn, quote: o.first.quote,
		strength: "Kept the opener short", improvement: "Shorten your opener so the prospect can speak within about 20 seconds"}
	switch {
	case o.firstWords == 0:
		concise.evidence = "You never spoke"
	case t.timed:
		// A fast talker packs more pitch into the same seconds: judge both.
		concise.value = min(descending(float64(o.firstMs), openerFullMs, openerZeroMs),
			descending(float64(o.firstWords), openerFullWords, openerZeroWords))
		concise.evidence = fmt.Sprintf("Your first turn: %d words, %s", o.firstWords, fmtDuration(o.firstMs))
	default:
		concise.value = descending(float64(o.firstWords), openerFullWords, openerZeroWords)
		concise.evidence = fmt.Sprintf("Your first turn: %d words", o.firstWords)
	}
	e.add(concise)

	if w.earnedTime > 0 {
		d := time.Duration(m.DurationMs) * time.Millisecond
		e.add(criterion{cat: catOpening, key: "earned_time", weight: w.earnedTime,
			value:       ascending(float64(d), float64(e.exp.earnedTimeZero), float64(e.exp.earnedTimeFull)),
			strength:    "Earned the prospect's time: the conversation kept going",
			improvement: "Earn more time with a relevant hook: the average cold call lasts 80 s and successful ones about twice as long (Chorus)",
			evidence:    fmt.Sprintf("Call length %s%s", fmtDuration(m.DurationMs), estimatedNote(m.Timed)), turn: -1})
	}
}

// The opener (the rep's first run) gets full credit up to ~20 s (50 words
// at 150 wpm) and none from ~60 s (150 words): by then a cold call, which
// averages 80 s (Chorus), is mostly pitch.
const (
	openerFullMs, openerZeroMs       = 20_000, 60_000
	openerFullWords, openerZeroWords = 50, 150
)

// repRunRank returns 1 for the rep's first run, 2 for the second...
func (t *transcript) repRunRank(r int) int { return t.runs[r].repRank }

func (t *transcript) firstQuestionQuote() string {
	for _, s := range t.sentences {
		if s.question && t.rep(s.turn) {
			return excerpt(s.text)
		}
	}
	return ""
}

// ---- discovery ----

func (e *evaluation) discovery(persona *domain.PersonaFacts) {
	t, m, x := e.t, e.m, e.exp
	w := x.discovery
	q := m.Questions

	count := criterion{cat: catDiscovery, key: "question_count", weight: w.count, turn: -1,
		evidence: fmt.Sprintf("%d questions (%d open, %d closed); %s calls for %d-%d: %s", q, m.OpenQuestions, m.ClosedQuestions, withArticle(x.label), x.questionsLo, x.questionsHi, x.questionsSource)}
	switch {
	case q >= x.questionsLo && q <= x.questionsHi:
		count.value = 1
		count.strength = fmt.Sprintf("Asked %d questions, right for %s", q, withArticle(x.label))
	case q < x.questionsLo:
		count.value = float64(q) / float64(x.questionsLo)
		count.improvement = fmt.Sprintf("Ask more questions: aim for %d-%d in %s", x.questionsLo, x.questionsHi, withArticle(x.label))
	default:
		count.value = math.Max(0.6, 1-float64(q-x.questionsHi)/float64(2*x.questionsHi))
		count.improvement = "Ask fewer, sharper questions: past the target, returns diminish and the call feels like an interrogation (Gong)"
	}
	e.add(count)

	open := criterion{cat: catDiscovery, key: "open_questions", weight: w.open, turn: -1,
		strength:    "Asked mostly open questions that got the prospect talking",
		improvement: `Turn closed questions into open ones that start with "what", "how" or "tell me"`}
	if q > 0 {
		open.value = float64(m.OpenQuestions) / float64(q) / 0.5
		open.evidence = fmt.Sprintf("%d of %d questions were open", m.OpenQuestions, q)
		// Quote an example of what the criterion praises or faults.
		wantOpen := open.value >= strengthAt
		if ex, turn := t.firstQuestionWhere(wantOpen); ex != "" {
			kind := "closed"
			if wantOpen {
				kind = "open"
			}
			open.evidence += fmt.Sprintf(`, %s example: %q`, kind, ex)
			open.turn, open.quote = turn, ex
		}
	} else {
		open.evidence = "No questions asked"
	}
	e.add(open)

	spread := criterion{cat: catDiscovery, key: "question_spread", weight: w.spread, turn: -1,
		strength:    "Spread questions through the whole call, as top reps do (Gong)",
		improvement: "Keep asking questions after the first third: top reps spread them, average reps front-load them (Gong)",
		evidence:    fmt.Sprintf("Questions by third of the call: %d / %d / %d", m.QuestionsByThird[0], m.QuestionsByThird[1], m.QuestionsByThird[2])}
	if q > 0 {
		top := max(m.QuestionsByThird[0], m.QuestionsByThird[1], m.QuestionsByThird[2])
		spread.value = (1 - (float64(top)/float64(q)-1.0/3)*1.5) * math.Min(1, float64(q)/3)
	}
	e.add(spread)

	heard := m.FollowUpQuestions + m.ListeningCues
	listen := criterion{cat: catDiscovery, key: "listening", weight: w.listening, value: float64(heard) / float64(x.listeningTarget), turn: -1,
		strength:    "Built on the prospect's answers with follow-up questions",
		improvement: `Follow up on what the prospect just said ("You mentioned X, tell me more") before moving on`,
		evidence:    fmt.Sprintf("%d follow-up questions reused the prospect's words; %d listening phrases", m.FollowUpQuestions, m.ListeningCues)}
	if fq, turn := t.firstFollowUp(); fq != "" && listen.value >= strengthAt {
		listen.evidence += fmt.Sprintf(`, e.g. %q`, fq)
		listen.turn, listen.quote = turn, fq
	}
	e.add(listen)

	covered := len(m.DiscoveryTopics)
	topics := criterion{cat: catDiscovery, key: "topics", weight: w.topics, value: float64(covered) / float64(x.topicsTarget), turn: -1,
		strength:    "Covered the key discovery topics",
		improvement: "Cover more of pain, impact, current solution, goals, decision process, budget and timeline",
		evidence:    fmt.Sprintf("Topics covered: %s; missing: %s", listOrNone(m.DiscoveryTopics), listOrNone(missingTopics(m.DiscoveryTopics)))}
	e.add(topics)

	story := criterion{cat: catDiscovery, key: "prospect_story", weight: w.story, turn: -1,
		strength:    "Got the prospect telling a long story",
		improvement: "Draw out longer stories: a customer's longest story near 4 minutes goes with wins, under 50 s with below-average close rates (Gong)"}
	if m.Timed {
		story.value = ascending(float64(m.LongestProspectTurnMs), 10_000, 50_000)
		story.evidence = fmt.Sprintf("The prospect's longest answer: %d words, %s", m.LongestProspectTurnWords, fmtDuration(m.LongestProspectTurnMs))
	} else {
		story.value = ascending(float64(m.LongestProspectTurnWords), 25, 125) // 10-50 s at 150 wpm
		story.evidence = fmt.Sprintf("The prospect's longest answer: %d words", m.LongestProspectTurnWords)
	}
	e.add(story)

	e.add(e.situation())

	if persona != nil && len(persona.HiddenPains) > 0 {
		found, missed := t.hiddenPains(persona.HiddenPains)
		e.add(criterion{cat: catDiscovery, key: "hidden_pains", weight: w.hiddenPains, value: float64(len(found)) / float64(len(persona.HiddenPains)), turn: -1,
			strength:    fmt.Sprintf("Uncovered %d of %s's %d hidden pains", len(found), persona.Name, len(persona.HiddenPains)),
			improvement: "Dig deeper: ask about impact and workarounds until the prospect names the real pain",
			evidence:    fmt.Sprintf("Uncovered: %s; missed: %s", listOrNone(found), listOrNone(missed))})
	}
}

// Learning about the prospect (issue 11): questions about the prospect's own
// situation (open ones count fully, closed ones half), answers that put a
// number on it, and asking before pitching. It weighs the same in every
// mode, because a call that learns nothing about the buyer is a pitch
// whatever its label.
const (
	wSituation = 0.45
	// Full credit at situationQuestionsFull situation questions (open
	// counting 1, closed 0.5) and quantifiedAnswersFull answers with numbers.
	situationQuestionsFull = 3.0
	quantifiedAnswersFull  = 2.0
	// A rep run of pitchWords or more without a question is a pitch.
	pitchWords = 25
)

var (
	aboutYouWords = wordSet("you your you're yours you've you'd yourself y'all")
	numberWords   = wordSet(`one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty
		seventy eighty ninety hundred hundreds thousand thousands million millions percent half dozen dozens`)
)

func (e *evaluation) situation() criterion {
	t := e.t
	c := criterion{cat: catDiscovery, key: "situation", weight: wSituation, turn: -1,
		strength:    "Learned about the prospect's situation, with numbers, before pitching",
		improvement: "Before you pitch, ask about their situation (what, how, how many) until you have numbers you can use"}
	asked := 0.0 // an open question counts 1, a closed one half
	open, closed := 0, 0
	firstAsk, firstPitch := -1, -1
	quantified := 0
	askedInRun := map[int]bool{}
	for si, s := range t.sentences {
		if !s.question || !t.rep(s.turn) {
			continue
		}
		if r := t.turns[s.turn].run; t.repRunRank(r) > 1 {
			askedInRun[r] = true // an answer to any question after the opener can teach a number
		}
		ws := t.sentenceWords(si)
		about := false
		for i := range ws.len() {
			about = about || aboutYouWords[ws.at(i)]
		}
		if !about {
			continue
		}
		r := t.turns[s.turn].run
		if t.repRunRank(r) == 1 && !s.open {
			continue // "Do you have a minute?" in the opener is permission, not discovery
		}
		if s.open {
			asked++
			open++
		} else {
			asked += 0.5
			closed++
		}
		if firstAsk < 0 {
			firstAsk = r
			if c.quote == "" {
				c.turn, c.quote = s.turn, excerpt(s.text)
			}
		}
	}
	for r, rr := range t.runs {
		switch {
		case rr.role == domain.RoleAssistant && r > 0 && askedInRun[r-1] && t.runHasNumber(r):
			quantified++
		case rr.role == domain.RoleUser && firstPitch < 0 && rr.repRank > 1 && rr.words >= pitchWords && t.runQuestions(r) == 0:
			firstPitch = r
		}
	}
	before := 0.0
	if firstAsk >= 0 && (firstPitch < 0 || firstAsk < firstPitch) {
		before = 1
	}
	c.value = 0.5*math.Min(1, asked/situationQuestionsFull) + 0.3*math.Min(1, float64(quantified)/quantifiedAnswersFull) + 0.2*before
	when := "no pitch"
	if firstPitch >= 0 {
		when = fmt.Sprintf("first pitch in your turn %d", t.runs[firstPitch].repRank)
	}
	// "2 open and 1 closed question(s)", not the weighted "2.5 questions" (a
	// trial's debrief read "2.0 questions ... (open count 1, closed 0.5)").
	c.evidence = fmt.Sprintf("%d open and %d closed %s about the prospect's situation (a closed one counts half); %d %s gave you numbers; %s",
		open, closed, plural(open+closed, "question", "questions"), quantified, plural(quantified, "answer", "answers"), when)
	return c
}

// runHasNumber reports whether run r mentions a number ("42", "forty", "half").
func (t *transcript) runHasNumber(r int) bool {
	s0, s1 := t.runSentences(r)
	for s := s0; s < s1; s++ {
		ws := t.sentenceWords(s)
		for i := range ws.len() {
			w := ws.at(i)
			if numberWords[w] || strings.IndexFunc(w, func(c rune) bool { return c >= '0' && c <= '9' }) >= 0 {
				return true
			}
		}
	}
	return false
}

// firstQuestionWhere returns the rep's first open (or closed) question of
// at least 5 words ("How have you been?" is small talk, not discovery).
func (t *transcript) firstQuestionWhere(open bool) (string, int) {
	for _, s := range t.sentences {
		if s.question && s.open == open && t.rep(s.turn) && s.w1-s.w0 >= 5 {
			return excerpt(s.text), s.turn
		}
	}
	return "", -1
}

// firstFollowUp returns the first question that itself reuses the
// prospect's words (the clearest example to quote).
func (t *transcript) firstFollowUp() (string, int) {
	var content []string
	for si, s := range t.sentences {
		if !s.question || !t.rep(s.turn) {
			continue
		}
		r := t.turns[s.turn].run
		if !t.answersProspect(r) {
			continue
		}
		content = t.contentWords(r-1, content[:0])
		if sharesWord(t.sentenceWords(si), content) {
			return excerpt(s.text), s.turn
		}
	}
	return "", -1
}

func missingTopics(covered []string) []string {
	var out []string
	for _, d := range discoveryTopics {
		if !contains(covered, d.name) {
			out = append(out, d.name)
		}
	}
	return out
}

// ---- objection handling ----

func (e *evaluation) objections() {
	m, x := e.m, e.exp
	if len(m.Objections) == 0 {
		c := criterion{cat: catObjection, key: "objections_none", weight: 1, value: x.noObjectionValue, turn: -1,
			evidence: "The prospect raised no objection the rubric could detect"}
		if x.objectionVolume > 0 {
			c.improvement = "Draw the objections out and work through them: that is the point of the gauntlet"
		}
		e.add(c)
		return
	}
	sum, good := 0.0, 0
	worst, worstQ := -1, 2.0
	pressed := e.t.pressedAgain(m.Objections)
	e.pressed = pressed
	for i, o := range m.Objections {
		q := o.quality()
		if pressed[i] {
			// The prospect raised the same concern again right after the
			// answer: whatever its form, it did not answer it.
			q = min(q, pressedAnswerValue)
		}
		sum += q
		if q >= 0.75 {
			good++
		}
		if q < worstQ {
			worst, worstQ = i, q
		}
	}
	n := len(m.Objections)
	ev := fmt.Sprintf("%d objection(s): %d acknowledged, %d answered with a question, %d unanswered",
		n, m.ObjectionsAcknowledged, m.ObjectionsAnsweredWithQuestion, countUnanswered(m.Objections))
	e.pressedUnanswered = e.t.pressedUnanswered(m.Objections, pressed)
	answered := false
	for i, o := range m.Objections {
		answered = answered || (isAnswered(o) && !pressed[i])
	}
	e.neverAnswered = !answered && !m.NextStep.Booked
	switch {
	case e.pressedUnanswered:
		ev += fmt.Sprintf("; the prospect pressed an objection you left unanswered, which caps this category at %d", unansweredObjectionCap)
	case e.neverAnswered:
		ev += fmt.Sprintf("; no objection got a real answer and nothing was booked, which caps this category at %d", unansweredObjectionCap)
	}
	c := criterion{cat: catObjection, key: "objection_quality", weight: 1, value: sum / float64(n), turn: -1,
		strength:    "Handled objections by acknowledging them and answering with a question",
		improvement: "Acknowledge each objection, then answer with a question instead of a pitch",
		evidence:    ev}
	if o := m.Objections[worst]; c.value < strengthAt && worstQ < strengthAt {
		c.evidence += fmt.Sprintf(`; weakest answer was to %q`, o.Quote)
	}
	if x.objectionVolume > 0 {
		c.weight = 0.75
		e.add(c)
		e.add(criterion{cat: catObjection, key: "objection_volume", weight: 0.25, value: float64(good) / float64(x.objectionVolume), turn: -1,
			strength:    fmt.Sprintf("Worked through %d objections well", good),
			improvement: fmt.Sprintf("Keep the gauntlet going: handle at least %d objections well", x.objectionVolume),
			evidence:    fmt.Sprintf("%d of %d objections handled well (acknowledged, answered with a question, concise)", good, n)})
		return
	}
	e.add(c)
}

// An answer of quality below answeredAt (say, no acknowledgement and no
// question) leaves the objection unanswered; unansweredObjectionCap is the
// most objection handling can score when the prospect pressed an objection
// that stayed unanswered, or when no objection was answered and nothing
// was booked.
const (
	answeredAt             = 0.5
	unansweredObjectionCap = 40
)

// pressedAnswerValue is the most an answer is worth when the prospect
// pressed the same concern again right after it.
const pressedAnswerValue = 0.25

// pressedAgain marks the objections whose answer was followed, in the
// prospect's very next turn, by an objection of the same kind: the prospect
// pressed the point, so the answer did not satisfy it.
func (t *transcript) pressedAgain(os []Objection) []bool {
	out := make([]bool, len(os))
	for i := 0; i+1 < len(os); i++ {
		a, b := os[i], os[i+1]
		out[i] = a.Kind == b.Kind && t.turns[b.Turn].run == t.turns[a.Turn].run+2
	}
	return out
}

// pressedUnanswered reports whether an objection was left unanswered (or
// pressed again), the prospect's very next turn raised an objection again
// (pressing it, or another), and that one went unanswered too, or the call
// ended on it.
func (t *transcript) pressedUnanswered(os []Objection, pressed []bool) bool {
	for i := 0; i+1 < len(os); i++ {
		a, b := os[i], os[i+1]
		if isAnswered(a) && !pressed[i] {
			continue
		}
		if t.turns[b.Turn].run != t.turns[a.Turn].run+2 {
			continue // the prospect moved on before raising another
		}
		if !isAnswered(b) || pressed[i+1] {
			return true
		}
	}
	return false
}

// isAnswered reports whether the rep answered an objection the way the
// built-in prospect accepts one: acknowledged it, did not argue, and asked a
// question back (a question that ignores the concern is not an answer, nor is
// "I hear you, but" followed by a pitch).
func isAnswered(o Objection) bool {
	return o.Responded && o.Acknowledged && o.AnsweredWithQuestion && !o.Argued && o.quality() >= answeredAt
}

func countUnanswered(os []Objection) int {
	n := 0
	for _, o := range os {
		if !o.Responded {
			n++
		}
	}
	return n
}

// ---- communication ----

func (e *evaluation) communication() {
	t, m, x := e.t, e.m, e.exp
	share := m.RepTalkShare
	talk := criterion{cat: catCommunication, key: "talk_share", weight: wTalk, turn: -1,
		evidence: fmt.Sprintf("You spoke %s of the words (%d of %d); best-converting reps talk ~43%% (Gong), successful cold calls 44%% (Chorus)",
			pct(share), m.RepWords, m.RepWords+m.ProspectWords)}
	switch {
	case m.RepWords+m.ProspectWords == 0:
	case share > x.talkHi:
		talk.value = descending(share, x.talkHi, talkZero)
		talk.improvement = "Talk less and listen more: reps above 65% talk share convert worse (Gong)"
	case share < x.talkLo:
		talk.value = 0.3 + 0.7*ascending(share, 0.10, x.talkLo)
		talk.improvement = "Take more of the conversation: guide it with insight, not only questions"
	default:
		talk.value = 1
		talk.strength = "Balanced talk time, close to the 43% that converts best (Gong)"
	}
	e.add(talk)

	mono := criterion{cat: catCommunication, key: "monologue", weight: wMonologue, turn: -1,
		strength:    "Kept your turns short and conversational",
		improvement: "Break up long monologues with a question: win rates fall when a pitch runs past ~2 minutes (Gong)"}
	perSec := assumedWPM / 60.0
	mono.value = descending(float64(m.LongestRepMonologueWords), x.monologueFull.Seconds()*perSec, x.monologueZero.Seconds()*perSec)
	if m.Timed {
		// Judge seconds and words (a fast talker packs more into the same time).
		mono.value = min(mono.value, descending(float64(m.LongestRepMonologueMs), float64(x.monologueFull.Milliseconds()), float64(x.monologueZero.Milliseconds())))
		mono.evidence = fmt.Sprintf("Your longest monologue: %s (%d words at most in one turn)", fmtDuration(m.LongestRepMonologueMs), m.LongestRepMonologueWords)
	} else {
		mono.evidence = fmt.Sprintf("Your longest monologue: %d words (~%s at 150 wpm)", m.LongestRepMonologueWords, fmtDuration(wordsToMs(m.LongestRepMonologueWords)))
	}
	if m.RepWords == 0 {
		mono.value = 0
	}
	if mono.value < 0.75 {
		if q, turn := t.longestMonologueQuote(); q != "" {
			mono.turn, mono.quote = turn, q
		}
	}
	e.add(mono)

	if m.Timed && m.SpeakingRateWpm > 0 {
		r := m.SpeakingRateWpm
		rate := criterion{cat: catCommunication, key: "speaking_rate", weight: wRate, turn: -1,
			evidence: fmt.Sprintf("Your pace: %.0f words per minute; 100-120 scored best in recorded pitches (Objective Management Group)", r)}
		switch {
		case r < rateLo:
			rate.value = rateFloor + (1-rateFloor)*ascending(r, rateZeroLo, rateLo)
			rate.improvement = "Pick up the pace a little: long pauses inside your turns lose the prospect"
		case r > rateHi:
			rate.value = rateFloor + (1-rateFloor)*descending(r, rateHi, rateZeroHi)
			rate.improvement = "Slow down: a calmer pace sounds more confident and is easier to follow"
		default:
			rate.value = 1
			rate.strength = "Spoke at a clear, comfortable pace"
		}
		e.add(rate)
	}

	fill := criterion{cat: catCommunication, key: "fillers", weight: wFillers, value: descending(m.FillersPerMinute, fillersFull, fillersZero), turn: -1,
		strength:    "Few filler words",
		improvement: "Replace filler words with a short pause (they weigh lightly: Gong found no measurable effect on outcomes)",
		evidence:    fmt.Sprintf("%d filler words, %.1f per minute%s%s", m.FillerWords, m.FillersPerMinute, estimatedNote(m.Timed), topFillers(m.Fillers))}
	if m.RepWords == 0 {
		fill.value, fill.strength = 0, ""
	}
	e.add(fill)

	repRuns := 0
	for _, r := range t.runs {
		if r.role == domain.RoleUser {
			repRuns++
		}
	}
	conf := criterion{cat: catCommunication, key: "confidence", weight: wConfidence, turn: -1,
		strength:    "Spoke with confidence, without hedging or apologising",
		improvement: `Drop hedges and apologies ("I guess", "sorry to bother you", "just wanted to"): state your point`,
		evidence:    fmt.Sprintf("%d hedging phrases in %d turns", m.Hedges, repRuns)}
	if repRuns > 0 {
		conf.value = descending(float64(m.Hedges)/float64(repRuns), 0, 0.5)
	}
	if q, turn := t.firstHedgeQuote(); q != "" {
		conf.evidence += fmt.Sprintf(`, e.g. %q`, q)
		conf.turn, conf.quote = turn, q
	}
	e.add(conf)
}

func (t *transcript) longestMonologueQuote() (string, int) {
	best, bestWords := -1, 0
	for r, rr := range t.runs {
		if rr.role == domain.RoleUser && rr.words > bestWords {
			best, bestWords = r, rr.words
		}
	}
	if best < 0 {
		return "", -1
	}
	s0, s1 := t.runSentences(best)
	if s0 == s1 {
		return "", -1
	}
	return excerpt(t.sentences[s0].text), t.sentences[s0].turn
}

func (t *transcript) firstHedgeQuote() (string, int) {
	for si, s := range t.sentences {
		if t.rep(s.turn) && hasCue(t.sentenceHits(si), cueHedge) {
			return excerpt(s.text), s.turn
		}
	}
	return "", -1
}

func topFillers(f map[string]int) string {
	best, n := "", 0
	for w, c := range f {
		if c > n || c == n && w < best {
			best, n = w, c
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(`, most often %q (%d)`, best, n)
}

// ---- closing ----

func (e *evaluation) closing() {
	t, m := e.t, e.m
	ns := m.NextStep
	booked := criterion{cat: catClosing, key: "booked", weight: wBooked, value: b2f(ns.Booked), turn: -1,
		strength:    "Booked a concrete next step: a day and time the prospect accepted",
		improvement: `Close for a concrete day and time ("How does Tuesday at 2pm look?") and get a yes`}
	switch {
	case ns.Booked:
		booked.evidence = fmt.Sprintf("Proposed %q; the prospect answered %q", ns.Proposal, ns.Acceptance)
		booked.turn, booked.quote = ns.ProposalTurn, ns.Proposal
	case ns.Proposals > 0:
		booked.evidence = fmt.Sprintf("You proposed %q but the prospect did not accept", ns.Proposal)
		booked.turn, booked.quote = ns.ProposalTurn, ns.Proposal
	default:
		booked.evidence = "No meeting with a day and time was agreed"
	}
	e.add(booked)

	e.add(criterion{cat: catClosing, key: "proposed", weight: wProposed, value: b2f(ns.Proposals > 0 || ns.Booked), turn: -1,
		strength:    "Proposed a specific day and time",
		improvement: `Replace vague follow-ups ("let's touch base next week") with a specific day and time`,
		evidence:    fmt.Sprintf("%d concrete proposals (day and time)", ns.Proposals)})

	askEv := "You never asked for a meeting or next step"
	if ns.Asked {
		askEv = "You asked for a next step"
	}
	e.add(criterion{cat: catClosing, key: "asked", weight: wAsked, value: b2f(ns.Asked), turn: -1,
		strength: "Asked for the next step", improvement: "Ask for a next step before the call ends", evidence: askEv})

	// A recap only counts once there is a concrete next step to confirm.
	recap := criterion{cat: catClosing, key: "recap", weight: wRecap, turn: -1,
		strength:    "Confirmed the next step and what happens after the call",
		improvement: "Recap and confirm the next step: what, when, and who sends the invite",
		evidence:    "No concrete next step was agreed, so there was nothing to confirm"}
	if ns.Booked || ns.Proposals > 0 {
		recap.evidence = "No recap or confirmation of the next step"
		if rq, turn := t.recapQuote(ns); rq != "" {
			recap.value, recap.turn, recap.quote = 1, turn, rq
			recap.evidence = fmt.Sprintf("You confirmed: %q", rq)
		}
	}
	e.add(recap)
}

// recapQuote finds a rep sentence at or after the proposal that recaps or
// confirms the next step.
func (t *transcript) recapQuote(ns NextStep) (string, int) {
	for si, s := range t.sentences {
		if s.turn >= ns.ProposalTurn && t.rep(s.turn) && hasCue(t.sentenceHits(si), cueRecap) {
			return excerpt(s.text), s.turn
		}
	}
	return "", -1
}

// ---- helpers ----

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func clampScore(s int) int { return min(max(s, 0), 100) }

func pct(x float64) string { return fmt.Sprintf("%d%%", int(math.Round(x*100))) }

func fmtDuration(ms int64) string {
	s := int64(math.Round(float64(max(ms, 0)) / 1000))
	if s < 60 {
		return fmt.Sprintf("%d s", s)
	}
	return fmt.Sprintf("%d min %02d s", s/60, s%60)
}

func estimatedNote(timed bool) string {
	if timed {
		return ""
	}
	return " (estimated at 150 wpm: no timestamps)"
}

// withArticle prefixes a or an.
func withArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// plural picks the singular form for exactly one.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
