package eventstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// RedactRule decides what one stored event's payload becomes when it is
// redacted. It receives the event as stored (type, schema version and raw
// JSON payload, before any upcasting) and returns the payload to store
// instead; returning the payload unchanged (or an equal JSON document)
// leaves the event as it is. It must be deterministic and pure: Redact may
// call it on events it has already redacted, and applying it twice must
// give what applying it once gave (so Redact is idempotent).
type RedactRule func(eventType string, schemaVersion int, payload []byte) ([]byte, error)

// RedactResult counts the events Redact rewrote.
type RedactResult struct {
	// Events is how many events had their payload rewritten.
	Events int
	// ByType counts them per event type.
	ByType map[string]int
}

// Redact rewrites, in place, the payloads of the events of streams that
// rule changes. It is the ONE exception to the log's immutability, for
// erasing personal data (docs/privacy.md); nothing else ever changes a
// stored event. What it guarantees:
//
//   - only payloads change: event ids, stream ids, types, schema versions,
//     stream versions, positions, recorded-at times and metadata stay as
//     they were, so consumer offsets, projection versions, idempotent
//     retries (same event ids) and exports stay valid;
//   - every rewritten payload still decodes as its event type through the
//     store's registry (upcasters included), so the live projections and a
//     rebuild from the redacted log keep working; the redaction is checked
//     before anything is written, and a rule that errs or produces a payload
//     that does not decode fails the whole call with ErrInvalidRedaction and
//     changes nothing;
//   - all of it is one transaction: every changed event is rewritten, or
//     none is;
//   - it is idempotent when rule is (see RedactRule): running it again
//     rewrites nothing and reports 0 events.
//
// Consumers are not told: projections that already applied an event keep
// what they derived from the old payload, so callers first make the read
// tables forget the data (e.g. by appending an event the projections apply,
// such as UserDeleted), then redact the log so no rebuild brings it back.
// Events appended to the streams while Redact runs are not redacted; run it
// again to cover them. Stream ids that are not UUIDs hold no events.
func (s *Store) Redact(ctx context.Context, streamIDs []string, rule RedactRule) (res RedactResult, err error) {
	defer wrap(&err, "Redact(%d streams)", len(streamIDs))
	res.ByType = map[string]int{}
	ids := make([]string, 0, len(streamIDs))
	for _, id := range streamIDs {
		if uuid.Validate(id) == nil {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return res, nil
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT event_id::text, event_type, schema_version, payload::text, "offset", transaction_id::text AS txid
FROM events WHERE stream_id = ANY($1::uuid[]) ORDER BY stream_id, stream_version FOR UPDATE`, ids)
		if err != nil {
			return err
		}
		var (
			eventIDs, payloads []string
			id, typ, payload   string
			txid               string
			sv                 int
			pos                Position
		)
		_, err = pgx.ForEachRow(rows, []any{&id, &typ, &sv, &payload, &pos.Offset, &txid}, func() error {
			var perr error
			if pos.TxID, perr = strconv.ParseUint(txid, 10, 64); perr != nil {
				return fmt.Errorf("transaction id %q: %w", txid, perr)
			}
			out, rerr := rule(typ, sv, []byte(payload))
			if rerr != nil {
				return fmt.Errorf("%w: event %s (%s): %w", ErrInvalidRedaction, id, typ, rerr)
			}
			if out == nil || string(out) == payload {
				return nil
			}
			if _, _, derr := s.cfg.Registry.Decode(pos, typ, sv, out); derr != nil {
				return fmt.Errorf("%w: event %s (%s) would no longer decode: %w", ErrInvalidRedaction, id, typ, derr)
			}
			eventIDs, payloads = append(eventIDs, id), append(payloads, string(out))
			return nil
		})
		if err != nil || len(eventIDs) == 0 {
			return err
		}
		// JSON equality is decided by jsonb (key order and spacing do not
		// count), so an already redacted event is not rewritten again.
		rows, err = tx.Query(ctx, `UPDATE events e SET payload = v.payload::jsonb
FROM unnest($1::uuid[], $2::text[]) AS v(id, payload)
WHERE e.event_id = v.id AND e.payload IS DISTINCT FROM v.payload::jsonb
RETURNING e.event_type`, eventIDs, payloads)
		if err != nil {
			return err
		}
		_, err = pgx.ForEachRow(rows, []any{&typ}, func() error {
			res.Events++
			res.ByType[typ]++
			return nil
		})
		return err
	})
	if err != nil {
		return RedactResult{ByType: map[string]int{}}, err
	}
	// The consumer groups' shared stretch may hold the old payloads: this
	// process forgets it (another replica's keeps them for the fraction of a
	// second its stretch spans, and only groups inside it read them).
	s.reads.reset()
	return res, nil
}
