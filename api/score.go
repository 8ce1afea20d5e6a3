package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/domain"
)

// Score is a call's score: the quick part given when the call ended and the
// deep analysis, with Status saying where the deep analysis stands for the
// call's current transcript.
type Score struct {
	CallID string `json:"callId"`
	// Status of the deep analysis: "pending" (not yet, or the transcript grew
	// since), "ready" or "failed".
	Status string `json:"status"`
	// OverallScore is the deep overall score when there is one, else the quick one.
	OverallScore *int       `json:"overallScore"`
	Quick        *QuickPart `json:"quick"`
	Deep         *DeepScore `json:"deep"`
	DeepError    *string    `json:"deepError"`
	// TranscriptVersion is how many transcript lines the call has now.
	TranscriptVersion int        `json:"transcriptVersion"`
	CreatedAt         *time.Time `json:"createdAt"`
	UpdatedAt         *time.Time `json:"updatedAt"`
}

// QuickPart is the quick score with where it came from.
type QuickPart struct {
	Overall           int    `json:"overall"`
	Summary           string `json:"summary"`
	Provider          string `json:"provider"`
	Model             string `json:"model"`
	TranscriptVersion *int   `json:"transcriptVersion"`
}

// DeepScore is the full analysis (spec §7.3 Score, with the evidence behind
// each strength and improvement).
type DeepScore struct {
	OverallScore       int             `json:"overallScore"`
	OpeningScore       int             `json:"openingScore"`
	DiscoveryScore     int             `json:"discoveryScore"`
	ObjectionScore     int             `json:"objectionScore"`
	CommunicationScore int             `json:"communicationScore"`
	ClosingScore       int             `json:"closingScore"`
	Strengths          []Insight       `json:"strengths"`
	Improvements       []Insight       `json:"improvements"`
	KeyMoments         []KeyMoment     `json:"keyMoments"`
	Summary            string          `json:"summary"`
	Metrics            json.RawMessage `json:"metrics"`
	Provider           string          `json:"provider"`
	Model              string          `json:"model"`
	RubricVersion      string          `json:"rubricVersion"`
	TranscriptVersion  int             `json:"transcriptVersion"`
}

// Insight is a strength or an improvement with its evidence.
type Insight struct {
	Point    string `json:"point"`
	Evidence string `json:"evidence"`
}

// KeyMoment points at a verbatim quote of the transcript (spec §7.3).
type KeyMoment struct {
	// Timestamp is the line's timestampMs.
	Timestamp   int64  `json:"timestamp"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Quote       string `json:"quote"`
}

func insightsOf(in []domain.Insight) []Insight {
	out := make([]Insight, 0, len(in))
	for _, i := range in {
		out = append(out, Insight{Point: i.Point, Evidence: i.Evidence})
	}
	return out
}

func keyMomentsOf(in []domain.KeyMoment) []KeyMoment {
	out := make([]KeyMoment, 0, len(in))
	for _, k := range in {
		out = append(out, KeyMoment{Timestamp: k.TimestampMs, Type: string(k.Type), Description: k.Description, Quote: k.Quote})
	}
	return out
}

func deepScoreOf(d *domain.CallDeepScored) *DeepScore {
	metrics := d.Metrics
	if len(metrics) == 0 {
		metrics = json.RawMessage("null")
	}
	return &DeepScore{OverallScore: d.Overall, OpeningScore: d.Opening, DiscoveryScore: d.Discovery,
		ObjectionScore: d.ObjectionHandling, CommunicationScore: d.Communication, ClosingScore: d.Closing,
		Strengths: insightsOf(d.Strengths), Improvements: insightsOf(d.Improvements), KeyMoments: keyMomentsOf(d.KeyMoments),
		Summary: d.Summary, Metrics: metrics, Provider: d.Provider, Model: d.Model, RubricVersion: d.RubricVersion,
		TranscriptVersion: d.TranscriptVersion}
}

func (s *Server) handleScoreGet(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.app.Score(c.Request().Context(), userID(c), id)
	if err != nil {
		return err
	}
	out := Score{CallID: v.CallID, Status: v.DeepStatus, OverallScore: v.Overall, DeepError: v.DeepError,
		TranscriptVersion: v.TranscriptVersion, CreatedAt: utcPtr(v.CreatedAt), UpdatedAt: utcPtr(v.UpdatedAt)}
	if q := v.Quick; q != nil {
		out.Quick = &QuickPart{Overall: q.Overall, Summary: q.Summary, Provider: q.Provider, Model: q.Model, TranscriptVersion: v.QuickTranscript}
	}
	if v.Deep != nil {
		out.Deep = deepScoreOf(v.Deep)
	}
	return c.JSON(http.StatusOK, out)
}
