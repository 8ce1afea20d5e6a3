package rubric

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

func TestTalkShareAndCounts(t *testing.T) {
	tests := []struct {
		name                       string
		turns                      []domain.TranscriptEntry
		share                      float64
		repWords, prospectWords    int
		repTurns, prospect, exchgs int
	}{
		{name: "empty", turns: nil},
		{name: "rep only", turns: untimed("one two three"), share: 1, repWords: 3, repTurns: 1},
		{name: "counted by words, not lines", turns: untimed("one two three", "one two three four five six seven eight nine"),
			share: 0.25, repWords: 3, prospectWords: 9, repTurns: 1, prospect: 1, exchgs: 1},
		{name: "consecutive lines of one speaker are one exchange",
			turns: []domain.TranscriptEntry{rep(0, "a b"), pro(1, "c d"), pro(2, "e f"), rep(3, "g h"), pro(4, "i j")},
			share: 0.4, repWords: 4, prospectWords: 6, repTurns: 2, prospect: 3, exchgs: 2},
		{name: "contractions are one word, hyphens split", turns: untimed("don't re-check it", "we’re fine"),
			share: 0.667, repWords: 4, prospectWords: 2, repTurns: 1, prospect: 1, exchgs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(tt.turns)
			assert.InDelta(t, tt.share, m.RepTalkShare, 0.001)
			assert.Equal(t, tt.repWords, m.RepWords)
			assert.Equal(t, tt.prospectWords, m.ProspectWords)
			assert.Equal(t, tt.repTurns, m.RepTurns)
			assert.Equal(t, tt.prospect, m.ProspectTurns)
			assert.Equal(t, tt.exchgs, m.Exchanges)
			assert.Equal(t, len(tt.turns), m.Turns)
		})
	}
}

func TestQuestionsOpenAndClosed(t *testing.T) {
	tests := []struct {
		name            string
		repLine         string
		questions, open int
	}{
		{name: "open what", repLine: "What does your close look like today?", questions: 1, open: 1},
		{name: "open how after a preface", repLine: "Okay, great. So how do you handle that?", questions: 1, open: 1},
		{name: "closed yes/no", repLine: "Do you use NetSuite?", questions: 1, open: 0},
		{name: "closed which", repLine: "Which vendor is it?", questions: 1, open: 0},
		{name: "request phrased as imperative", repLine: "Tell me about your team.", questions: 1, open: 1},
		{name: "walk me through", repLine: "Walk me through your month-end close.", questions: 1, open: 1},
		{name: "two questions in one line", repLine: "Is this Dana? How have you been?", questions: 2, open: 1},
		{name: "unpunctuated speech-to-text question", repLine: "so what tools are you using right now", questions: 1, open: 1},
		{name: "typed without an apostrophe", repLine: "whats that costing you", questions: 1, open: 1},
		{name: "typed without an apostrophe, how", repLine: "hows the team holding up", questions: 1, open: 1},
		{name: "unpunctuated statement", repLine: "we help finance teams close faster", questions: 0},
		{name: "statement that mentions a question word", repLine: "I was wondering what you use.", questions: 0},
		{name: "full-width question mark", repLine: "お元気ですか？", questions: 1},
		{name: "no question", repLine: "Thanks for your time.", questions: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(untimed(tt.repLine, "Sure."))
			assert.Equal(t, tt.questions, m.Questions)
			assert.Equal(t, tt.open, m.OpenQuestions)
			assert.Equal(t, tt.questions-tt.open, m.ClosedQuestions)
		})
	}
	t.Run("the prospect's questions are not the rep's", func(t *testing.T) {
		m := ComputeMetrics(untimed("Hello.", "Who is this? What do you want?"))
		assert.Zero(t, m.Questions)
		assert.Equal(t, -1, m.FirstQuestionTurn)
		assert.Equal(t, int64(-1), m.FirstQuestionMs)
	})
}

