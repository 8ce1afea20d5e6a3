package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// callCommand runs decide on the user's call under the stream lock, appends
// what it returns with optimistic concurrency (retrying lost races), and
// waits for the read tables. decide may return no events (a no-op).
func (a *App) callCommand(ctx context.Context, m Meta, userID, callID string, decide func(*domain.Call) ([]domain.Event, error)) (*domain.Call, eventstore.AppendResult, error) {
	if !ValidID(callID) {
		return nil, eventstore.AppendResult{}, notFound("call", callID)
	}
	unlock := a.lock(callID)
	defer unlock()
	var (
		call *domain.Call
		res  eventstore.AppendResult
	)
	err := a.withRetry(ctx, func() error {
		var err error
		if call, err = a.loadCall(ctx, callID); err != nil {
			return err
		}
		if !call.Exists() || (userID != "" && call.UserID() != userID) {
			return notFound("call", callID)
		}
		data, err := decide(call)
		if err != nil || len(data) == 0 {
			return err
		}
		expected := call.Version()
		res, err = a.store.Append(ctx, callID, expected, a.newEvents(m, data)...)
		if err != nil {
			a.calls.drop(callID)
			return err
		}
		if res.Version != expected+len(data) {
			// An idempotent retry: these events were recorded earlier, and the
			// stream may have moved on since. Reload instead of applying twice.
			a.calls.drop(callID)
			call, err = a.loadCall(ctx, callID)
			return err
		}
		for _, d := range data {
			call.Apply(d)
		}
		return nil
	})
	if err != nil {
		return nil, eventstore.AppendResult{}, err
	}
	a.settle(ctx, res)
	return call, res, nil
}

// CreateCall opens a new call for the user with a persona the user may use.
func (a *App) CreateCall(ctx context.Context, m Meta, userID, personaID string, mode domain.Mode) (string, error) {
	return a.CreateCallWith(ctx, m, userID, personaID, mode, domain.CallSettings{})
}

// CreateCallWith is CreateCall with the call's settings (live hints).
func (a *App) CreateCallWith(ctx context.Context, m Meta, userID, personaID string, mode domain.Mode, settings domain.CallSettings) (_ string, err error) {
	defer door(&err)
	if _, err := domain.ParseMode(string(mode)); err != nil {
		return "", &domain.FieldError{Field: "mode", Err: err}
	}
	if !ValidID(personaID) {
		return "", domain.Invalid("personaId", "personaId must be a UUID")
	}
	persona, err := a.loadPersona(ctx, personaID)
	if err != nil {
		return "", err
	}
	if !persona.VisibleTo(userID) {
		return "", &domain.FieldError{Field: "personaId", Issue: "persona " + personaID + ": not found", Err: notFound("persona", personaID)}
	}
	callID := NewID()
	if m.IdempotencyKey != "" {
		callID = uuid.NewSHA1(idempotencyNS, []byte("call/"+userID+"/"+m.IdempotencyKey)).String()
	}
	call := domain.NewCall(callID)
	data, err := call.CreateWith(userID, personaID, mode, settings)
	if err != nil {
		return "", err
	}
	res, err := a.store.Append(ctx, callID, 0, a.newEvents(m, data)...)
	if err != nil {
		return "", err
	}
	a.settle(ctx, res)
	return callID, nil
}

// StartCall moves the user's pending call to in_progress.
func (a *App) StartCall(ctx context.Context, m Meta, userID, callID string, startedAt time.Time, conversationID string) (err error) {
	defer door(&err)
	_, _, err = a.callCommand(ctx, m, userID, callID, func(c *domain.Call) ([]domain.Event, error) {
		return c.Start(startedAt, a.cfg.Now(), conversationID)
	})
	return err
}

// LinkConversation records the voice conversation id of the user's call.
func (a *App) LinkConversation(ctx context.Context, m Meta, userID, callID, conversationID string) (err error) {
	defer door(&err)
	_, _, err = a.callCommand(ctx, m, userID, callID, func(c *domain.Call) ([]domain.Event, error) {
		return c.LinkConversation(conversationID)
	})
	return err
}

// AddTranscript appends transcript lines to the user's call and returns the
// stream version of the last one.
func (a *App) AddTranscript(ctx context.Context, m Meta, userID, callID string, entries []domain.TranscriptEntry) (_ int, err error) {
	defer door(&err)
	_, res, err := a.callCommand(ctx, m, userID, callID, func(c *domain.Call) ([]domain.Event, error) {
		return c.AddTranscript(entries...)
	})
	return res.Version, err
}

