package eventstore

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// VersionOf returns the stream version at which eventID is recorded in
// streamID, or 0 when it is not recorded there (an id recorded in another
// stream is not found either). Idempotent commands use it to find what an
// earlier run of the same request recorded.
func (s *Store) VersionOf(ctx context.Context, streamID, eventID string) (v int, err error) {
	defer wrap(&err, "VersionOf(%s, %s)", streamID, eventID)
	if uuid.Validate(streamID) != nil || uuid.Validate(eventID) != nil {
		return 0, nil // not ids, so not recorded
	}
	err = s.pool.QueryRow(ctx, `SELECT coalesce(max(stream_version), 0) FROM events WHERE event_id = $1 AND stream_id = $2`,
		eventID, streamID).Scan(&v)
	return v, err
}

// AnyRecorded reports whether any of eventIDs is recorded, in any stream.
// Ids that are not UUIDs are never recorded.
func (s *Store) AnyRecorded(ctx context.Context, eventIDs []string) (found bool, err error) {
	defer wrap(&err, "AnyRecorded")
	ids := make([]string, 0, len(eventIDs))
	for _, id := range eventIDs {
		if uuid.Validate(id) == nil {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return false, nil
	}
	err = s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE event_id = ANY($1::uuid[]))`, ids).Scan(&found)
	return found, err
}

// StreamsWhere returns the ids of the streams holding an event of type
// eventType whose payload has the top-level string field `field` equal to
// value (e.g. the calls of a user: CallCreated with userId = the user's id),
// in no particular order. It scans the log: meant for rare operations
// (erasure), not for request paths.
func (s *Store) StreamsWhere(ctx context.Context, eventType, field, value string) (ids []string, err error) {
	defer wrap(&err, "StreamsWhere(%s.%s)", eventType, field)
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT stream_id::text FROM events WHERE event_type = $1 AND payload->>$2 = $3`,
		eventType, field, value)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