func TestQuestionsByThirdAndFirstQuestion(t *testing.T) {
	tests := []struct {
		name      string
		turns     []domain.TranscriptEntry
		thirds    [3]int
		firstTurn int
		firstMs   int64
	}{
		{
			name: "timed, spread through the call",
			turns: []domain.TranscriptEntry{
				rep(0, "Hi, this is Sam."), pro(5_000, "Hi."), rep(10_000, "How is the close going?"), pro(20_000, "Slow."),
				rep(50_000, "What does that cost you?"), pro(60_000, "A lot."), rep(85_000, "Who else decides?"), pro(95_000, "The CFO."),
			},
			thirds: [3]int{1, 1, 1}, firstTurn: 2, firstMs: 10_000,
		},
		{
			name: "timed, front-loaded",
			turns: []domain.TranscriptEntry{
				rep(0, "How are you? What do you do? Who decides?"), pro(5_000, "Fine."), rep(60_000, "We help teams."), pro(90_000, "Okay."),
			},
			thirds: [3]int{3, 0, 0}, firstTurn: 0, firstMs: 0,
		},
		{
			name: "untimed uses the position in the words, and no milliseconds",
			turns: untimed("one two three four five six seven eight nine ten", "one two three four five six seven eight nine ten",
				"one two three four five six seven eight nine ten", "one two three four five six seven eight nine ten",
				"How is it going?", "Fine."),
			thirds: [3]int{0, 0, 1}, firstTurn: 4, firstMs: -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(tt.turns)
			assert.Equal(t, tt.thirds, m.QuestionsByThird)
			assert.Equal(t, tt.firstTurn, m.FirstQuestionTurn)
			assert.Equal(t, tt.firstMs, m.FirstQuestionMs)
		})
	}
}

func TestTimestampsAreSortedStably(t *testing.T) {
	turns := []domain.TranscriptEntry{
		pro(9_000, "Not interested."),
		rep(0, "Hi, this is Sam from Ledgerly."),
		pro(3_000, "Hello."),
		rep(6_000, "We help finance teams close faster."),
		rep(6_000, "How do you close your books today?"), // same timestamp: must stay after the line above
	}
	m := ComputeMetrics(turns)
	require.True(t, m.Timed)
	assert.Equal(t, 3, m.FirstQuestionTurn, "sorted order: rep, pro, rep(We help...), rep(How...), pro")
	assert.Equal(t, int64(6_000), m.FirstQuestionMs)
	require.Len(t, m.Objections, 1)
	assert.Equal(t, 4, m.Objections[0].Turn, "the objection comes last once sorted")
	assert.False(t, m.Objections[0].Responded, "the call ended on it")
	assert.Equal(t, 2, m.Exchanges, "runs once sorted: rep, prospect, rep+rep, prospect")
	assert.Equal(t, 13, m.LongestRepMonologueWords, "the two rep lines at 6 s form one monologue")
}

func TestTimingAndDuration(t *testing.T) {
	tests := []struct {
		name     string
		turns    []domain.TranscriptEntry
		timed    bool
		duration int64
	}{
		{name: "all zero timestamps: estimated at 150 wpm", turns: untimed("one two three four five", "six seven eight nine ten"), timed: false, duration: 4_000},
		{name: "timed: last start plus its words at 150 wpm", turns: []domain.TranscriptEntry{rep(0, "a b c"), pro(10_000, "one two three four five")}, timed: true, duration: 12_000},
		{name: "mostly duplicated timestamps are not usable", turns: []domain.TranscriptEntry{rep(0, "a"), pro(0, "b"), rep(0, "c"), pro(0, "d"), rep(5_000, "e")}, timed: false, duration: 2_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(tt.turns)
			assert.Equal(t, tt.timed, m.Timed)
			assert.Equal(t, tt.duration, m.DurationMs)
		})
	}
}

func TestMonologuesAndSpeakingRate(t *testing.T) {
	words := func(n int) string {
		s := ""
		for i := range n {
			if i > 0 {
				s += " "
			}
			s += "word"
		}
		return s
	}
	turns := []domain.TranscriptEntry{
		rep(0, words(30)),       // 30 words in 12 s = 150 wpm
		rep(12_000, words(20)),  // same run: 50 words, 0-20 s; 20 words in 8 s = 150 wpm
		pro(20_000, words(40)),  // prospect: 40 words, 20-50 s
		rep(50_000, words(10)),  // 10 words in 5 s = 120 wpm
		pro(55_000, words(5)),   //
		rep(60_000, words(4)),   // under 5 words: not used for the rate
		pro(62_000, words(100)), // longest prospect run by words, last line: 40 s estimated
	}
	m := ComputeMetrics(turns)
	require.True(t, m.Timed)
	assert.Equal(t, 50, m.LongestRepMonologueWords, "consecutive rep lines form one monologue")
	assert.Equal(t, int64(20_000), m.LongestRepMonologueMs)
	assert.Equal(t, 100, m.LongestProspectTurnWords)
	assert.Equal(t, int64(40_000), m.LongestProspectTurnMs)
	assert.InDelta(t, 150, m.SpeakingRateWpm, 0.1, "median of 150, 150, 120")

	um := ComputeMetrics(untimed(words(30), words(10)))
	assert.Zero(t, um.SpeakingRateWpm, "no rate without timestamps")
	assert.Zero(t, um.LongestRepMonologueMs)
	assert.Equal(t, 30, um.LongestRepMonologueWords)
}

