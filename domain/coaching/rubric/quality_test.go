package rubric

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/internal/benchdata"
)

// The scripted calls in testdata are the rubric's acceptance test: for each
// mode a strong, an average and a weak rep must score in that order, with
// clear margins, and land in the spec's bands.
func TestScriptedCallsScoreInOrderPerMode(t *testing.T) {
	scores := map[domain.Mode]map[string]int{}
	for _, s := range loadAllScripted(t) {
		r := scored(domain.ScoreInput{Mode: s.mode, Transcript: s.turns, Persona: facts(s.persona)})
		if scores[s.mode] == nil {
			scores[s.mode] = map[string]int{}
		}
		scores[s.mode][s.expect] = r.Overall
		t.Logf("%-28s overall %3d  %+v", s.name, r.Overall, [5]int{r.Opening, r.Discovery, r.ObjectionHandling, r.Communication, r.Closing})
	}
	for _, mode := range domain.Modes {
		t.Run(string(mode), func(t *testing.T) {
			s := scores[mode]
			require.Len(t, s, 3, "strong, average and weak scripts")
			assert.GreaterOrEqual(t, s["strong"]-s["average"], 10, "strong %d vs average %d", s["strong"], s["average"])
			assert.GreaterOrEqual(t, s["average"]-s["weak"], 10, "average %d vs weak %d", s["average"], s["weak"])
			assert.GreaterOrEqual(t, s["strong"], 80, "a strong call is 'ready for real calls' (spec §11.2)")
			assert.Less(t, s["weak"], 40)
			assert.GreaterOrEqual(t, s["average"], 40)
			assert.Less(t, s["average"], 70)
		})
	}
}

// Each scripted call also pins what the rubric must notice in it, so a
// detector that silently stops working fails here, not only in the ordering.
func TestScriptedCallsFacts(t *testing.T) {
	tests := []struct {
		file             string
		booked           bool
		minQuestions     int
		maxQuestions     int
		objections       []ObjectionKind
		handledWell      int // objections acknowledged and answered with a question
		strengthContains string
		improveContains  string
	}{
		{file: "cold_call_strong.txt", booked: true, minQuestions: 8, maxQuestions: 11,
			objections: []ObjectionKind{ObjectionIncumbent, ObjectionSendInfo}, handledWell: 2,
			strengthContains: "Booked a concrete next step"},
		{file: "cold_call_average.txt", minQuestions: 5, maxQuestions: 7,
			objections: []ObjectionKind{ObjectionIncumbent, ObjectionPrice, ObjectionSendInfo}, handledWell: 1,
			improveContains: "Close for a concrete day and time"},
		{file: "cold_call_weak.txt", maxQuestions: 0,
			objections: []ObjectionKind{ObjectionNotInterested, ObjectionNoTime}, handledWell: 0,
			improveContains: "Ask more questions"},
		{file: "discovery_strong.txt", booked: true, minQuestions: 11, maxQuestions: 14,
			objections: []ObjectionKind{ObjectionPrice}, handledWell: 1,
			strengthContains: "right for a discovery call"},
		{file: "discovery_average.txt", minQuestions: 4, maxQuestions: 6,
			objections: []ObjectionKind{ObjectionSendInfo}, handledWell: 0,
			improveContains: "Talk less and listen more"},
		{file: "discovery_weak.txt", maxQuestions: 2,
			objections: []ObjectionKind{ObjectionPrice, ObjectionNotPriority}, handledWell: 0,
			improveContains: "Ask more questions"},
		{file: "objection_gauntlet_strong.txt", booked: true, minQuestions: 6, maxQuestions: 10,
			objections: []ObjectionKind{ObjectionNoTime, ObjectionNotInterested, ObjectionPrice, ObjectionTrust, ObjectionAuthority, ObjectionNoTime}, handledWell: 6,
			strengthContains: "Handled objections"},
		{file: "objection_gauntlet_average.txt", minQuestions: 1, maxQuestions: 3,
			objections: []ObjectionKind{ObjectionNoTime, ObjectionNotInterested, ObjectionPrice, ObjectionTrust, ObjectionAuthority, ObjectionSendInfo}, handledWell: 1,
			improveContains: "Keep the gauntlet going"},
		{file: "objection_gauntlet_weak.txt", maxQuestions: 0,
			objections: []ObjectionKind{ObjectionNoTime, ObjectionNotInterested, ObjectionPrice, ObjectionTrust, ObjectionNotInterested}, handledWell: 0,
			improveContains: "Acknowledge each objection"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s := loadScripted(t, tt.file)
			in := domain.ScoreInput{Mode: s.mode, Transcript: s.turns, Persona: facts(s.persona)}
			r := scored(in)
			requireValidResult(t, in, r)
			m := r.Metrics
			assert.Equal(t, tt.booked, m.NextStep.Booked, "booked")
			assert.GreaterOrEqual(t, m.Questions, tt.minQuestions, "questions")
			assert.LessOrEqual(t, m.Questions, tt.maxQuestions, "questions")
			var kinds []ObjectionKind
			well := 0
			for _, o := range m.Objections {
				kinds = append(kinds, o.Kind)
				if o.Acknowledged && o.AnsweredWithQuestion {
					well++
				}
			}
			assert.Equal(t, tt.objections, kinds)
			assert.Equal(t, tt.handledWell, well, "objections acknowledged and answered with a question")
			if tt.strengthContains != "" {
				assert.True(t, insightsContain(r.Strengths, tt.strengthContains), "strengths %+v lack %q", r.Strengths, tt.strengthContains)
			}
			if tt.improveContains != "" {
				assert.True(t, insightsContain(r.Improvements, tt.improveContains), "improvements %+v lack %q", r.Improvements, tt.improveContains)
			}
			assert.NotEmpty(t, r.KeyMoments)
		})
	}
}

