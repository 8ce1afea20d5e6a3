package rubric

import "github.com/sparrow-coach/sparrow/domain"

// RubricVersion identifies the rules that produced a score, so stored scores
// can be compared only with scores from the same rules.
const RubricVersion = "rubric-2026.11"

// Input is what the scorer needs. Persona is optional: when given, its
// hidden pains are checked against what the prospect revealed.
type Input struct {
	Mode    domain.Mode
	Turns   []domain.TranscriptEntry
	Persona *domain.PersonaProfile
}

// CategoryScores are the five spec §11 categories, each 0..100.
type CategoryScores struct {
	Opening           int `json:"opening"`
	Discovery         int `json:"discovery"`
	ObjectionHandling int `json:"objectionHandling"`
	Communication     int `json:"communication"`
	Closing           int `json:"closing"`
}

// Result is the deep score of one call.
type Result struct {
	// Mode is the mode the call was judged as (an unknown mode is judged as a cold call).
	Mode          domain.Mode    `json:"mode"`
	RubricVersion string         `json:"rubricVersion"`
	Overall       int            `json:"overallScore"`
	Categories    CategoryScores `json:"categoryScores"`
	// Strengths and Improvements hold 3 to 5 items each.
	Strengths    []Insight   `json:"strengths"`
	Improvements []Insight   `json:"improvements"`
	KeyMoments   []KeyMoment `json:"keyMoments"`
	Summary      string      `json:"summary"`
	Metrics      Metrics     `json:"metrics"`
}

// QuickResult is the fast score shown right after a call.
type QuickResult struct {
	Overall int    `json:"overallScore"`
	Summary string `json:"summary"`
}

// Overall combines category scores with the spec §11 weights: 20% opening,
// 25% discovery, 25% objection handling, 15% communication, 15% closing,
// rounded half up. Inputs are clamped to 0..100 first.
func Overall(opening, discovery, objection, communication, closing int) int {
	sum := weightOpening*clampScore(opening) + weightDiscovery*clampScore(discovery) + weightObjection*clampScore(objection) +
		weightCommunication*clampScore(communication) + weightClosing*clampScore(closing)
	return (sum + 50) / 100
}

// Score judges a call in depth. It never fails; see the package invariants.
func Score(in Input) Result {
	t := analyze(in.Turns)
	m := t.metrics()
	e := evaluate(in.Mode, t, &m, in.Persona)
	strengths, improvements := e.insights()
	return Result{
		Mode:          e.mode,
		RubricVersion: RubricVersion,
		Overall:       e.overall,
		Categories: CategoryScores{
			Opening:           e.scores[catOpening],
			Discovery:         e.scores[catDiscovery],
			ObjectionHandling: e.scores[catObjection],
			Communication:     e.scores[catCommunication],
			Closing:           e.scores[catClosing],
		},
		Strengths:    strengths,
		Improvements: improvements,
		KeyMoments:   VerifyQuotes(e.keyMoments(), in.Turns),
		Summary:      e.summary(),
		Metrics:      m,
	}
}

// Quick returns the overall score and a one-sentence summary. It runs the
// same measurement and category rules as Score and skips the feedback, so
// its overall score always equals Score's for the same input.
func Quick(in Input) QuickResult {
	t := analyze(in.Turns)
	m := t.metrics()
	e := evaluate(in.Mode, t, &m, in.Persona)
	return QuickResult{Overall: e.overall, Summary: e.summary()}
}
