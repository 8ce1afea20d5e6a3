package domain

import (
	"encoding/json"
	"time"
)

// Events of the Call stream (one stream per call; the stream id is the call id).

// CallCreated opens a call's stream.
type CallCreated struct {
	UserID string `json:"userId"`
	// PersonaID is the prospect persona; "" only for an imported call held with someone outside Sparrow.
	PersonaID string `json:"personaId"`
	Mode      Mode   `json:"mode"`
	// Imported marks a call held elsewhere and imported from its transcript (see Call.Import).
	Imported bool `json:"imported,omitempty"`
}

// CallStarted: the conversation began (pending -> in_progress).
type CallStarted struct {
	StartedAt                time.Time `json:"startedAt"`
	ElevenlabsConversationID string    `json:"elevenlabsConversationId,omitempty"`
}

// CallConversationLinked: the client reported the voice conversation id after the start.
type CallConversationLinked struct {
	ElevenlabsConversationID string `json:"elevenlabsConversationId"`
}

// TranscriptChunkAdded records one transcript line. Chunks may arrive after
// the call ended (the post-call webhook); each one raises the transcript version.
type TranscriptChunkAdded struct {
	TranscriptEntry
}

// CallEnded: the conversation is over (in_progress -> completed).
type CallEnded struct {
	EndedAt         time.Time `json:"endedAt"`
	DurationSeconds int       `json:"durationSeconds"`
	Reason          string    `json:"reason"`
}

// CallFailed: the call could not happen or continue (pending|in_progress -> failed).
type CallFailed struct {
	Reason string `json:"reason"`
}

// CallQuickScored is the fast overall score given when the call ends.
type CallQuickScored struct {
	Overall           int    `json:"overall"`
	Summary           string `json:"summary"`
	Provider          string `json:"provider"`
	Model             string `json:"model"`
	TranscriptVersion int    `json:"transcriptVersion"`
}

// Insight is one strength or improvement with the evidence behind it.
type Insight struct {
	Point    string `json:"point"`
	Evidence string `json:"evidence"`
}

// KeyMomentType says whether a key moment was done well or should improve.
type KeyMomentType string

const (
	KeyMomentStrength    KeyMomentType = "strength"
	KeyMomentImprovement KeyMomentType = "improvement"
)

// KeyMoment points at a verbatim quote of the transcript.
type KeyMoment struct {
	TimestampMs int64         `json:"timestampMs"`
	Type        KeyMomentType `json:"type"`
	Description string        `json:"description"`
	Quote       string        `json:"quote"`
}

// CallDeepScored is the full analysis of the transcript at TranscriptVersion.
// A call may be deep-scored more than once (late transcript, rescore): the one
// with the highest stream version is the current one.
type CallDeepScored struct {
	Overall           int             `json:"overall"`
	Opening           int             `json:"opening"`
	Discovery         int             `json:"discovery"`
	ObjectionHandling int             `json:"objectionHandling"`
	Communication     int             `json:"communication"`
	Closing           int             `json:"closing"`
	Strengths         []Insight       `json:"strengths"`
	Improvements      []Insight       `json:"improvements"`
	KeyMoments        []KeyMoment     `json:"keyMoments"`
	Summary           string          `json:"summary"`
	Provider          string          `json:"provider"`
	Model             string          `json:"model"`
	RubricVersion     string          `json:"rubricVersion"`
	TranscriptVersion int             `json:"transcriptVersion"`
	Metrics           json.RawMessage `json:"metrics,omitempty"`
}

// CallDeepScoringFailed records that a provider chain could not produce a deep
// score for a transcript version (visible to the user; a later attempt may succeed).
type CallDeepScoringFailed struct {
	Reason            string `json:"reason"`
	TranscriptVersion int    `json:"transcriptVersion"`
}

func (CallCreated) EventType() string            { return "CallCreated" }
func (CallStarted) EventType() string            { return "CallStarted" }
func (CallConversationLinked) EventType() string { return "CallConversationLinked" }
func (TranscriptChunkAdded) EventType() string   { return "TranscriptChunkAdded" }
func (CallEnded) EventType() string              { return "CallEnded" }
func (CallFailed) EventType() string             { return "CallFailed" }
func (CallQuickScored) EventType() string        { return "CallQuickScored" }
func (CallDeepScored) EventType() string         { return "CallDeepScored" }
func (CallDeepScoringFailed) EventType() string  { return "CallDeepScoringFailed" }
