package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// CallForConversation returns the id of the call linked to a voice
// conversation (the newest if several), or domain.ErrNotFound. It reads the
// calls table.
func (a *App) CallForConversation(ctx context.Context, conversationID string) (string, error) {
	if domain.ValidateConversationID(conversationID) != nil {
		// No call can be linked to an id the domain refuses (and PostgreSQL
		// cannot compare a string holding NUL).
		return "", fmt.Errorf("call of conversation %q: %w", conversationID, domain.ErrNotFound)
	}
	var id string
	err := a.pool.QueryRow(ctx, `SELECT id::text FROM calls WHERE elevenlabs_conversation_id = $1
ORDER BY created_at DESC, id DESC LIMIT 1`, conversationID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("call of conversation %q: %w", conversationID, domain.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("app: call of conversation: %w", eventstore.Classify(err))
	}
	return id, nil
}

// VoiceCallFor finds the call a voice conversation belongs to: the call
// named by callHint (the call id the start configuration passed to the voice
// agent) when it exists and is not linked to another conversation, else the
// call linked to conversationID. Neither is domain.ErrNotFound.
func (a *App) VoiceCallFor(ctx context.Context, callHint, conversationID string) (_ string, err error) {
	defer door(&err)
	if conversationID != "" && domain.ValidateConversationID(conversationID) != nil {
		// A conversation id that cannot be stored names no call, whatever the hint says.
		return "", fmt.Errorf("call of conversation %q: %w", conversationID, domain.ErrNotFound)
	}
	if ValidID(callHint) {
		c, err := a.CallForUser(ctx, "", callHint)
		switch {
		case err == nil && (c.ConversationID() == "" || conversationID == "" || c.ConversationID() == conversationID):
			return callHint, nil
		case err == nil:
			a.cfg.Logger.Warn("voice conversation names a call linked to another conversation; looking it up by conversation id",
				"call_id", callHint, "conversation_id", conversationID, "linked", c.ConversationID())
		case !errors.Is(err, domain.ErrNotFound):
			return "", err
		}
	}
	if conversationID == "" {
		return "", fmt.Errorf("call of a conversation without id: %w", domain.ErrNotFound)
	}
	return a.CallForConversation(ctx, conversationID)
}

// FailVoiceCall marks a call failed because its voice conversation could
// not start (no user scope: webhooks). It reports whether the call changed:
// a call already completed or failed is left as it is.
func (a *App) FailVoiceCall(ctx context.Context, m Meta, callID, reason string) (_ bool, err error) {
	defer door(&err)
	if reason == "" {
		reason = "voice_initiation_failed"
	}
	changed := false
	_, _, err = a.callCommand(ctx, m, "", callID, func(c *domain.Call) ([]domain.Event, error) {
		if st := c.Status(); st != domain.CallPending && st != domain.CallInProgress {
			changed = false
			return nil, nil
		}
		changed = true
		return c.Fail(truncateReason(reason))
	})
	return changed, err
}

func truncateReason(r string) string {
	r = domain.SanitizeText(r)
	if rs := []rune(r); len(rs) > domain.MaxReasonLength {
		return string(rs[:domain.MaxReasonLength])
	}
	return r
}

// maxEventsPerKey bounds how many events one keyed command appends, for
// DeliveryRecorded (a user command appends one).
const maxEventsPerKey = 4

// DeliveryRecorded reports whether a command run with this idempotency key
// (Meta.IdempotencyKey) already recorded events. Webhook handlers use it to
// give a redelivered message no second effect even when the state has moved
// on since (a redelivered user.created after a user.updated must not undo
// the update). A delivery that recorded nothing the first time is not
// remembered; running it again records nothing again.
func (a *App) DeliveryRecorded(ctx context.Context, key string) (_ bool, err error) {
	defer door(&err)
	if key == "" {
		return false, nil
	}
	types := domain.EventTypes()
	ids := make([]string, 0, maxEventsPerKey*len(types))
	for i := range maxEventsPerKey {
		for _, t := range types {
			ids = append(ids, keyedEventID(key, i, t.Name))
		}
	}
	found, err := a.store.AnyRecorded(ctx, ids)
	if err != nil {
		return false, fmt.Errorf("app: delivery recorded: %w", eventstore.Classify(err))
	}
	return found, nil
}

// keyedEventID is the id newEvents gives the i-th event of a command run with key.
func keyedEventID(key string, i int, eventType string) string {
	return uuid.NewSHA1(idempotencyNS, fmt.Appendf(nil, "%s/%d/%s", key, i, eventType)).String()
}

// deliveryTTL is how long a webhook delivery id is remembered: far longer
// than a sender retries (Svix: about 28 hours).
const deliveryTTL = 14 * 24 * time.Hour

// deliveryHandled reports whether a delivery of source with this id was
// handled before (rememberDelivery). The table webhook_deliveries is owned here.
func (a *App) deliveryHandled(ctx context.Context, source, deliveryID string) (bool, error) {
	if deliveryID == "" {
		return false, nil
	}
	var found bool
	err := a.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE source = $1 AND delivery_id = $2 AND handled_at >= $3)`,
		source, deliveryID, a.cfg.Now().UTC().Add(-deliveryTTL)).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("app: delivery handled: %w", eventstore.Classify(err))
	}
	return found, nil
}

// rememberDelivery records that a delivery was handled, whatever it did
// (applied, ignored): its redelivery must change nothing, even after later
// deliveries moved the state on. Only a delivery that failed (and will be
// retried) is not remembered.
func (a *App) rememberDelivery(ctx context.Context, source, deliveryID, result string) error {
	if deliveryID == "" {
		return nil
	}
	now := a.cfg.Now().UTC()
	_, err := a.pool.Exec(ctx, `INSERT INTO webhook_deliveries (source, delivery_id, result, handled_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (source, delivery_id) DO UPDATE SET result = EXCLUDED.result, handled_at = EXCLUDED.handled_at`, source, deliveryID, result, now)
	if err != nil {
		return fmt.Errorf("app: remember delivery: %w", eventstore.Classify(err))
	}
	if a.purgeTick.Add(1)%64 == 0 {
		if _, err := a.pool.Exec(ctx, `DELETE FROM webhook_deliveries WHERE ctid = ANY (ARRAY(
  SELECT ctid FROM webhook_deliveries WHERE handled_at < $1 LIMIT 1000))`, now.Add(-deliveryTTL)); err != nil {
			a.cfg.Logger.Warn("purging old webhook delivery ids failed; the next purge retries", "err", err)
		}
	}
	return nil
}
