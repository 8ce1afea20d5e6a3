package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// CallStatus is where a call is in its lifecycle.
type CallStatus string

const (
	CallPending      CallStatus = "pending"
	CallInProgress   CallStatus = "in_progress"
	CallCompleted    CallStatus = "completed"
	CallFailedStatus CallStatus = "failed"
)

// ParseCallStatus validates s.
func ParseCallStatus(s string) (CallStatus, error) {
	switch st := CallStatus(s); st {
	case CallPending, CallInProgress, CallCompleted, CallFailedStatus:
		return st, nil
	}
	return "", fmt.Errorf("%w: status %q must be one of pending, in_progress, completed, failed", ErrInvalid, s)
}

// Limits on free text carried by call events.
const (
	MaxReasonLength   = 500
	MaxSummaryLength  = 4_000
	MaxInsightLength  = 2_000
	maxConversationID = 200
	maxScoreLabel     = 200
)

// Call is the aggregate for one practice call. Build it with NewCall and
// feed it its stream with Apply; the command methods return the events that
// the caller appends (they never change the state themselves).
type Call struct {
	id        string
	version   int
	created   bool
	createdAt time.Time
	userID    string
	personaID string
	mode      Mode
	imported  bool
	hints     bool
	status    CallStatus
	startedAt time.Time
	endedAt   time.Time
	convID    string

	transcript []TranscriptEntry
	// transcriptBytes is the sum of len(Content) over transcript (see MaxCallBytes).
	transcriptBytes int
	// deepScored holds the transcript versions a deep score was recorded for.
	deepScored map[int]bool
	quick      *CallQuickScored
	deep       *CallDeepScored
}

// NewCall returns an empty call aggregate for the stream id.
func NewCall(id string) *Call { return &Call{id: id, deepScored: map[int]bool{}} }

func (c *Call) ID() string                   { return c.id }
func (c *Call) Version() int                 { return c.version }
func (c *Call) Exists() bool                 { return c.created }
func (c *Call) UserID() string               { return c.userID }
func (c *Call) PersonaID() string            { return c.personaID }
func (c *Call) Imported() bool               { return c.imported }
func (c *Call) Hints() bool                  { return c.hints }
func (c *Call) Mode() Mode                   { return c.mode }
func (c *Call) Status() CallStatus           { return c.status }
func (c *Call) StartedAt() time.Time         { return c.startedAt }
func (c *Call) EndedAt() time.Time           { return c.endedAt }
func (c *Call) ConversationID() string       { return c.convID }
func (c *Call) TranscriptVersion() int       { return len(c.transcript) }
func (c *Call) QuickScore() *CallQuickScored { return c.quick }
func (c *Call) DeepScore() *CallDeepScored   { return c.deep }
func (c *Call) HasDeepScoreFor(tv int) bool  { return c.deepScored[tv] }

// CreatedAt is when the call was created (zero when its events were applied
// without their times, see ApplyAt).
func (c *Call) CreatedAt() time.Time { return c.createdAt }

// Transcript returns a copy of the transcript in arrival order.
func (c *Call) Transcript() []TranscriptEntry {
	return append([]TranscriptEntry(nil), c.transcript...)
}

// Apply advances the state by one recorded event. Events must come in stream
// order. A stream whose first event is not CallCreated (another aggregate's
// stream) is not a call: Exists stays false.
func (c *Call) Apply(e Event) { c.ApplyAt(e, time.Time{}) }

// ApplyAt is Apply for an event read from the log, with the time it occurred
// (its metadata's occurredAt): that time of CallCreated is the call's
// creation time (the createdAt clients see), which Start checks startedAt
// against.
func (c *Call) ApplyAt(e Event, occurredAt time.Time) {
	c.version++
	switch e := e.(type) {
	case *CallCreated:
		if c.version == 1 {
			c.created, c.createdAt = true, occurredAt.UTC()
		}
		c.userID, c.personaID, c.mode, c.status, c.imported, c.hints = e.UserID, e.PersonaID, e.Mode, CallPending, e.Imported, e.Hints
	case *CallStarted:
		c.status, c.startedAt = CallInProgress, e.StartedAt
		if e.ElevenlabsConversationID != "" {
			c.convID = e.ElevenlabsConversationID
		}
	case *CallConversationLinked:
		c.convID = e.ElevenlabsConversationID
	case *TranscriptChunkAdded:
		c.transcript = append(c.transcript, e.TranscriptEntry)
		c.transcriptBytes += len(e.Content)
	case *CallEnded:
		c.status, c.endedAt = CallCompleted, e.EndedAt
	case *CallFailed:
		c.status = CallFailedStatus
	case *CallQuickScored:
		q := *e
		c.quick = &q
	case *CallDeepScored:
		d := *e
		c.deep = &d
		c.deepScored[e.TranscriptVersion] = true
	case *CallDeepScoringFailed:
	}
}

