package projections

import (
	"fmt"
	"time"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// Calls projects call streams into calls, transcripts and scores, and drops a
// deleted user's calls (transcripts and scores follow by ON DELETE CASCADE).
// Every statement on a call's child rows is tied to the call row existing,
// so a late event for a forgotten call changes nothing.
type Calls struct{}

func (Calls) Name() string      { return "calls" }
func (Calls) Tables() []string  { return []string{"calls", "transcripts", "scores"} }
func (Calls) Streams() []string { return []string{domain.StreamCall, domain.StreamUser} }

// touch is the CTE every call event starts with: it moves the call's version
// and updated_at, and yields the call's id only if the call row exists.
const touch = `WITH c AS (UPDATE calls SET version = $2, updated_at = $3 %s WHERE id = $1 RETURNING id) `

func (Calls) Apply(e eventstore.Event) ([]Stmt, error) {
	id, v, at := e.StreamID, e.Version, e.Metadata.OccurredAt
	switch d := e.Data.(type) {
	case *domain.CallCreated:
		return []Stmt{stmt(`INSERT INTO calls (id, user_id, persona_id, mode, status, imported, hints, version, created_at, updated_at)
VALUES ($1, $2, nullif($3, '')::uuid, $4, 'pending', $7, $8, $5, $6, $6) ON CONFLICT (id) DO NOTHING`, id, d.UserID, d.PersonaID, string(d.Mode), v, at, d.Imported, d.Hints)}, nil
	case *domain.CallStarted:
		return []Stmt{stmt(`UPDATE calls SET status = 'in_progress', started_at = $4,
  elevenlabs_conversation_id = coalesce(nullif($5, ''), elevenlabs_conversation_id), version = $2, updated_at = $3 WHERE id = $1`,
			id, v, at, d.StartedAt, d.ElevenlabsConversationID)}, nil
	case *domain.CallConversationLinked:
		return []Stmt{stmt(`UPDATE calls SET elevenlabs_conversation_id = $4, version = $2, updated_at = $3 WHERE id = $1`,
			id, v, at, d.ElevenlabsConversationID)}, nil
	case *domain.TranscriptChunkAdded:
		return []Stmt{stmt(fmt.Sprintf(touch, `, transcript_version = transcript_version + 1`)+
			`INSERT INTO transcripts (id, call_id, role, content, timestamp_ms, seq, created_at) SELECT $4, c.id, $5, $6, $7, $2, $3 FROM c`,
			id, v, at, e.Metadata.EventID, string(d.Role), d.Content, d.TimestampMs)}, nil
	case *domain.CallEnded:
		return []Stmt{stmt(`UPDATE calls SET status = 'completed', ended_at = $4, duration_seconds = $5, end_reason = $6,
  version = $2, updated_at = $3 WHERE id = $1`, id, v, at, d.EndedAt, d.DurationSeconds, d.Reason)}, nil
	case *domain.CallFailed:
		return []Stmt{stmt(`UPDATE calls SET status = 'failed', failure_reason = $4, version = $2, updated_at = $3 WHERE id = $1`,
			id, v, at, d.Reason)}, nil
	case *domain.CallQuickScored:
		// The overall score shows the quick score until a deep score exists.
		return []Stmt{stmt(fmt.Sprintf(touch, ``)+`INSERT INTO scores (id, call_id, overall_score, quick_score, quick_summary,
  quick_provider, quick_model, quick_transcript_version, created_at, updated_at)
SELECT c.id, c.id, $4, $4, $5, $6, $7, $8, $3, $3 FROM c
ON CONFLICT (call_id) DO UPDATE SET quick_score = excluded.quick_score, quick_summary = excluded.quick_summary,
  quick_provider = excluded.quick_provider, quick_model = excluded.quick_model,
  quick_transcript_version = excluded.quick_transcript_version,
  overall_score = CASE WHEN scores.deep_transcript_version IS NULL THEN excluded.overall_score ELSE scores.overall_score END,
  updated_at = excluded.updated_at`,
			id, v, at, d.Overall, d.Summary, d.Provider, d.Model, d.TranscriptVersion)}, nil
	case *domain.CallDeepScored:
		metrics := any(nil)
		if len(d.Metrics) > 0 {
			metrics = string(d.Metrics)
		}
		js, err := jsonArgs(nonNil(d.Strengths), nonNil(d.Improvements), nonNil(d.KeyMoments))
		if err != nil {
			return nil, fmt.Errorf("projection calls: %s: %w", e.Type, err)
		}
		return []Stmt{stmt(fmt.Sprintf(touch, ``)+`INSERT INTO scores (id, call_id, overall_score, opening_score, discovery_score,
  objection_score, communication_score, closing_score, strengths, improvements, key_moments, raw_feedback, metrics,
  deep_status, deep_provider, deep_model, rubric_version, deep_transcript_version, created_at, updated_at)
SELECT c.id, c.id, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14::jsonb, 'ready', $15, $16, $17, $18, $3, $3 FROM c
ON CONFLICT (call_id) DO UPDATE SET overall_score = excluded.overall_score, opening_score = excluded.opening_score,
  discovery_score = excluded.discovery_score, objection_score = excluded.objection_score,
  communication_score = excluded.communication_score, closing_score = excluded.closing_score,
  strengths = excluded.strengths, improvements = excluded.improvements, key_moments = excluded.key_moments,
  raw_feedback = excluded.raw_feedback, metrics = excluded.metrics, deep_status = 'ready',
  deep_provider = excluded.deep_provider, deep_model = excluded.deep_model, rubric_version = excluded.rubric_version,
  deep_transcript_version = excluded.deep_transcript_version, deep_error = NULL, updated_at = excluded.updated_at`,
			id, v, at, d.Overall, d.Opening, d.Discovery, d.ObjectionHandling, d.Communication, d.Closing,
			js[0], js[1], js[2], d.Summary, metrics,
			d.Provider, d.Model, d.RubricVersion, d.TranscriptVersion)}, nil
	case *domain.CallDeepScoringFailed:
		if d.Partial { // a later provider of the same chain scored the call
			return []Stmt{stmt(fmt.Sprintf(touch, ``)+`SELECT 1 FROM c`, id, v, at)}, nil
		}
		// A failure for an older transcript than the current deep score leaves the score ready.
		return []Stmt{stmt(fmt.Sprintf(touch, ``)+`UPDATE scores s SET deep_error = $4, deep_failed_version = $5, updated_at = $3,
  deep_status = CASE WHEN s.deep_transcript_version IS NOT NULL AND s.deep_transcript_version >= $5 THEN s.deep_status ELSE 'failed' END
FROM c WHERE s.call_id = c.id`, id, v, at, d.Reason, d.TranscriptVersion)}, nil
	case *domain.UserDeleted:
		return []Stmt{stmt(`DELETE FROM calls WHERE user_id = $1`, id)}, nil
	case *domain.UserRegistered, *domain.UserProfileUpdated, *domain.UserOnboardingCompleted:
		return nil, nil
	}
	return nil, fmt.Errorf("projection calls: no rule for %s", e.Type)
}

// RunnableType: transcript chunks, most of the log, are applied in runs.
func (Calls) RunnableType(eventType string) bool { return eventType == "TranscriptChunkAdded" }

// ApplyRun applies consecutive transcript chunks of one call: one update of
// the call and one multi-row insert, the same rows as one by one.
func (Calls) ApplyRun(evs []eventstore.Event) ([]Stmt, error) {
	n := len(evs)
	ids, roles, contents := make([]string, n), make([]string, n), make([]string, n)
	ts, seqs, ats := make([]int64, n), make([]int32, n), make([]time.Time, n)
	for i, e := range evs {
		d, ok := e.Data.(*domain.TranscriptChunkAdded)
		if !ok || e.StreamID != evs[0].StreamID {
			return nil, fmt.Errorf("projection calls: a run must hold one call's transcript chunks, got %s", e.Type)
		}
		ids[i], roles[i], contents[i] = e.Metadata.EventID, string(d.Role), d.Content
		ts[i], seqs[i], ats[i] = d.TimestampMs, int32(e.Version), e.Metadata.OccurredAt
	}
	last := evs[n-1]
	return []Stmt{stmt(fmt.Sprintf(touch, `, transcript_version = transcript_version + $4`)+
		`INSERT INTO transcripts (id, call_id, role, content, timestamp_ms, seq, created_at)
SELECT t.id, c.id, t.role, t.content, t.ts, t.seq, t.at
FROM c, unnest($5::uuid[], $6::text[], $7::text[], $8::bigint[], $9::int[], $10::timestamptz[]) AS t(id, role, content, ts, seq, at)`,
		last.StreamID, last.Version, last.Metadata.OccurredAt, n, ids, roles, contents, ts, seqs, ats)}, nil
}