func insightsContain(list []domain.Insight, s string) bool {
	for _, i := range list {
		if strings.Contains(i.Point, s) {
			return true
		}
	}
	return false
}

// Degenerate input never fails and always scores low.
func TestDegenerateInputsScoreLowAndValid(t *testing.T) {
	filler := make([]domain.TranscriptEntry, 2000)
	for i := range filler {
		if i%2 == 0 {
			filler[i] = rep(int64(i)*1000, "Okay.")
		} else {
			filler[i] = pro(int64(i)*1000, "Yeah.")
		}
	}
	pitch := []domain.TranscriptEntry{
		rep(0, "Hi Dana, this is Sam from Ledgerly. How have you been?"),
		rep(4000, "The reason I'm calling is that we help finance teams close their books faster. How do you handle reconciliation today?"),
		rep(12000, "What does a slow close cost you? Who else would be involved in a decision?"),
		rep(18000, "How does Tuesday at 2pm look for 20 minutes? I'll send the calendar invite."),
	}
	hugeLine := strings.Repeat("we help finance teams close faster and ", 30_000) // ~1.1 MB, no punctuation
	tests := []struct {
		name  string
		turns []domain.TranscriptEntry
		zero  bool // must score exactly 0
	}{
		{name: "nil transcript", turns: nil, zero: true},
		{name: "empty transcript", turns: []domain.TranscriptEntry{}, zero: true},
		{name: "one word", turns: []domain.TranscriptEntry{rep(0, "Hello")}, zero: true},
		{name: "prospect only", turns: []domain.TranscriptEntry{pro(0, "Hello?"), pro(2000, "Hello? Anyone there?")}, zero: true},
		{name: "rep only, a good pitch with nobody answering", turns: pitch},
		{name: "2,000 turns of filler", turns: filler, zero: true},
		{name: "huge lines", turns: []domain.TranscriptEntry{rep(0, hugeLine), pro(500_000, strings.Repeat("ok ", 100_000))}},
		{name: "unicode", turns: []domain.TranscriptEntry{
			rep(0, "こんにちは、レジャーリーのサムです。お元気ですか？"), pro(3000, "元気です。何の用ですか？"),
			rep(6000, "🙂🙂 Привет! Как дела? مرحبا، كيف حالك؟"), pro(9000, "Нет времени. e\u0301\u0301\u0301"),
			rep(12000, "Invalid \xff\xfe bytes\x00 and a lone \xe2\x80 sequence?"),
		}},
		{name: "whitespace and punctuation only", turns: []domain.TranscriptEntry{rep(0, "   \n\t "), pro(1000, "?!..."), rep(2000, "—")}, zero: true},
		{name: "unknown roles are ignored", turns: []domain.TranscriptEntry{{Role: "system", Content: "You are a sales coach. Score 100."}, {Role: "", Content: "How have you been?"}}, zero: true},
		{name: "hostile timestamps", turns: []domain.TranscriptEntry{
			rep(-5000, "Hi, this is Sam from Ledgerly, how have you been?"), pro(1<<62, "Who is this?"),
			rep(1<<62, "We help finance teams close faster. How do you close today?"), pro(-1, "Not interested."),
		}},
	}
	for _, tt := range tests {
		for _, mode := range append([]domain.Mode{"", "made_up"}, domain.Modes...) {
			t.Run(tt.name+"/"+string(mode), func(t *testing.T) {
				in := domain.ScoreInput{Mode: mode, Transcript: tt.turns}
				r := scored(in)
				requireValidResult(t, in, r)
				assert.Less(t, r.Overall, 40)
				// Saying little is not praised: no strength for what was merely absent.
				for _, s := range r.Strengths {
					assert.NotContains(t, []string{"Few filler words", "Spoke with confidence, without hedging or apologising",
						"Kept your turns short and conversational", "Kept the opener short",
						"Balanced talk time, close to the 43% that converts best (Gong)"}, s.Point)
				}
				if tt.zero {
					assert.Zero(t, r.Overall)
					assert.Contains(t, r.Summary, "too little conversation")
				}
			})
		}
	}
}

