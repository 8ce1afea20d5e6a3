package rubric

import (
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// Questions: how many the rep asked, open or closed, where in the call,
// whether they built on the prospect's answers, and which discovery topics
// (pain, impact, current solution, goals, decision process, budget,
// timeline: the common ground of BANT, MEDDIC, SPIN and SPICED) they covered.

// discoveryTopics names the topic cues, in the order of the cue constants.
var discoveryTopics = [...]struct {
	cue  cue
	name string
}{
	{cueTopicPain, "pain"},
	{cueTopicImpact, "impact"},
	{cueTopicCurrent, "current_solution"},
	{cueTopicGoals, "goals"},
	{cueTopicDecision, "decision_process"},
	{cueTopicBudget, "budget"},
	{cueTopicTimeline, "timeline"},
}

// startsWithRequest reports whether a sentence is a request for information
// phrased as an imperative: "Tell me about...", "Walk me through...".
func startsWithRequest(words wordSeq) bool {
	i, n := 0, words.len()
	for i < n && i < 3 && discourseWords[words.at(i)] {
		i++
	}
	if i >= n {
		return false
	}
	next := func(k int) string {
		if i+k < n {
			return words.at(i + k)
		}
		return ""
	}
	switch words.at(i) {
	case "tell", "walk", "talk":
		return next(1) == "me"
	case "help":
		return next(1) == "me" && next(2) == "understand"
	case "describe", "explain":
		return true
	}
	return false
}

// position returns where a turn sits in the call, 0..1, by time (estimated
// from words when untimed).
func (t *transcript) position(ti int) float64 {
	span := t.durationMs - t.startMs
	if span <= 0 {
		return 0
	}
	tu := t.turns[ti]
	p := float64((tu.ts+tu.endMs)/2-t.startMs) / float64(span)
	return min(max(p, 0), 1)
}

func (t *transcript) measureQuestions(m *Metrics) {
	var topics [len(discoveryTopics)]bool
	prevRun := -1
	var content []string // content words of the prospect run before the current rep run
	for si, s := range t.sentences {
		if !s.question || !t.rep(s.turn) {
			if t.rep(s.turn) {
				m.ListeningCues += countCue(t.sentenceHits(si), cueListen)
			}
			continue
		}
		m.ListeningCues += countCue(t.sentenceHits(si), cueListen)
		m.Questions++
		if s.open {
			m.OpenQuestions++
		}
		third := min(int(t.position(s.turn)*3), 2)
		m.QuestionsByThird[third]++
		if m.FirstQuestionTurn < 0 {
			m.FirstQuestionTurn = s.turn
			if t.timed {
				m.FirstQuestionMs = t.turns[s.turn].ts
			}
		}
		for _, h := range t.sentenceHits(si) {
			if h.cue >= cueTopicPain && h.cue <= cueTopicTimeline {
				topics[h.cue-cueTopicPain] = true
			}
		}
		r := t.turns[s.turn].run
		if r != prevRun {
			prevRun = r
			content = content[:0]
			if t.answersProspect(r) {
				content = t.contentWords(r-1, content)
			}
		}
		if len(content) > 0 && t.followsUp(si, content) {
			m.FollowUpQuestions++
		}
	}
	m.ClosedQuestions = m.Questions - m.OpenQuestions
	for i, ok := range topics {
		if ok {
			m.DiscoveryTopics = append(m.DiscoveryTopics, discoveryTopics[i].name)
		}
	}
}

// answersProspect reports whether rep run r follows a prospect run and is
// past the opener: the greeting echoes the prospect's name ("Hello, Dana
// speaking." "Hi Dana, ..."), which is politeness, not a follow-up.
func (t *transcript) answersProspect(r int) bool {
	return r > 0 && t.runs[r-1].role == domain.RoleAssistant && t.repRunRank(r) > 1
}

// maxContentWords bounds the words kept from one prospect run, so a huge
// line cannot make follow-up detection quadratic.
const maxContentWords = 64

// contentWords appends run r's distinct content words (4+ bytes, not a stop word).
func (t *transcript) contentWords(r int, dst []string) []string {
	s0, s1 := t.runSentences(r)
	for s := s0; s < s1 && len(dst) < maxContentWords; s++ {
		ws := t.sentenceWords(s)
		for i := range ws.len() {
			if w := ws.at(i); ws.content(i) && !contains(dst, w) {
				dst = append(dst, w)
				if len(dst) == maxContentWords {
					break
				}
			}
		}
	}
	return dst
}

// followsUp reports whether question si, or the sentence just before it in
// the same run ("You mentioned carrier invoices. How many arrive?"), reuses a
// content word of the prospect's previous answer.
func (t *transcript) followsUp(si int, content []string) bool {
	if sharesWord(t.sentenceWords(si), content) {
		return true
	}
	return si > 0 && t.turns[t.sentences[si-1].turn].run == t.turns[t.sentences[si].turn].run &&
		sharesWord(t.sentenceWords(si-1), content)
}

// sharesWord reports whether one of the first 40 words is a content word in content.
func sharesWord(words wordSeq, content []string) bool {
	for i := range min(words.len(), 40) {
		if words.content(i) && contains(content, words.at(i)) {
			return true
		}
	}
	return false
}

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

func isContentWord(w string) bool { return len(w) >= 4 && !stopWords[w] }

// stopWords are common words that carry no topic, so sharing one is not a
// sign of listening.
var stopWords = wordSet(`
	that this with have what your you're about would could there their they them then than just like
	really know think been were will from into when where which want some more much well yeah okay sure
	right sounds good great thing things going doing does don't it's that's we're i'm also very even only
	here still because being make need call calling those these other every each most many such same
	over under again once while after before through during should shall might must can't won't didn't
	isn't aren't wasn't weren't haven't hasn't let's you've we've they're they've i've i'll you'll we'll
	it'll that'll there's here's what's who's how's where's when's why's yours ours theirs mine myself
	yourself ourselves themselves said says tell told thank thanks please maybe probably actually
	basically literally kind sort mean means help able lot lots pretty quite something anything
	everything nothing someone anyone everyone somebody anybody always never often sometimes usually
	today tomorrow yesterday week month year time times right now said get got getting gets give gave
	take took come came goes went look looking feel feels felt seem seems seemed keep kept work works
	`)

// wordSet builds a lookup set from a whitespace-separated list.
func wordSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}