func TestFillers(t *testing.T) {
	tests := []struct {
		name string
		line string
		want map[string]int
	}{
		{name: "hesitations", line: "Um, so, uh, we help teams. Umm.", want: map[string]int{"um": 1, "uh": 1, "umm": 1}},
		{name: "like as a filler", line: "It was, like, really slow.", want: map[string]int{"like": 1}},
		{name: "like as a verb or preposition", line: "I'd like to show you tools like this.", want: map[string]int{}},
		{name: "kind of as a hedge", line: "It's kind of slow and sort of broken.", want: map[string]int{"kind of": 1, "sort of": 1}},
		{name: "kind of as a noun phrase", line: "What kind of tool is that sort of thing?", want: map[string]int{}},
		{name: "you know", line: "It's, you know, slow. Do you know the CFO?", want: map[string]int{"you know": 1}},
		{name: "basically, actually, literally", line: "Basically it actually literally works.", want: map[string]int{"basically": 1, "actually": 1, "literally": 1}},
		{name: "I mean", line: "I mean, it works. That's what I mean.", want: map[string]int{"i mean": 1}},
		{name: "none", line: "We reconcile invoices automatically.", want: map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(untimed(tt.line, "Okay."))
			assert.Equal(t, tt.want, m.Fillers)
			n := 0
			for _, c := range tt.want {
				n += c
			}
			assert.Equal(t, n, m.FillerWords)
		})
	}
	t.Run("the prospect's fillers are not counted", func(t *testing.T) {
		m := ComputeMetrics(untimed("Hello.", "Um, uh, like, basically no."))
		assert.Zero(t, m.FillerWords)
	})
	t.Run("per minute uses the rep's speaking time", func(t *testing.T) {
		// 4 fillers in a rep line spoken over 60 s.
		m := ComputeMetrics([]domain.TranscriptEntry{rep(0, "Um, uh, so, um, basically we help teams."), pro(60_000, "Okay.")})
		assert.Equal(t, 4, m.FillerWords)
		assert.InDelta(t, 4.0, m.FillersPerMinute, 0.01)
	})
}

func TestHedges(t *testing.T) {
	tests := []struct {
		line string
		want int
	}{
		{"Sorry to bother you, I just wanted to ask, I guess, about your close.", 3},
		{"I was wondering if hopefully you have a minute.", 2},
		{"The reason I'm calling is simple.", 0},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			assert.Equal(t, tt.want, ComputeMetrics(untimed(tt.line, "Okay.")).Hedges)
		})
	}
}

func TestFollowUpsListeningAndTopics(t *testing.T) {
	turns := untimed(
		"How do you handle reconciliation today?",
		"We reconcile carrier invoices by hand in spreadsheets.",
		"You mentioned carrier invoices. How many arrive each week?", // follow-up + listening cue
		"A few thousand.",
		"What's your budget and timeline, and who else signs off?", // budget, timeline, decision; no shared content word
		"The CFO.",
		"Is that right?", // listening cue, shares nothing
		"Yes.",
	)
	m := ComputeMetrics(turns)
	assert.Equal(t, 1, m.FollowUpQuestions)
	assert.Equal(t, 2, m.ListeningCues)
	assert.Equal(t, []string{"impact", "current_solution", "decision_process", "budget", "timeline"}, m.DiscoveryTopics)

	none := ComputeMetrics(untimed("Hello there.", "Hi."))
	assert.Equal(t, []string{}, none.DiscoveryTopics, "never nil, so JSON shows []")
	assert.NotNil(t, none.Objections)
	assert.NotNil(t, none.Fillers)
}

func TestSortIsStableOnLongTranscripts(t *testing.T) {
	// 60 lines, timestamps out of order with many ties: after sorting, lines
	// with the same timestamp must keep their input order.
	var turns []domain.TranscriptEntry
	for i := range 60 {
		ts := int64((i*37)%20) * 1000
		turns = append(turns, rep(ts, fmt.Sprintf("line %d", i)))
	}
	tr := analyze(turns)
	require.Len(t, tr.turns, 60)
	prevTs, prevIdx := int64(-1), -1
	for _, tu := range tr.turns {
		var idx int
		_, err := fmt.Sscanf(tu.content, "line %d", &idx)
		require.NoError(t, err)
		require.GreaterOrEqual(t, tu.at, prevTs, "sorted by timestamp")
		if tu.at == prevTs {
			assert.Greater(t, idx, prevIdx, "equal timestamps keep input order")
		}
		prevTs, prevIdx = tu.at, idx
	}
}