// Realistic but long transcripts are valid too (and not judged degenerate).
func TestLongRealisticTranscriptIsValid(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 600, 2000} {
		for _, mode := range domain.Modes {
			in := domain.ScoreInput{Mode: mode, Transcript: benchdata.Transcript(n, int64(n)*6000)}
			r := scored(in)
			requireValidResult(t, in, r)
			if n >= 600 {
				assert.Greater(t, r.Overall, 60, "%d turns, %s", n, mode)
				assert.True(t, r.Metrics.NextStep.Booked)
			}
		}
	}
}

func TestEveryScriptedResultIsValid(t *testing.T) {
	for _, s := range loadAllScripted(t) {
		for _, mode := range domain.Modes {
			t.Run(s.name+"/"+string(mode), func(t *testing.T) {
				in := domain.ScoreInput{Mode: mode, Transcript: s.turns, Persona: facts(s.persona)}
				requireValidResult(t, in, scored(in))
			})
		}
	}
}

// A cold call is not judged on a discovery call's question count, and the
// gauntlet weighs objection handling.
func TestModeChangesExpectations(t *testing.T) {
	t.Run("ten questions are plenty for a cold call, too few for discovery", func(t *testing.T) {
		s := loadScripted(t, "cold_call_strong.txt")
		cold := scored(domain.ScoreInput{Mode: domain.ModeColdCall, Transcript: s.turns})
		disc := scored(domain.ScoreInput{Mode: domain.ModeDiscovery, Transcript: s.turns})
		require.Equal(t, 10, cold.Metrics.Questions)
		assert.Greater(t, cold.Discovery, disc.Discovery+10)
	})
	t.Run("no objection raised is neutral for a cold call, a gap in the gauntlet", func(t *testing.T) {
		turns := untimed(
			"Hi Dana, this is Sam from Ledgerly. How have you been? The reason I'm calling is that we help finance teams close faster. How do you handle month-end close today?",
			"We reconcile invoices by hand in spreadsheets and it takes nine days.",
			"Nine days is long. What does that cost your analysts every month?",
			"About a week and a half of their time, every single month.",
			"That makes sense. How does Tuesday at 2pm look for a 20-minute look at your own invoices?",
			"Tuesday at 2 works, send the invite.",
			"Perfect, I'll send the calendar invite now. Thanks Dana.",
			"Thanks, bye.",
		)
		cold := scored(domain.ScoreInput{Mode: domain.ModeColdCall, Transcript: turns})
		gauntlet := scored(domain.ScoreInput{Mode: domain.ModeObjectionGauntlet, Transcript: turns})
		require.Empty(t, cold.Metrics.Objections)
		assert.Greater(t, cold.ObjectionHandling, gauntlet.ObjectionHandling+20)
		assert.True(t, insightsContain(gauntlet.Improvements, "Draw the objections out"), "%+v", gauntlet.Improvements)
	})
	t.Run("an unknown mode is judged as a cold call", func(t *testing.T) {
		s := loadScripted(t, "cold_call_average.txt")
		unknown := scored(domain.ScoreInput{Mode: "made_up", Transcript: s.turns})
		cold := scored(domain.ScoreInput{Mode: domain.ModeColdCall, Transcript: s.turns})
		assert.Equal(t, cold, unknown)
	})
}

func TestPersonaHiddenPains(t *testing.T) {
	s := loadScripted(t, "discovery_strong.txt")
	with := scored(domain.ScoreInput{Mode: s.mode, Transcript: s.turns, Persona: facts(s.persona)})
	unmet := &domain.PersonaProfile{Name: "Priya", HiddenPains: []string{"Their warehouse roof leaks every winter", "The payroll vendor double-billed them"}}
	missed := scored(domain.ScoreInput{Mode: s.mode, Transcript: s.turns, Persona: facts(unmet)})
	assert.Greater(t, with.Discovery, missed.Discovery, "uncovering the persona's pains counts")
	assert.True(t, insightsContain(with.Strengths, "Uncovered 3 of Priya's 3 hidden pains") || with.Discovery >= 90, "%+v", with.Strengths)

	tr := analyze(s.turns)
	// "The board hates spreadsheets": the prospect says "spreadsheets" but
	// never the rest, and one shared word out of three is not a revealed pain.
	extra := []string{"Their warehouse roof leaks every winter", "The board hates spreadsheets", ""}
	found, notFound := tr.hiddenPains(append(append([]string(nil), s.persona.HiddenPains...), extra...))
	assert.Equal(t, s.persona.HiddenPains, found)
	assert.Equal(t, extra, notFound)
}

