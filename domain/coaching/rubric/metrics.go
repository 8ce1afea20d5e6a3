package rubric

import (
	"math"
	"slices"

	"github.com/sparrow-coach/sparrow/domain"
)

// Metrics are the measurable facts of a call, computed from the transcript
// alone. They are shown to users as `metrics`, next to the scores they feed.
//
// Roles: "user" is the rep, "assistant" the prospect. Turns are sorted stably
// by TimestampMs. Consecutive lines by one speaker form one "run" (a
// monologue split into several lines by speech-to-text).
//
// Time: when Timed is false (timestamps all zero or mostly equal), durations
// are estimated from words at 150 words per minute, millisecond fields that
// only a clock could give (FirstQuestionMs, Longest...Ms, SpeakingRateWpm)
// are -1 or 0 as documented, and FillersPerMinute uses the estimate.
type Metrics struct {
	// Timed says whether the timestamps were usable for timing.
	Timed bool `json:"timed"`
	// DurationMs is the call's length: last turn's start plus its estimated
	// speaking time when Timed, otherwise all words at 150 wpm.
	DurationMs int64 `json:"durationMs"`

	Turns         int `json:"turns"`
	RepTurns      int `json:"repTurns"`
	ProspectTurns int `json:"prospectTurns"`
	// Exchanges counts prospect runs that answer a rep run: back-and-forths.
	Exchanges     int `json:"exchanges"`
	RepWords      int `json:"repWords"`
	ProspectWords int `json:"prospectWords"`
	// RepTalkShare is the rep's share of all words, 0..1 (0 when nobody spoke).
	RepTalkShare float64 `json:"repTalkShare"`

	// Questions asked by the rep: sentences ending in "?", unpunctuated
	// sentences that open like a question, and requests such as "tell me about...".
	Questions       int `json:"questions"`
	OpenQuestions   int `json:"openQuestions"`
	ClosedQuestions int `json:"closedQuestions"`
	// QuestionsByThird counts questions in the first, middle and last third of
	// the call (by time, or by position in the words when untimed).
	QuestionsByThird [3]int `json:"questionsByThird"`
	// FollowUpQuestions are questions that reuse a content word from the
	// prospect's previous answer: a sign of listening.
	FollowUpQuestions int `json:"followUpQuestions"`
	// ListeningCues counts phrases such as "it sounds like", "you mentioned", "tell me more".
	ListeningCues int `json:"listeningCues"`
	// DiscoveryTopics lists the topics the rep's questions covered, in a fixed
	// order: pain, impact, current_solution, goals, decision_process, budget, timeline.
	DiscoveryTopics []string `json:"discoveryTopics"`
	// FirstQuestionTurn is the index (in time order) of the turn holding the
	// rep's first question, -1 when the rep asked none.
	FirstQuestionTurn int `json:"firstQuestionTurn"`
	// FirstQuestionMs is that turn's timestamp, -1 when there is no question or no timing.
	FirstQuestionMs int64 `json:"firstQuestionMs"`

	// LongestRepMonologueWords is the most words in one rep run;
	// LongestRepMonologueMs the longest rep run in time (0 when untimed).
	LongestRepMonologueWords int   `json:"longestRepMonologueWords"`
	LongestRepMonologueMs    int64 `json:"longestRepMonologueMs"`
	// LongestProspectTurnWords / Ms: the same for the prospect (their longest "story").
	LongestProspectTurnWords int   `json:"longestProspectTurnWords"`
	LongestProspectTurnMs    int64 `json:"longestProspectTurnMs"`

	// SpeakingRateWpm is the median rep words per minute over rep lines of at
	// least 5 words, measured up to the next line's start; 0 when untimed.
	SpeakingRateWpm float64 `json:"speakingRateWpm"`
	// FillerWords counts the rep's fillers (um, uh, like, you know, basically,
	// actually, sort of, kind of, ...), with context checks ("what kind of
	// tool" is not a filler); Fillers breaks them down by word.
	FillerWords      int            `json:"fillerWords"`
	FillersPerMinute float64        `json:"fillersPerMinute"`
	Fillers          map[string]int `json:"fillers"`
	// Hedges counts confidence-draining phrases: "I guess", "sorry to bother you", "just wanted to".
	Hedges int `json:"hedges"`

	// Objections raised by the prospect, one per prospect run, in call order.
	Objections                     []Objection `json:"objections"`
	ObjectionsAcknowledged         int         `json:"objectionsAcknowledged"`
	ObjectionsAnsweredWithQuestion int         `json:"objectionsAnsweredWithQuestion"`

	NextStep NextStep `json:"nextStep"`
}

