package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sparrow-coach/sparrow/domain"
)

// VoiceSession is what a browser needs to talk to the call's persona through
// a voice agent (spec §7.2 POST /api/calls/start).
type VoiceSession struct {
	CallID    string
	PersonaID string
	Mode      domain.Mode
	// Prompt is the persona's system prompt; FirstMessage its opening line for the mode.
	Prompt       string
	FirstMessage string
	VoiceID      string
}

// VoiceSession returns the voice configuration of the user's call, which
// must be pending or in progress and have the given mode and persona (a
// mismatch is a *domain.FieldError on "mode" or "personaId"). It changes
// nothing: the client starts the call when the conversation connects.
func (a *App) VoiceSession(ctx context.Context, userID, callID string, mode domain.Mode, personaID string) (_ VoiceSession, err error) {
	defer door(&err)
	call, err := a.CallForUser(ctx, userID, callID)
	if err != nil {
		return VoiceSession{}, err
	}
	if call.Mode() != mode {
		return VoiceSession{}, domain.Invalid("mode", fmt.Sprintf("the call was created for mode %s, not %s", call.Mode(), mode))
	}
	if call.PersonaID() != personaID {
		return VoiceSession{}, domain.Invalid("personaId", "the call was created with another persona")
	}
	if st := call.Status(); st != domain.CallPending && st != domain.CallInProgress {
		return VoiceSession{}, fmt.Errorf("start voice: call is %s, must be pending or in_progress: %w", st, domain.ErrIllegalTransition)
	}
	p, err := a.loadPersona(ctx, personaID)
	if err != nil {
		return VoiceSession{}, err
	}
	if !p.Exists() {
		return VoiceSession{}, fmt.Errorf("start voice: persona %s of call %s is missing", personaID, callID)
	}
	prof := p.Profile()
	return VoiceSession{CallID: callID, PersonaID: personaID, Mode: mode, Prompt: prof.SystemPrompt,
		FirstMessage: prof.FirstMessageFor(mode), VoiceID: prof.VoiceID}, nil
}

// VoiceConversation is a voice conversation as the voice provider reports it
// after the call (webhook or conversation details).
type VoiceConversation struct {
	// ID is the provider's conversation id.
	ID string
	// CallHint is the call id the start configuration passed to the voice
	// agent (DynamicVariableCallID), "" when the conversation carries none.
	CallHint string
	// StartedAt is when the conversation started (zero: unknown).
	StartedAt time.Time
	// Duration is how long the conversation lasted by the provider's
	// account (ElevenLabs' call_duration_secs; zero: unknown).
	Duration time.Duration
	// Entries is the transcript, oldest first, timestamps in ms since the start.
	Entries []domain.TranscriptEntry
	// EndReason is the provider's termination reason ("" when none).
	EndReason string
}

// IngestResult says what IngestConversation changed.
type IngestResult struct {
	CallID string
	// Added is how many transcript lines were recorded.
	Added int
	// Started: the call was pending and is now in progress.
	Started bool
	// Linked: the conversation id was recorded on the call.
	Linked bool
	// Ended: the call was ended (and quick-scored) by this ingestion.
	Ended      bool
	QuickScore *domain.QuickScore
	// Dropped is how many lines not recorded yet did not fit the call
	// (domain.MaxCallLines, domain.MaxCallBytes): the last ones of the
	// conversation, not recorded.
	Dropped int
}

// EndReasonTranscriptLimit ends a voice call whose conversation was longer
// than a call can hold: the lines that fit were recorded.
const EndReasonTranscriptLimit = "transcript_limit_exceeded"

// voiceLineTolerance is how far apart two identical lines (same role and
// text) may be and still be the same line. A line posted live by the client
// is timed in milliseconds by the browser; the voice provider reports whole
// seconds from its own clock.
const voiceLineTolerance = 2000

