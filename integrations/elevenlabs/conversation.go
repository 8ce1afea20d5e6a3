package elevenlabs

import (
	"encoding/json"
	"math"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// ConversationStatus is where ElevenLabs is with a conversation.
type ConversationStatus string

const (
	StatusInitiated  ConversationStatus = "initiated"
	StatusInProgress ConversationStatus = "in-progress"
	StatusProcessing ConversationStatus = "processing"
	StatusDone       ConversationStatus = "done"
	StatusFailed     ConversationStatus = "failed"
)

// Transcript item roles.
const (
	RoleUser  = "user"  // the person on the call (Sparrow's rep)
	RoleAgent = "agent" // the AI agent (Sparrow's prospect)
)

// Conversation is GET /v1/convai/conversations/{id}, and the data of a
// post_call_transcription webhook.
type Conversation struct {
	AgentID          string             `json:"agent_id"`
	ConversationID   string             `json:"conversation_id"`
	UserID           string             `json:"user_id,omitempty"`
	Status           ConversationStatus `json:"status"`
	Transcript       []TranscriptItem   `json:"transcript"`
	Metadata         Metadata           `json:"metadata"`
	Analysis         *Analysis          `json:"analysis,omitempty"`
	HasAudio         bool               `json:"has_audio"`
	HasUserAudio     bool               `json:"has_user_audio"`
	HasResponseAudio bool               `json:"has_response_audio"`
	// ClientData is conversation_initiation_client_data: what the client sent
	// when the conversation started (overrides, dynamic variables).
	ClientData *ClientData `json:"conversation_initiation_client_data,omitempty"`
}

// TranscriptItem is one turn of the transcript.
type TranscriptItem struct {
	Role           string          `json:"role"`    // RoleUser or RoleAgent
	Message        *string         `json:"message"` // nil for turns without text (tool calls)
	TimeInCallSecs int             `json:"time_in_call_secs"`
	ToolCalls      json.RawMessage `json:"tool_calls,omitempty"`
	ToolResults    json.RawMessage `json:"tool_results,omitempty"`
	Interrupted    bool            `json:"interrupted,omitempty"`
}

// Metadata is the conversation's metadata.
type Metadata struct {
	StartTimeUnixSecs int64           `json:"start_time_unix_secs"`
	CallDurationSecs  int             `json:"call_duration_secs"`
	TerminationReason string          `json:"termination_reason,omitempty"`
	Cost              int             `json:"cost,omitempty"`
	Raw               json.RawMessage `json:"-"`
}

// UnmarshalJSON keeps the whole object in Raw for fields not modelled here.
func (m *Metadata) UnmarshalJSON(b []byte) error {
	type plain Metadata
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*m = Metadata(p)
	m.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// Analysis is ElevenLabs' own post-call analysis.
type Analysis struct {
	CallSuccessful            string          `json:"call_successful,omitempty"` // success | failure | unknown
	TranscriptSummary         string          `json:"transcript_summary,omitempty"`
	EvaluationCriteriaResults json.RawMessage `json:"evaluation_criteria_results,omitempty"`
	DataCollectionResults     json.RawMessage `json:"data_collection_results,omitempty"`
}

// ClientData is conversation_initiation_client_data.
type ClientData struct {
	ConversationConfigOverride json.RawMessage `json:"conversation_config_override,omitempty"`
	CustomLLMExtraBody         json.RawMessage `json:"custom_llm_extra_body,omitempty"`
	// DynamicVariables are strings, numbers, booleans or null.
	DynamicVariables map[string]any `json:"dynamic_variables,omitempty"`
}

// DynamicVariable returns a dynamic variable as a string ("" when absent or not a string).
func (c Conversation) DynamicVariable(name string) string {
	if c.ClientData == nil {
		return ""
	}
	s, _ := c.ClientData.DynamicVariables[name].(string)
	return s
}

// Entries converts the transcript to Sparrow's vocabulary: user -> RoleUser
// (the rep), agent -> RoleAssistant (the prospect), seconds -> milliseconds.
// Turns without text are skipped; other roles are skipped.
func (c Conversation) Entries() []domain.TranscriptEntry {
	out := make([]domain.TranscriptEntry, 0, len(c.Transcript))
	for _, it := range c.Transcript {
		if it.Message == nil || strings.TrimSpace(*it.Message) == "" {
			continue
		}
		var role domain.Role
		switch it.Role {
		case RoleUser:
			role = domain.RoleUser
		case RoleAgent:
			role = domain.RoleAssistant
		default:
			continue
		}
		out = append(out, domain.TranscriptEntry{Role: role, Content: *it.Message, TimestampMs: secondsToMs(it.TimeInCallSecs)})
	}
	return out
}

// secondsToMs converts a line's offset, saturating instead of wrapping: an
// absurd time_in_call_secs stays absurd (and the line is dropped as out of
// range) rather than wrapping round to a plausible offset.
func secondsToMs(secs int) int64 {
	const limit = math.MaxInt64 / 1000
	switch s := int64(secs); {
	case s > limit:
		return math.MaxInt64
	case s < -limit:
		return math.MinInt64
	default:
		return s * 1000
	}
}
