package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Erased replaces erased text in the event log.
const Erased = "[erased]"

// ErrUserNotDeleted: personal data is erased only from deleted accounts.
var ErrUserNotDeleted = errors.New("app: user is not deleted")

// ErasureReport counts what EraseUser redacted.
type ErasureReport struct {
	// Calls is how many of the user's calls were found in the log.
	Calls int
	// TranscriptLines is how many transcript chunks had their text erased.
	TranscriptLines int
	// Events is how many other events (user events, scores, end reasons) were redacted.
	Events int
}

// ForgetUser deletes the account of the identity provider's subject
// (DeleteUser) and erases its personal data from the event log (EraseUser).
// Both steps are idempotent, so a redelivered deletion does no harm.
func (a *App) ForgetUser(ctx context.Context, m Meta, subject, reason string) (_ ErasureReport, err error) {
	defer door(&err)
	if err := a.DeleteUser(ctx, m, subject, reason); err != nil {
		return ErasureReport{}, err
	}
	return a.EraseUser(ctx, UserIDFor(subject))
}

// EraseUser removes a deleted user's personal data from the event log (see
// docs/privacy.md): the email, names, avatar and Clerk id of the user's
// events, the onboarding answers, and every text of the user's calls that
// came from or quotes the conversation (transcript lines, score summaries,
// strengths, improvements, key moments, metrics text, end and failure
// reasons) become Erased. Ids, event types, versions, timestamps, modes,
// roles and scores stay, so the log and every projection rebuilt from it
// stay consistent. The read tables forgot the user already (projections
// apply UserDeleted), and a rebuild brings nothing back.
//
// The rewrite is eventstore.Store.Redact, the log's one documented exception
// to immutability: one short transaction that changes payloads only (ids,
// versions and positions stay) and checks every rewritten event still
// decodes. EraseUser is idempotent. A user that never existed is a no-op; a
// user not deleted is ErrUserNotDeleted.
func (a *App) EraseUser(ctx context.Context, userID string) (rep ErasureReport, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("app: erase user %s: %w", userID, err)
		}
	}()
	u, err := a.loadUser(ctx, userID)
	if err != nil {
		return ErasureReport{}, err
	}
	if u.Version() == 0 {
		return ErasureReport{}, nil
	}
	if !u.Deleted() {
		return ErasureReport{}, ErrUserNotDeleted
	}
	// The user's calls, from the log: the calls table already forgot them.
	calls, err := a.store.StreamsWhere(ctx, "CallCreated", "userId", userID)
	if err != nil {
		return ErasureReport{}, err
	}
	rep.Calls = len(calls)
	// One store redaction (one short transaction) over the user's stream and
	// the calls' streams, under the rules of redactPayload.
	res, err := a.store.Redact(ctx, append([]string{userID}, calls...), func(eventType string, _ int, payload []byte) ([]byte, error) {
		return redactPayload(eventType, payload, userID)
	})
	if err != nil {
		return ErasureReport{}, err
	}
	rep.TranscriptLines = res.ByType["TranscriptChunkAdded"]
	rep.Events = res.Events - rep.TranscriptLines
	// Responses kept for idempotent retries may quote the user.
	if err := a.forgetIdempotency(ctx, userID); err != nil {
		return ErasureReport{}, err
	}
	// This process's cached call aggregates hold the old text.
	for _, c := range calls {
		a.calls.drop(c)
	}
	a.cfg.Logger.Info("erased a deleted user's personal data from the event log", "user_id", userID,
		"calls", rep.Calls, "transcript_lines", rep.TranscriptLines, "events", rep.Events)
	return rep, nil
}

// redactPayload applies the erasure rules of one event type to its stored
// payload (an eventstore.RedactRule): it returns the payload to store, the
// same bytes for event types without personal data. Numbers are kept
// exactly. Applying it to its own output gives the same output.
func redactPayload(eventType string, payload []byte, userID string) ([]byte, error) {
	switch eventType {
	case "UserRegistered", "UserProfileUpdated", "UserOnboardingCompleted", "TranscriptChunkAdded",
		"CallQuickScored", "CallDeepScored", "CallEnded", "CallFailed", "CallDeepScoringFailed":
	default:
		return payload, nil
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var p map[string]any
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	set := func(k string, v any) {
		if _, ok := p[k]; ok {
			p[k] = v
		}
	}
	switch eventType {
	case "UserRegistered":
		// The Clerk id keeps the users table's unique key distinct on a rebuild.
		set("clerkId", "erased_"+userID)
		for _, k := range []string{"email", "fullName", "avatarUrl"} {
			set(k, Erased)
		}
	case "UserProfileUpdated":
		for _, k := range []string{"email", "fullName", "avatarUrl"} {
			set(k, Erased)
		}
	case "UserOnboardingCompleted":
		set("data", map[string]any{})
		set("timezone", "UTC")
	case "TranscriptChunkAdded":
		p["content"] = Erased
	case "CallQuickScored":
		set("summary", Erased)
	case "CallDeepScored":
		set("summary", Erased)
		for _, k := range []string{"strengths", "improvements", "keyMoments"} {
			if list, ok := p[k].([]any); ok {
				for _, item := range list {
					if obj, ok := item.(map[string]any); ok {
						for _, f := range []string{"point", "evidence", "description", "quote"} {
							if _, ok := obj[f]; ok {
								obj[f] = Erased
							}
						}
					}
				}
			}
		}
		if m, ok := p["metrics"]; ok {
			p["metrics"] = eraseStrings(m)
		}
	case "CallEnded", "CallFailed", "CallDeepScoringFailed":
		set("reason", Erased)
	}
	return json.Marshal(p)
}

// eraseStrings replaces every string in a JSON value (metrics quote the
// transcript: objections, proposals), keeping numbers, booleans and keys.
func eraseStrings(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return x
		}
		return Erased
	case []any:
		for i := range x {
			x[i] = eraseStrings(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = eraseStrings(x[k])
		}
	}
	return v
}