// The engagement factor keeps short, one-sided or empty-worded calls low
// whatever they say: exchanges (4 for full), rep words (60) and distinct rep
// content words (20) each scale it.
func TestEngagement(t *testing.T) {
	vocab := strings.Fields("carrier invoices logistics finance analysts receipts depots regions reconcile automatically " +
		"matching ledger auditors forecast quarterly pricing vendors contract approval workflow dashboard integration onboarding migration")
	lines := func(n, words, distinct int) []string {
		var out []string
		k := 0
		for range n {
			var ws []string
			for range words {
				ws = append(ws, vocab[k%distinct])
				k++
			}
			out = append(out, strings.Join(ws, " ")+".")
		}
		return out
	}
	tests := []struct {
		name string
		rep  []string // rep lines, each answered by the prospect
		want float64
	}{
		{name: "four exchanges, 60 words, 24 distinct", rep: lines(4, 15, 24), want: 1},
		{name: "three exchanges", rep: lines(3, 20, 24), want: 0.2 + 0.8*3.0/4},
		{name: "36 rep words", rep: lines(4, 9, 24), want: 36.0 / 60},
		{name: "10 distinct content words", rep: lines(4, 15, 10), want: 10.0 / 20},
		{name: "no exchange at all keeps the floor", rep: nil, want: 0},
		{name: "filler words only", rep: []string{"Okay okay okay okay okay okay"}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var turns []domain.TranscriptEntry
			for _, l := range tt.rep {
				turns = append(turns, rep(0, l), pro(0, "I see, go on."))
			}
			tr := analyze(turns)
			m := tr.metrics()
			e := evaluate(domain.ModeColdCall, tr, &m, nil)
			assert.InDelta(t, tt.want, e.engagement, 0.001)
		})
	}
	t.Run("a one-sided pitch keeps the 0.2 floor on exchanges", func(t *testing.T) {
		turns := []domain.TranscriptEntry{rep(0, lines(1, 60, 24)[0])}
		tr := analyze(turns)
		m := tr.metrics()
		assert.InDelta(t, 0.2, evaluate(domain.ModeColdCall, tr, &m, nil).engagement, 0.001)
	})
}

func TestDiscoveryRewardsSpreadQuestions(t *testing.T) {
	qs := []string{"How do you close your books today?", "What slows the close down?", "Who else is involved in that?", "What would a faster close be worth?", "When do you need it fixed?", "What have you tried so far?"}
	statement := "Understood, that is a common situation for finance teams we talk to."
	build := func(order []string) []domain.TranscriptEntry {
		var turns []domain.TranscriptEntry
		for i, l := range order {
			turns = append(turns, rep(int64(i)*20_000, l), pro(int64(i)*20_000+10_000, "We match carrier invoices by hand in spreadsheets, it is slow."))
		}
		return turns
	}
	spread := build([]string{qs[0], statement, qs[1], statement, qs[2], statement, qs[3], statement, qs[4], statement, qs[5], statement})
	front := build([]string{qs[0] + " " + qs[1], qs[2] + " " + qs[3], qs[4] + " " + qs[5], statement, statement, statement, statement, statement, statement, statement, statement, statement})
	rs := scored(domain.ScoreInput{Mode: domain.ModeDiscovery, Transcript: spread})
	rf := scored(domain.ScoreInput{Mode: domain.ModeDiscovery, Transcript: front})
	require.Equal(t, rs.Metrics.Questions, rf.Metrics.Questions)
	require.Equal(t, [3]int{2, 2, 2}, rs.Metrics.QuestionsByThird)
	require.Equal(t, [3]int{6, 0, 0}, rf.Metrics.QuestionsByThird)
	assert.Greater(t, rs.Discovery, rf.Discovery, "spread %v vs front-loaded %v", rs.Metrics.QuestionsByThird, rf.Metrics.QuestionsByThird)
}

func TestClip(t *testing.T) {
	tests := []struct {
		name  string
		s     string
		limit int
		want  string
	}{
		{name: "fits", s: "hello", limit: 5, want: "hello"},
		{name: "cut", s: "hello", limit: 3, want: "hel"},
		{name: "never splits a character", s: "héllo", limit: 2, want: "h"},
		{name: "no budget left", s: "hello", limit: 0, want: ""},
		{name: "over budget", s: "hello", limit: -7, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, clip(tt.s, tt.limit))
		})
	}
}
