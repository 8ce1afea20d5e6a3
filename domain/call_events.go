package domain

import "time"

// Events of the Call stream (one stream per call; the stream id is the call id).

// CallCreated opens a call's stream.
type CallCreated struct {
	UserID string `json:"userId"`
	// PersonaID is the prospect persona; "" only for an imported call held with someone outside Sparrow.
	PersonaID string `json:"personaId"`
	Mode      Mode   `json:"mode"`
	// Imported marks a call held elsewhere and imported from its transcript (see Call.Import).
	Imported bool `json:"imported,omitempty"`
	// Hints turns on live coaching hints for a practice call (off by default).
	Hints bool `json:"hints,omitempty"`
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

// CallQuickScored records the quick score of a call (the value a QuickScorer
// returned; the two convert freely).
type CallQuickScored QuickScore

// CallDeepScored records a deep score of the transcript at TranscriptVersion
// (the value a deep scorer returned; the two convert freely). A call may be
// deep-scored more than once (late transcript, rescore): the one with the
// highest stream version is the current one.
type CallDeepScored DeepScore

// CallDeepScoringFailed records that deep analysis failed for a transcript
// version. A final failure (Partial false: no provider of the chain was left)
// is visible to the user, and a later attempt may still succeed; a partial one
// records the providers that failed before a later provider of the same chain
// scored the call, for the history only (no score:failed, no failed status).
type CallDeepScoringFailed struct {
	Reason            string `json:"reason"`
	TranscriptVersion int    `json:"transcriptVersion"`
	Partial           bool   `json:"partial,omitempty"`
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