// CallSettings are a practice call's options, chosen when it is created.
type CallSettings struct {
	// Hints turns on live coaching hints (off by default).
	Hints bool
}

// Create decides the creation of a call on an empty stream, with default settings.
func (c *Call) Create(userID, personaID string, mode Mode) ([]Event, error) {
	return c.CreateWith(userID, personaID, mode, CallSettings{})
}

// CreateWith decides the creation of a call on an empty stream.
func (c *Call) CreateWith(userID, personaID string, mode Mode, settings CallSettings) ([]Event, error) {
	if c.version > 0 {
		return nil, fmt.Errorf("create call %s: %w", c.id, ErrAlreadyExists)
	}
	if strings.TrimSpace(userID) == "" {
		return nil, &FieldError{Field: "userId", Err: fmt.Errorf("%w: userId is required", ErrInvalid)}
	}
	if strings.TrimSpace(personaID) == "" {
		return nil, &FieldError{Field: "personaId", Err: fmt.Errorf("%w: personaId is required", ErrInvalid)}
	}
	if _, err := ParseMode(string(mode)); err != nil {
		return nil, &FieldError{Field: "mode", Err: err}
	}
	return []Event{&CallCreated{UserID: userID, PersonaID: personaID, Mode: mode, Hints: settings.Hints}}, nil
}

func (c *Call) mustExist(op string) error {
	if !c.Exists() {
		return fmt.Errorf("%s: call %s: %w", op, c.id, ErrNotFound)
	}
	return nil
}

func (c *Call) illegal(op string, want ...CallStatus) error {
	ws := make([]string, len(want))
	for i, w := range want {
		ws[i] = string(w)
	}
	return fmt.Errorf("%s: call is %s, must be %s: %w", op, c.status, strings.Join(ws, " or "), ErrIllegalTransition)
}

// Start moves a pending call to in_progress. startedAt is when the
// conversation began, as the client or voice provider reports it; now is the
// caller's clock. startedAt may lie at most ClockSkew after now, and at most
// ClockSkew before the call's creation (when the call knows it).
func (c *Call) Start(startedAt, now time.Time, conversationID string) ([]Event, error) {
	if err := c.mustExist("start call"); err != nil {
		return nil, err
	}
	if c.status != CallPending {
		return nil, c.illegal("start call", CallPending)
	}
	if err := c.CheckStartTime(startedAt, now); err != nil {
		return nil, err
	}
	if err := ValidateConversationID(conversationID); err != nil {
		return nil, err
	}
	return []Event{&CallStarted{StartedAt: startedAt.UTC(), ElevenlabsConversationID: conversationID}}, nil
}

// CheckStartTime reports whether Start would accept startedAt at now (nil),
// or the *FieldError it would return.
func (c *Call) CheckStartTime(startedAt, now time.Time) error {
	if startedAt.IsZero() {
		return &FieldError{Field: "startedAt", Err: fmt.Errorf("%w: startedAt is required", ErrInvalid)}
	}
	if err := validateTime("startedAt", startedAt); err != nil {
		return err
	}
	if startedAt.After(now.Add(ClockSkew)) {
		return &FieldError{Field: "startedAt", Err: fmt.Errorf("%w: startedAt %s is in the future (now is %s)",
			ErrInvalid, startedAt.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))}
	}
	if !c.createdAt.IsZero() && startedAt.Before(c.createdAt.Add(-ClockSkew)) {
		return &FieldError{Field: "startedAt", Err: fmt.Errorf("%w: startedAt %s is before the call was created (%s)",
			ErrInvalid, startedAt.UTC().Format(time.RFC3339), c.createdAt.Format(time.RFC3339))}
	}
	return nil
}

// LinkConversation records the voice conversation id; a repeat of the same id is a no-op.
func (c *Call) LinkConversation(conversationID string) ([]Event, error) {
	if err := c.mustExist("link conversation"); err != nil {
		return nil, err
	}
	if conversationID == "" || conversationID == c.convID {
		return nil, ValidateConversationID(conversationID)
	}
	if err := ValidateConversationID(conversationID); err != nil {
		return nil, err
	}
	if c.convID != "" {
		return nil, fmt.Errorf("link conversation: call already has conversation %q: %w", c.convID, ErrIllegalTransition)
	}
	if c.status == CallFailedStatus {
		return nil, c.illegal("link conversation", CallPending, CallInProgress, CallCompleted)
	}
	return []Event{&CallConversationLinked{ElevenlabsConversationID: conversationID}}, nil
}