// IngestConversation records a voice conversation on a call: it links the
// conversation id if the call has none, starts a pending call (at
// conv.StartedAt when the call can record it, else now), and appends the
// transcript lines not recorded yet. A line counts as recorded when the call has a line of the same role
// and text within two seconds of it, each recorded line matching at most one
// incoming line, so lines already posted live are not duplicated and a
// redelivered conversation adds nothing. With end, a call still in progress
// is then ended and quick-scored as EndCall does, at the conversation's end
// by the provider's account (conv.StartedAt + conv.Duration, see
// conversationEnd), not at the delivery's arrival. userID "" means no user
// scope (webhooks); otherwise another user's call is domain.ErrNotFound.
//
// A call linked to another conversation, or failed, is
// domain.ErrIllegalTransition. Lines that cannot be recorded (empty text)
// are skipped, and text over domain.MaxTranscriptContent characters is cut.
//
// A conversation longer than the call can hold (domain.MaxCallLines,
// domain.MaxCallBytes) is recorded up to that bound, in order, and
// IngestResult.Dropped counts the lines left out; a call it ends then ends
// with EndReasonTranscriptLimit. The conversation is the provider's record
// of a call that happened, not a request the sender can make smaller:
// refusing it would leave the call in progress for ever, and the rep without
// a debrief (a request that would overfill a call is refused whole everywhere else).
func (a *App) IngestConversation(ctx context.Context, m Meta, userID, callID string, conv VoiceConversation, end bool) (_ IngestResult, err error) {
	defer door(&err)
	res := IngestResult{CallID: callID}
	entries := recordable(conv.Entries)
	call, _, err := a.callCommand(ctx, m, userID, callID, func(c *domain.Call) ([]domain.Event, error) {
		res.Added, res.Started, res.Linked, res.Dropped = 0, false, false, 0
		probe := c.Clone()
		var data []domain.Event
		if conv.ID != "" && probe.ConversationID() != "" && probe.ConversationID() != conv.ID {
			return nil, fmt.Errorf("ingest conversation %q: call is linked to conversation %q: %w", conv.ID, probe.ConversationID(), domain.ErrIllegalTransition)
		}
		switch probe.Status() {
		case domain.CallPending:
			// The provider's start time when the call can record it; a time
			// it cannot (before the call existed, in the future, out of
			// range) is replaced by now rather than refusing the delivery.
			now := a.cfg.Now()
			at := conv.StartedAt
			if probe.CheckStartTime(at, now) != nil {
				at = now
			}
			evs, err := probe.Start(at, now, conv.ID)
			if err != nil {
				return nil, err
			}
			res.Started, res.Linked = true, conv.ID != ""
			data = append(data, evs...)
			probe.Apply(evs[0])
		case domain.CallFailedStatus:
			return nil, fmt.Errorf("ingest conversation %q: call failed: %w", conv.ID, domain.ErrIllegalTransition)
		default:
			if conv.ID != "" && probe.ConversationID() == "" {
				evs, err := probe.LinkConversation(conv.ID)
				if err != nil {
					return nil, err
				}
				res.Linked = true
				data = append(data, evs...)
				for _, e := range evs {
					probe.Apply(e)
				}
			}
		}
		missing := unrecorded(probe.Transcript(), entries)
		if fit := probe.Room(missing); fit < len(missing) {
			res.Dropped, missing = len(missing)-fit, missing[:fit]
		}
		if len(missing) > 0 {
			evs, err := probe.AddTranscript(missing...)
			if err != nil {
				return nil, err
			}
			res.Added = len(evs)
			data = append(data, evs...)
		}
		return data, nil
	})
	if err != nil {
		return IngestResult{}, err
	}
	if end && call.Status() == domain.CallInProgress {
		reason := "voice_call_ended"
		if r := domain.SanitizeText(strings.TrimSpace(conv.EndReason)); r != "" && utf8.RuneCountInString(r) <= domain.MaxReasonLength {
			reason = r
		}
		if res.Dropped > 0 {
			reason = EndReasonTranscriptLimit // why the transcript stops short
		}
		em := m
		if em.IdempotencyKey != "" {
			em.IdempotencyKey += "/end"
		}
		// The provider's account of when the conversation ended, never the
		// delivery's arrival: a late or retried delivery must not make the
		// call longer.
		ended, err := a.endCallAt(ctx, em, userID, callID, reason, "", conversationEnd(conv, call.StartedAt(), a.cfg.Now()))
		if err != nil {
			return res, fmt.Errorf("ingest conversation %q: end the call: %w", conv.ID, err)
		}
		q := ended.QuickScore
		res.Ended, res.QuickScore = true, &q
	}
	return res, nil
}

// conversationEnd is when a voice conversation ended by the provider's
// account: its start (else the call's) plus its duration, else plus the
// time of its last line; the caller's clock only when neither is known.
// It is never after now (the domain keeps it within the call's bounds).
func conversationEnd(conv VoiceConversation, callStart, now time.Time) time.Time {
	start := conv.StartedAt
	if start.IsZero() {
		start = callStart
	}
	d := conv.Duration
	if d <= 0 {
		for _, e := range conv.Entries {
			d = max(d, time.Duration(e.TimestampMs)*time.Millisecond)
		}
	}
	if d <= 0 || start.IsZero() {
		return now
	}
	d = min(d, domain.MaxCallDuration)
	if end := start.Add(d); end.Before(now) {
		return end
	}
	return now
}

// recordable drops lines that cannot be recorded and cuts over-long ones.
func recordable(in []domain.TranscriptEntry) []domain.TranscriptEntry {
	out := make([]domain.TranscriptEntry, 0, len(in))
	for _, e := range in {
		e.Content = domain.SanitizeText(strings.TrimSpace(e.Content))
		if utf8.RuneCountInString(e.Content) > domain.MaxTranscriptContent {
			e.Content = string([]rune(e.Content)[:domain.MaxTranscriptContent])
		}
		e.TimestampMs = max(e.TimestampMs, 0)
		if e.Validate() == nil {
			out = append(out, e)
		}
	}
	return out
}

// unrecorded returns the incoming lines that have no match in the recorded
// transcript: same role and trimmed text, timestamps within
// voiceLineTolerance, each recorded line matching once (the nearest).
func unrecorded(recorded, incoming []domain.TranscriptEntry) []domain.TranscriptEntry {
	type key struct {
		role domain.Role
		text string
	}
	free := map[key][]int64{}
	for _, r := range recorded {
		k := key{r.Role, strings.TrimSpace(r.Content)}
		free[k] = append(free[k], r.TimestampMs)
	}
	var out []domain.TranscriptEntry
	for _, e := range incoming {
		k := key{e.Role, strings.TrimSpace(e.Content)}
		ts, best := free[k], -1
		for i, t := range ts {
			d := t - e.TimestampMs
			if d < 0 {
				d = -d
			}
			if d <= voiceLineTolerance && (best < 0 || d < abs64(ts[best]-e.TimestampMs)) {
				best = i
			}
		}
		if best < 0 {
			out = append(out, e)
			continue
		}
		free[k] = append(ts[:best:best], ts[best+1:]...)
	}
	return out
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
