package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// Views returned by queries. They are read-table rows, not domain objects.

// UserView is a user's profile.
type UserView struct {
	ID                  string
	ClerkID             string
	Email               string
	FullName            *string
	AvatarURL           *string
	OnboardingCompleted bool
	OnboardingData      map[string]string
	Timezone            *string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Profile returns the user's profile.
func (a *App) Profile(ctx context.Context, userID string) (UserView, error) {
	var u UserView
	var data []byte
	err := a.pool.QueryRow(ctx, `SELECT id::text, clerk_id, email, full_name, avatar_url, onboarding_completed, onboarding_data,
  timezone, created_at, updated_at FROM users WHERE id = $1`, userID).
		Scan(&u.ID, &u.ClerkID, &u.Email, &u.FullName, &u.AvatarURL, &u.OnboardingCompleted, &data, &u.Timezone, &u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return UserView{}, notFound("user", userID)
	}
	if err != nil {
		return UserView{}, fmt.Errorf("app: profile: %w", eventstore.Classify(err))
	}
	if err := decodeColumn("users.onboarding_data", data, &u.OnboardingData); err != nil {
		return UserView{}, err
	}
	return u, nil
}

// PersonaView is a persona as listed.
type PersonaView struct {
	ID      string
	Profile domain.PersonaProfile
	Owner   *string
}

const personaCols = `id::text, name, role, company, industry, personality, difficulty, backstory, hidden_pains, objections,
  voice_id, system_prompt, coalesce(first_message, ''), first_messages, is_preset, owner_user_id::text`

func scanPersona(row pgx.Row) (PersonaView, error) {
	var (
		p                         PersonaView
		pains, objections, firsts []byte
	)
	err := row.Scan(&p.ID, &p.Profile.Name, &p.Profile.Role, &p.Profile.Company, &p.Profile.Industry, &p.Profile.Personality,
		&p.Profile.Difficulty, &p.Profile.Backstory, &pains, &objections, &p.Profile.VoiceID, &p.Profile.SystemPrompt,
		&p.Profile.FirstMessage, &firsts, &p.Profile.IsPreset, &p.Owner)
	if err != nil {
		return p, eventstore.Classify(err)
	}
	err = errors.Join(decodeColumn("personas.hidden_pains", pains, &p.Profile.HiddenPains),
		decodeColumn("personas.objections", objections, &p.Profile.Objections),
		decodeColumn("personas.first_messages", firsts, &p.Profile.FirstMessages))
	return p, err
}

// ListPersonas returns the presets and the user's own personas.
func (a *App) ListPersonas(ctx context.Context, userID string) ([]PersonaView, error) {
	rows, err := a.pool.Query(ctx, `SELECT `+personaCols+` FROM personas WHERE is_preset OR owner_user_id = $1
ORDER BY is_preset DESC, difficulty, name, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("app: personas: %w", eventstore.Classify(err))
	}
	defer rows.Close()
	out := []PersonaView{}
	for rows.Next() {
		p, err := scanPersona(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, eventstore.Classify(rows.Err())
}

// GetPersona returns a persona the user may see.
func (a *App) GetPersona(ctx context.Context, userID, personaID string) (PersonaView, error) {
	if !ValidID(personaID) {
		return PersonaView{}, notFound("persona", personaID)
	}
	p, err := scanPersona(a.pool.QueryRow(ctx, `SELECT `+personaCols+` FROM personas WHERE id = $1 AND (is_preset OR owner_user_id = $2)`, personaID, userID))
	if errors.Is(err, pgx.ErrNoRows) {
		return PersonaView{}, notFound("persona", personaID)
	}
	return p, err
}

// CallView is a call row.
type CallView struct {
	// PersonaID is "" for an imported call held with someone outside Sparrow.
	ID, UserID, PersonaID    string
	Mode                     domain.Mode
	Imported                 bool
	Status                   domain.CallStatus
	StartedAt, EndedAt       *time.Time
	DurationSeconds          *int
	ElevenlabsConversationID *string
	EndReason                *string
	TranscriptVersion        int
	Version                  int
	CreatedAt, UpdatedAt     time.Time
}

const callCols = `id::text, user_id::text, coalesce(persona_id::text, ''), mode, status, started_at, ended_at, duration_seconds,
  elevenlabs_conversation_id, end_reason, transcript_version, version, created_at, updated_at, imported`

func scanCall(row pgx.Row) (CallView, error) {
	var c CallView
	err := row.Scan(&c.ID, &c.UserID, &c.PersonaID, &c.Mode, &c.Status, &c.StartedAt, &c.EndedAt, &c.DurationSeconds,
		&c.ElevenlabsConversationID, &c.EndReason, &c.TranscriptVersion, &c.Version, &c.CreatedAt, &c.UpdatedAt, &c.Imported)
	return c, eventstore.Classify(err)
}

// GetCall returns the user's call.
func (a *App) GetCall(ctx context.Context, userID, callID string) (CallView, error) {
	if !ValidID(callID) {
		return CallView{}, notFound("call", callID)
	}
	c, err := scanCall(a.pool.QueryRow(ctx, `SELECT `+callCols+` FROM calls WHERE id = $1 AND user_id = $2`, callID, userID))
	if errors.Is(err, pgx.ErrNoRows) {
		return CallView{}, notFound("call", callID)
	}
	return c, err
}

// CallFilter narrows ListCalls.
type CallFilter struct {
	Mode   domain.Mode
	Status domain.CallStatus
	// Cursor continues a previous page (its NextCursor).
	Cursor string
	// Limit is the page size, 1..100 (default 20).
	Limit int
}

// ErrBadCursor: the cursor was not made by ListCalls.
var ErrBadCursor = fmt.Errorf("%w: cursor is not valid", domain.ErrInvalid)

// ListCalls returns the user's calls, newest first, and the cursor of the next page ("" at the end).
func (a *App) ListCalls(ctx context.Context, userID string, f CallFilter) ([]CallView, string, error) {
	if f.Limit == 0 {
		f.Limit = 20
	}
	if f.Limit < 1 || f.Limit > 100 {
		return nil, "", &domain.FieldError{Field: "limit", Err: fmt.Errorf("%w: limit must be 1..100", domain.ErrInvalid)}
	}
	where := []string{"user_id = $1"}
	args := []any{userID}
	if f.Mode != "" {
		args = append(args, string(f.Mode))
		where = append(where, fmt.Sprintf("mode = $%d", len(args)))
	}
	if f.Status != "" {
		args = append(args, string(f.Status))
		where = append(where, fmt.Sprintf("status = $%d", len(args)))
	}
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", &domain.FieldError{Field: "cursor", Err: ErrBadCursor}
		}
		args = append(args, at, id)
		where = append(where, fmt.Sprintf("(created_at, id) < ($%d, $%d)", len(args)-1, len(args)))
	}
	args = append(args, f.Limit+1)
	rows, err := a.pool.Query(ctx, `SELECT `+callCols+` FROM calls WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, "", fmt.Errorf("app: list calls: %w", eventstore.Classify(err))
	}
	defer rows.Close()
	out := []CallView{}
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", eventstore.Classify(err)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		last := out[len(out)-1]
		next = encodeCursor(last.CreatedAt, last.ID)
	}
	return out, next, nil
}