// ValidateConversationID checks a voice conversation id: "" (none) or a token
// (no spaces or control characters) of at most 200 characters.
func ValidateConversationID(id string) error {
	if err := validateText("elevenlabsConversationId", id, maxConversationID); err != nil {
		return err
	}
	if strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return &FieldError{Field: "elevenlabsConversationId", Err: fmt.Errorf("%w: elevenlabsConversationId must be a token of at most %d characters", ErrInvalid, maxConversationID)}
	}
	return nil
}

// AddTranscript records transcript lines. Lines are accepted while the call is
// in progress and after it completed (a voice call's full transcript arrives
// by webhook after the end); a pending or failed call takes none. Lines that
// would take the call past MaxCallLines or MaxCallBytes are refused, all of
// them (ErrLimitExceeded).
func (c *Call) AddTranscript(entries ...TranscriptEntry) ([]Event, error) {
	if err := c.mustExist("add transcript"); err != nil {
		return nil, err
	}
	if c.status != CallInProgress && c.status != CallCompleted {
		return nil, c.illegal("add transcript", CallInProgress, CallCompleted)
	}
	if len(entries) == 0 {
		return nil, &FieldError{Field: "entries", Err: fmt.Errorf("%w: at least one transcript entry is required", ErrInvalid)}
	}
	events := make([]Event, 0, len(entries))
	for i, e := range entries {
		if err := e.Validate(); err != nil {
			if len(entries) > 1 {
				var fe *FieldError
				if asFieldError(err, &fe) {
					return nil, &FieldError{Field: fmt.Sprintf("entries[%d].%s", i, fe.Field), Err: fe.Err}
				}
			}
			return nil, err
		}
		events = append(events, &TranscriptChunkAdded{TranscriptEntry: e})
	}
	if err := c.CheckRoom(entries...); err != nil {
		return nil, err
	}
	return events, nil
}

// HasTranscriptLine reports whether an identical line (role, content, timestamp) is recorded.
func (c *Call) HasTranscriptLine(e TranscriptEntry) bool {
	for _, t := range c.transcript {
		if t.Role == e.Role && t.TimestampMs == e.TimestampMs && t.Content == e.Content {
			return true
		}
	}
	return false
}

// End completes an in-progress call at endedAt (the caller's clock). A call
// lasts at most MaxCallDuration: one still open after that (a forgotten tab)
// is recorded as ended at startedAt + MaxCallDuration, so it can always be
// ended and its duration always fits the read tables.
func (c *Call) End(endedAt time.Time, reason string) ([]Event, error) {
	if err := c.mustExist("end call"); err != nil {
		return nil, err
	}
	if c.status != CallInProgress {
		return nil, c.illegal("end call", CallInProgress)
	}
	if endedAt.Before(c.startedAt) {
		endedAt = c.startedAt
	}
	if endedAt.Sub(c.startedAt) > MaxCallDuration {
		endedAt = c.startedAt.Add(MaxCallDuration)
	}
	if err := validateTime("endedAt", endedAt); err != nil {
		return nil, err
	}
	if err := validateReason(reason); err != nil {
		return nil, err
	}
	if reason == "" {
		reason = "user_ended"
	}
	d := int(endedAt.Sub(c.startedAt).Round(time.Second) / time.Second)
	return []Event{&CallEnded{EndedAt: endedAt.UTC(), DurationSeconds: d, Reason: reason}}, nil
}

// Fail marks a pending or in-progress call as failed.
func (c *Call) Fail(reason string) ([]Event, error) {
	if err := c.mustExist("fail call"); err != nil {
		return nil, err
	}
	if c.status != CallPending && c.status != CallInProgress {
		return nil, c.illegal("fail call", CallPending, CallInProgress)
	}
	if strings.TrimSpace(reason) == "" {
		return nil, &FieldError{Field: "reason", Err: fmt.Errorf("%w: reason is required", ErrInvalid)}
	}
	if err := validateReason(reason); err != nil {
		return nil, err
	}
	return []Event{&CallFailed{Reason: reason}}, nil
}

func validateReason(reason string) error { return validateText("reason", reason, MaxReasonLength) }

// ValidateReason checks an end or failure reason as End and Fail do, for a
// caller that must refuse a bad reason even when the call is already over
// (repeating an end answers the first result without calling End).
func ValidateReason(reason string) error { return validateReason(reason) }