// ComputeMetrics measures a transcript. It never fails: empty or odd input
// gives zero counts.
func ComputeMetrics(turns []domain.TranscriptEntry) Metrics {
	return analyze(turns).metrics()
}

func (t *transcript) metrics() Metrics {
	m := Metrics{
		Timed:             t.timed,
		DurationMs:        t.durationMs,
		Turns:             len(t.turns),
		RepWords:          t.repWords,
		ProspectWords:     t.prospectWords,
		FirstQuestionTurn: -1,
		FirstQuestionMs:   -1,
		Fillers:           map[string]int{},
		DiscoveryTopics:   []string{},
	}
	for _, tu := range t.turns {
		if tu.role == domain.RoleUser {
			m.RepTurns++
		} else {
			m.ProspectTurns++
		}
	}
	for i := 1; i < len(t.runs); i++ {
		if t.runs[i].role == domain.RoleAssistant && t.runs[i-1].role == domain.RoleUser {
			m.Exchanges++
		}
	}
	if all := t.repWords + t.prospectWords; all > 0 {
		m.RepTalkShare = round3(float64(t.repWords) / float64(all))
	}
	t.measureQuestions(&m)
	t.measureMonologues(&m)
	t.measureDelivery(&m)
	m.Objections = t.findObjections()
	for _, o := range m.Objections {
		if o.Acknowledged {
			m.ObjectionsAcknowledged++
		}
		if o.AnsweredWithQuestion {
			m.ObjectionsAnsweredWithQuestion++
		}
	}
	m.NextStep = t.findNextStep()
	return m
}

func (t *transcript) measureMonologues(m *Metrics) {
	for _, r := range t.runs {
		d := r.endMs - r.startMs
		if r.role == domain.RoleUser {
			m.LongestRepMonologueWords = max(m.LongestRepMonologueWords, r.words)
			if t.timed {
				m.LongestRepMonologueMs = max(m.LongestRepMonologueMs, d)
			}
		} else {
			m.LongestProspectTurnWords = max(m.LongestProspectTurnWords, r.words)
			if t.timed {
				m.LongestProspectTurnMs = max(m.LongestProspectTurnMs, d)
			}
		}
	}
}

// measureDelivery fills speaking rate, fillers and hedges.
func (t *transcript) measureDelivery(m *Metrics) {
	var rates []float64
	var repMs int64
	for i, tu := range t.turns {
		if tu.role != domain.RoleUser {
			continue
		}
		d := tu.endMs - tu.ts
		repMs += d
		if t.timed && i+1 < len(t.turns) && tu.words >= 5 && d > 0 {
			rates = append(rates, float64(tu.words)*60_000/float64(d))
		}
		for s := tu.s0; s < tu.s1; s++ {
			for _, h := range t.sentenceHits(s) {
				switch h.cue {
				case cueFiller:
					if t.isFiller(s, h) {
						m.FillerWords++
						m.Fillers[lexiconPhrases[h.ph]]++
					}
				case cueHedge:
					m.Hedges++
				}
			}
		}
	}
	if len(rates) > 0 {
		slices.Sort(rates)
		med := rates[len(rates)/2]
		if len(rates)%2 == 0 {
			med = (rates[len(rates)/2-1] + med) / 2
		}
		m.SpeakingRateWpm = round1(med)
	}
	if m.FillerWords > 0 {
		minutes := max(float64(repMs)/60_000, 1.0/6) // at least 10 s, so one "um" is not 100/min
		m.FillersPerMinute = round1(float64(m.FillerWords) / minutes)
	}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
