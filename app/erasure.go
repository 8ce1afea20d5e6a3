package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
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

// erasedCallEvents are the call events whose free text EraseUser redacts
// besides transcript chunks.
var erasedCallEvents = []string{"CallQuickScored", "CallDeepScored", "CallDeepScoringFailed", "CallEnded", "CallFailed"}

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
// The rewrite is one short transaction; EraseUser is idempotent. A user that
// never existed is a no-op; a user not deleted is ErrUserNotDeleted.
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
	var calls []string
	rows, err := a.pool.Query(ctx, `SELECT DISTINCT stream_id::text FROM events WHERE event_type = 'CallCreated' AND payload->>'userId' = $1`, userID)
	if err != nil {
		return ErasureReport{}, err
	}
	if calls, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return ErasureReport{}, err
	}
	rep.Calls = len(calls)

	// Events other than transcript chunks are few: rewritten here.
	var ids, payloads []string
	rows, err = a.pool.Query(ctx, `SELECT event_id::text, event_type, payload::text FROM events WHERE stream_id = $1
UNION ALL
SELECT event_id::text, event_type, payload::text FROM events WHERE stream_id = ANY($2::uuid[]) AND event_type = ANY($3::text[])`,
		userID, calls, erasedCallEvents)
	if err != nil {
		return ErasureReport{}, err
	}
	var id, typ, payload string
	_, err = pgx.ForEachRow(rows, []any{&id, &typ, &payload}, func() error {
		out, changed, err := redactPayload(typ, []byte(payload), userID)
		if err != nil {
			return fmt.Errorf("event %s (%s): %w", id, typ, err)
		}
		if changed {
			ids, payloads = append(ids, id), append(payloads, string(out))
		}
		return nil
	})
	if err != nil {
		return ErasureReport{}, err
	}

	// One short transaction: transcript text in one statement, the rest by id.
	err = pgx.BeginFunc(ctx, a.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE events SET payload = jsonb_set(payload, '{content}', to_jsonb($2::text))
WHERE stream_id = ANY($1::uuid[]) AND event_type = 'TranscriptChunkAdded' AND payload->>'content' IS DISTINCT FROM $2`, calls, Erased)
		if err != nil {
			return err
		}
		rep.TranscriptLines = int(tag.RowsAffected())
		if len(ids) == 0 {
			return nil
		}
		tag, err = tx.Exec(ctx, `UPDATE events e SET payload = v.payload::jsonb
FROM unnest($1::uuid[], $2::text[]) AS v(id, payload) WHERE e.event_id = v.id`, ids, payloads)
		rep.Events = int(tag.RowsAffected())
		return err
	})
	if err != nil {
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

// redactPayload applies the erasure rules of one event type to its payload
// and reports whether anything changed. Numbers are kept exactly.
func redactPayload(eventType string, payload []byte, userID string) ([]byte, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var p map[string]any
	if err := dec.Decode(&p); err != nil {
		return nil, false, err
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
	default:
		return payload, false, nil
	}
	out, err := json.Marshal(p)
	if err != nil {
		return nil, false, err
	}
	return out, !jsonEqual(out, payload), nil
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

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}