// RecordQuickScore records the fast score of a completed call.
func (c *Call) RecordQuickScore(s CallQuickScored) ([]Event, error) {
	if err := c.mustExist("record quick score"); err != nil {
		return nil, err
	}
	if c.status != CallCompleted {
		return nil, c.illegal("record quick score", CallCompleted)
	}
	if err := validateScore("overall", s.Overall); err != nil {
		return nil, err
	}
	if err := validateText("summary", s.Summary, MaxSummaryLength); err != nil {
		return nil, err
	}
	if err := validateScoreLabels(s.Provider, s.Model, ""); err != nil {
		return nil, err
	}
	if err := c.validateTranscriptVersion(s.TranscriptVersion); err != nil {
		return nil, err
	}
	return []Event{&s}, nil
}

// RecordDeepScore records a full analysis of a completed call.
func (c *Call) RecordDeepScore(s CallDeepScored) ([]Event, error) {
	if err := c.mustExist("record deep score"); err != nil {
		return nil, err
	}
	if c.status != CallCompleted {
		return nil, c.illegal("record deep score", CallCompleted)
	}
	if err := DeepScore(s).Validate(); err != nil {
		return nil, err
	}
	if err := validateScoreLabels(s.Provider, s.Model, s.RubricVersion); err != nil {
		return nil, err
	}
	for i, m := range s.KeyMoments {
		if err := validateText(fmt.Sprintf("keyMoments[%d].description", i), m.Description, MaxInsightLength); err != nil {
			return nil, err
		}
		if err := validateText(fmt.Sprintf("keyMoments[%d].quote", i), m.Quote, MaxTranscriptContent); err != nil {
			return nil, err
		}
		if m.TimestampMs > MaxCallDuration.Milliseconds() {
			return nil, &FieldError{Field: fmt.Sprintf("keyMoments[%d].timestampMs", i),
				Err: fmt.Errorf("%w: timestampMs must be at most %d (%s)", ErrInvalid, MaxCallDuration.Milliseconds(), MaxCallDuration)}
		}
	}
	if err := validateJSONText("metrics", s.Metrics); err != nil {
		return nil, err
	}
	if err := c.validateTranscriptVersion(s.TranscriptVersion); err != nil {
		return nil, err
	}
	if s.Strengths == nil {
		s.Strengths = []Insight{}
	}
	if s.Improvements == nil {
		s.Improvements = []Insight{}
	}
	if s.KeyMoments == nil {
		s.KeyMoments = []KeyMoment{}
	}
	return []Event{&s}, nil
}

// RecordDeepScoringFailure records that deep analysis failed for a transcript
// version: finally, or partially (some providers failed, a later one scored).
func (c *Call) RecordDeepScoringFailure(reason string, transcriptVersion int, partial bool) ([]Event, error) {
	if err := c.mustExist("record deep scoring failure"); err != nil {
		return nil, err
	}
	if c.status != CallCompleted {
		return nil, c.illegal("record deep scoring failure", CallCompleted)
	}
	if err := c.validateTranscriptVersion(transcriptVersion); err != nil {
		return nil, err
	}
	// The reason is the system's own report of a failure: cleaned and cut
	// rather than refused, so the failure is always recorded.
	reason = SanitizeText(reason)
	if utf8.RuneCountInString(reason) > MaxSummaryLength {
		reason = string([]rune(reason)[:MaxSummaryLength])
	}
	return []Event{&CallDeepScoringFailed{Reason: reason, TranscriptVersion: transcriptVersion, Partial: partial}}, nil
}

// validateScoreLabels checks the short names a score records (provider,
// model, rubric version).
func validateScoreLabels(provider, model, rubricVersion string) error {
	for _, f := range []struct{ name, v string }{{"provider", provider}, {"model", model}, {"rubricVersion", rubricVersion}} {
		if err := validateText(f.name, f.v, maxScoreLabel); err != nil {
			return err
		}
	}
	return nil
}

func (c *Call) validateTranscriptVersion(tv int) error {
	if tv < 0 || tv > len(c.transcript) {
		return &FieldError{Field: "transcriptVersion", Err: fmt.Errorf("%w: transcriptVersion %d is outside 0..%d", ErrInvalid, tv, len(c.transcript))}
	}
	return nil
}

// Clone returns an independent copy, so a caller can try events on it
// without touching the original.
func (c *Call) Clone() *Call {
	cc := *c
	cc.transcript = append([]TranscriptEntry(nil), c.transcript...)
	cc.deepScored = make(map[int]bool, len(c.deepScored))
	for k, v := range c.deepScored {
		cc.deepScored[k] = v
	}
	return &cc
}