// EndCallResult is what ending a call returns.
type EndCallResult struct {
	CallID     string
	QuickScore domain.QuickScore
}

// EndCall completes the user's in-progress call and records its quick score
// in the same append, so a completed call always has one. The scorer runs
// with no transaction open; ending an already completed call returns its
// existing quick score (a retried request does not fail).
func (a *App) EndCall(ctx context.Context, m Meta, userID, callID, reason, conversationID string) (_ EndCallResult, err error) {
	return a.endCallAt(ctx, m, userID, callID, reason, conversationID, time.Time{})
}

// endCallAt is EndCall at endedAt (zero: now, the caller's clock).
func (a *App) endCallAt(ctx context.Context, m Meta, userID, callID, reason, conversationID string, endedAt time.Time) (_ EndCallResult, err error) {
	defer door(&err)
	if endedAt.IsZero() {
		endedAt = a.cfg.Now()
	}
	if conversationID != "" {
		if err := a.LinkConversation(ctx, m, userID, callID, conversationID); err != nil {
			return EndCallResult{}, err
		}
	}
	var quick domain.QuickScore
	_, _, err = a.callCommand(ctx, m, userID, callID, func(c *domain.Call) ([]domain.Event, error) {
		if c.Status() == domain.CallCompleted && c.QuickScore() != nil {
			quick = domain.QuickScore(*c.QuickScore())
			return nil, nil
		}
		ended, err := c.End(endedAt, reason)
		if err != nil {
			return nil, err
		}
		in := a.ScoreInputFor(ctx, c)
		quick, err = a.cfg.QuickScorer.QuickScore(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("quick score: %w", err)
		}
		quick.TranscriptVersion = in.TranscriptVersion
		probe := c.Clone() // decide on a copy that has seen the end
		probe.Apply(ended[0])
		scored, err := probe.RecordQuickScore(domain.CallQuickScored(quick))
		if err != nil {
			return nil, err
		}
		return append(ended, scored...), nil
	})
	return EndCallResult{CallID: callID, QuickScore: quick}, err
}

// FailCall marks the user's call as failed.
func (a *App) FailCall(ctx context.Context, m Meta, userID, callID, reason string) (err error) {
	defer door(&err)
	_, _, err = a.callCommand(ctx, m, userID, callID, func(c *domain.Call) ([]domain.Event, error) {
		return c.Fail(reason)
	})
	return err
}

// RecordDeepScore appends a deep score (the scoring worker; no user scope).
func (a *App) RecordDeepScore(ctx context.Context, m Meta, callID string, s domain.CallDeepScored) error {
	_, _, err := a.callCommand(ctx, m, "", callID, func(c *domain.Call) ([]domain.Event, error) {
		return c.RecordDeepScore(s)
	})
	return err
}

// RecordDeepScoringFailure appends a deep-scoring failure (the scoring worker).
func (a *App) RecordDeepScoringFailure(ctx context.Context, m Meta, callID, reason string, transcriptVersion int, partial bool) error {
	_, _, err := a.callCommand(ctx, m, "", callID, func(c *domain.Call) ([]domain.Event, error) {
		return c.RecordDeepScoringFailure(reason, transcriptVersion, partial)
	})
	return err
}

// CallForUser returns the user's call aggregate, caught up with the log.
func (a *App) CallForUser(ctx context.Context, userID, callID string) (_ *domain.Call, err error) {
	defer door(&err)
	if !ValidID(callID) {
		return nil, notFound("call", callID)
	}
	unlock := a.lock(callID)
	defer unlock()
	c, err := a.loadCall(ctx, callID)
	if err != nil {
		return nil, err
	}
	if !c.Exists() || (userID != "" && c.UserID() != userID) {
		return nil, notFound("call", callID)
	}
	return c, nil
}

// ScoreInputFor is what scorers see of a call: its mode, its transcript as
// it stands, and its persona when the call's user may still see it.
func (a *App) ScoreInputFor(ctx context.Context, c *domain.Call) domain.ScoreInput {
	in := domain.ScoreInput{CallID: c.ID(), Mode: c.Mode(), Transcript: c.Transcript(), TranscriptVersion: c.TranscriptVersion()}
	if p, err := a.PersonaForUser(ctx, c.UserID(), c.PersonaID()); err == nil {
		facts := p.ScoringFacts()
		in.Persona = &facts
	}
	return in
}