func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeCursor(s string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", err
	}
	ts, id, ok := strings.Cut(string(b), "|")
	at, err := time.Parse(time.RFC3339Nano, ts)
	if !ok || err != nil || !ValidID(id) {
		return time.Time{}, "", ErrBadCursor
	}
	return at, id, nil
}

// TranscriptLine is one transcript row.
type TranscriptLine struct {
	ID          string
	CallID      string
	Role        domain.Role
	Content     string
	TimestampMs int64
	Seq         int
	CreatedAt   time.Time
}

// Transcript returns the user's call transcript ordered by timestamp.
func (a *App) Transcript(ctx context.Context, userID, callID string) ([]TranscriptLine, error) {
	if _, err := a.GetCall(ctx, userID, callID); err != nil {
		return nil, err
	}
	rows, err := a.pool.Query(ctx, `SELECT id::text, call_id::text, role, content, timestamp_ms, seq, created_at
FROM transcripts WHERE call_id = $1 ORDER BY timestamp_ms, seq`, callID)
	if err != nil {
		return nil, fmt.Errorf("app: transcript: %w", eventstore.Classify(err))
	}
	defer rows.Close()
	out := []TranscriptLine{}
	for rows.Next() {
		var l TranscriptLine
		if err := rows.Scan(&l.ID, &l.CallID, &l.Role, &l.Content, &l.TimestampMs, &l.Seq, &l.CreatedAt); err != nil {
			return nil, eventstore.Classify(err)
		}
		out = append(out, l)
	}
	return out, eventstore.Classify(rows.Err())
}

// Deep-analysis states shown with a score.
const (
	DeepPending = "pending"
	DeepReady   = "ready"
	DeepFailed  = "failed"
)

// ScoreView is a call's score: the quick part, the deep part, and where
// deep analysis stands for the call's current transcript.
type ScoreView struct {
	CallID            string
	Overall           *int
	Quick             *domain.QuickScore
	QuickTranscript   *int
	DeepStatus        string
	DeepError         *string
	Deep              *domain.CallDeepScored
	TranscriptVersion int
	CreatedAt         *time.Time
	UpdatedAt         *time.Time
}

// Score returns the user's call score. A call that has not ended has no
// score yet (status pending, nothing else).
func (a *App) Score(ctx context.Context, userID, callID string) (ScoreView, error) {
	call, err := a.GetCall(ctx, userID, callID)
	if err != nil {
		return ScoreView{}, err
	}
	v := ScoreView{CallID: callID, DeepStatus: DeepPending, TranscriptVersion: call.TranscriptVersion}
	var (
		overall, quick, quickTV, deepTV, failedTV                *int
		opening, discovery, objection, communication, closing    *int
		qSummary, qProvider, qModel, feedback, dProvider, dModel *string
		rubric, deepErr                                          *string
		strengths, improvements, moments, metrics                []byte
		deepStatus                                               string
		created, updated                                         time.Time
	)
	err = a.pool.QueryRow(ctx, `SELECT overall_score, quick_score, quick_summary, quick_provider, quick_model, quick_transcript_version,
  opening_score, discovery_score, objection_score, communication_score, closing_score, strengths, improvements, key_moments,
  raw_feedback, metrics, deep_status, deep_provider, deep_model, rubric_version, deep_transcript_version, deep_error, deep_failed_version,
  created_at, updated_at FROM scores WHERE call_id = $1`, callID).Scan(&overall, &quick, &qSummary, &qProvider, &qModel, &quickTV,
		&opening, &discovery, &objection, &communication, &closing, &strengths, &improvements, &moments,
		&feedback, &metrics, &deepStatus, &dProvider, &dModel, &rubric, &deepTV, &deepErr, &failedTV, &created, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, nil
	}
	if err != nil {
		return ScoreView{}, fmt.Errorf("app: score: %w", eventstore.Classify(err))
	}
	v.Overall, v.QuickTranscript, v.CreatedAt, v.UpdatedAt = overall, quickTV, &created, &updated
	if quick != nil {
		v.Quick = &domain.QuickScore{Overall: *quick, Summary: str(qSummary), Provider: str(qProvider), Model: str(qModel), TranscriptVersion: num(quickTV)}
	}
	if deepTV != nil {
		d := &domain.CallDeepScored{Overall: *overall, Opening: num(opening), Discovery: num(discovery), ObjectionHandling: num(objection),
			Communication: num(communication), Closing: num(closing), Summary: str(feedback), Provider: str(dProvider), Model: str(dModel),
			RubricVersion: str(rubric), TranscriptVersion: *deepTV, Metrics: metrics}
		if err := errors.Join(decodeColumn("scores.strengths", strengths, &d.Strengths),
			decodeColumn("scores.improvements", improvements, &d.Improvements),
			decodeColumn("scores.key_moments", moments, &d.KeyMoments)); err != nil {
			return ScoreView{}, err
		}
		v.Deep = d
	}
	switch {
	case deepTV != nil && *deepTV >= call.TranscriptVersion:
		v.DeepStatus = DeepReady
	case failedTV != nil && *failedTV >= call.TranscriptVersion && (deepTV == nil || *deepTV < *failedTV):
		v.DeepStatus, v.DeepError = DeepFailed, deepErr
	default:
		v.DeepStatus = DeepPending // none yet, or the transcript grew since the last one
	}
	return v, nil
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func num(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// CallEvents returns the user's call history from the log.
func (a *App) CallEvents(ctx context.Context, userID, callID string, afterVersion int) ([]eventstore.Event, error) {
	if _, err := a.CallForUser(ctx, userID, callID); err != nil { // scopes the history to its owner
		return nil, err
	}
	return a.store.LoadRange(ctx, callID, afterVersion, 0)
}

// decodeColumn decodes a jsonb column of a read table. The projections write
// these columns with encoding/json, so a value that does not decode means a
// damaged read table: an error naming the column (`sparrow projections
// verify` finds it, `rebuild` repairs it), never a silently empty field.
func decodeColumn(column string, raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("app: read table column %s does not decode: %w", column, err)
	}
	return nil
}
