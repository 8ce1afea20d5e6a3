package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
)

// webhookPathPrefix starts every webhook route (their own body limit).
const webhookPathPrefix = "/api/webhooks/"

// What a webhook delivery did (WebhookAck.Result).
const (
	// WebhookApplied: the delivery changed something.
	WebhookApplied = "applied"
	// WebhookDuplicate: this delivery was processed before; nothing changed.
	WebhookDuplicate = "duplicate"
	// WebhookIgnored: nothing to do (an unhandled type, or nothing new).
	WebhookIgnored = "ignored"
	// WebhookUnknownCall: no call matches the conversation; acknowledged so
	// the sender does not retry a delivery that can never apply.
	WebhookUnknownCall = "unknown_call"
)

// WebhookAck is the answer to an accepted webhook delivery.
type WebhookAck struct {
	Received bool   `json:"received"`
	Type     string `json:"type"`
	Result   string `json:"result"`
	// CallID is the call an ElevenLabs delivery applied to (null otherwise).
	CallID *string `json:"callId"`
}

func ack(c echo.Context, typ, result, callID string) error {
	out := WebhookAck{Received: true, Type: typ, Result: result}
	if callID != "" {
		out.CallID = &callID
	}
	return c.JSON(http.StatusOK, out)
}

// webhookBody reads the raw body (the signature covers its exact bytes).
func (s *Server) webhookBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, s.bodyTooLarge(c)
	}
	if err != nil {
		return nil, errorf("read webhook body: %w", err)
	}
	return body, nil
}

// handleElevenLabsWebhook ingests ElevenLabs' post-call webhooks: verified
// by the ElevenLabs-Signature header, idempotent under redelivery (event ids
// derive from a hash of the body), and acknowledged with 200 whenever
// retrying could not help (unknown types, unknown calls, calls already
// failed), so ElevenLabs does not retry them forever. Only a failure on our
// side (5xx) makes it retry.
func (s *Server) handleElevenLabsWebhook(c echo.Context) error {
	secret := s.cfg.Webhooks.ElevenLabsSecret
	if secret == "" {
		return notFoundError("Route")
	}
	body, err := s.webhookBody(c)
	if err != nil {
		return err
	}
	if err := elevenlabs.VerifyWebhook(secret, c.Request().Header.Get(elevenlabs.SignatureHeader), body, time.Now(), s.cfg.Webhooks.ElevenLabsTolerance); err != nil {
		s.requestLogger(c).Warn("elevenlabs webhook refused", "err", err)
		return err
	}
	ev, err := elevenlabs.ParseWebhook(body)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	m := app.Meta{Actor: eventstore.ActorWebhookElevenLab, RequestID: requestID(c), IdempotencyKey: "elevenlabs/" + hex.EncodeToString(sum[:20])}
	log := s.requestLogger(c).With("webhook", "elevenlabs", "type", ev.Type)
	ctx := c.Request().Context()

	switch ev.Type {
	case elevenlabs.EventPostCallTranscription:
		conv := ev.Transcription
		log = log.With("conversation_id", conv.ConversationID)
		callID, err := s.app.VoiceCallFor(ctx, conv.DynamicVariable(DynamicVariableCallID), conv.ConversationID)
		if errors.Is(err, domain.ErrNotFound) {
			log.Warn("post-call transcript for no known call; acknowledged and dropped", "sparrow_call_id", conv.DynamicVariable(DynamicVariableCallID))
			return ack(c, ev.Type, WebhookUnknownCall, "")
		}
		if err != nil {
			return err
		}
		res, err := s.app.IngestConversation(ctx, m, "", callID, voiceConversation(*conv), true)
		if errors.Is(err, domain.ErrIllegalTransition) {
			log.Warn("post-call transcript cannot apply to the call; acknowledged", "call_id", callID, "err", err)
			return ack(c, ev.Type, WebhookIgnored, callID)
		}
		if err != nil {
			return err
		}
		log.Info("post-call transcript ingested", "call_id", callID, "lines_added", res.Added, "ended", res.Ended)
		result := WebhookIgnored
		if res.Added > 0 || res.Started || res.Linked || res.Ended {
			result = WebhookApplied
		}
		return ack(c, ev.Type, result, callID)

	case elevenlabs.EventCallInitiationFailure:
		f := ev.InitiationFailure
		log = log.With("conversation_id", f.ConversationID, "failure_reason", f.FailureReason)
		callID, err := s.app.VoiceCallFor(ctx, "", f.ConversationID)
		if errors.Is(err, domain.ErrNotFound) {
			log.Warn("call initiation failure for no known call; acknowledged")
			return ack(c, ev.Type, WebhookUnknownCall, "")
		}
		if err != nil {
			return err
		}
		reason := "voice_initiation_failed"
		if r := strings.TrimSpace(f.FailureReason); r != "" {
			reason += ": " + r
		}
		changed, err := s.app.FailVoiceCall(ctx, m, callID, reason)
		if err != nil {
			return err
		}
		log.Info("call initiation failure", "call_id", callID, "marked_failed", changed)
		if changed {
			return ack(c, ev.Type, WebhookApplied, callID)
		}
		return ack(c, ev.Type, WebhookIgnored, callID)

	default:
		// post_call_audio (Sparrow keeps no audio) and types added later.
		log.Info("elevenlabs webhook type not handled; acknowledged")
		return ack(c, ev.Type, WebhookIgnored, "")
	}
}

// handleClerkWebhook applies Clerk's user events (spec §8.2), verified with
// Svix. user.created and user.updated register or update the user;
// user.deleted deletes the account and erases its personal data from the log
// (docs/privacy.md). A redelivered svix-id has no second effect.
func (s *Server) handleClerkWebhook(c echo.Context) error {
	secret := s.cfg.Webhooks.ClerkSecret
	if secret == "" {
		return notFoundError("Route")
	}
	body, err := s.webhookBody(c)
	if err != nil {
		return err
	}
	h := c.Request().Header
	if err := clerk.VerifyWebhook(secret, h, body); err != nil {
		s.requestLogger(c).Warn("clerk webhook refused", "err", err)
		return err
	}
	ev, err := clerk.ParseWebhook(body)
	if err != nil {
		return err
	}
	msgID := h.Get(clerk.HeaderSvixID)
	log := s.requestLogger(c).With("webhook", "clerk", "type", ev.Type, "svix_id", msgID)
	ctx := c.Request().Context()
	m := app.Meta{Actor: eventstore.ActorWebhookClerk, RequestID: requestID(c), IdempotencyKey: "clerk/" + msgID}

	switch ev.Type {
	case clerk.EventUserCreated, clerk.EventUserUpdated:
		done, err := s.app.DeliveryRecorded(ctx, m.IdempotencyKey)
		if err != nil {
			return err
		}
		if done {
			log.Info("clerk webhook redelivered; already applied")
			return ack(c, ev.Type, WebhookDuplicate, "")
		}
		id := app.Identity{Subject: ev.UserID, Email: ev.Email, FullName: ev.FullName(), AvatarURL: ev.ImageURL}
		if id.Email == "" {
			id.Email = placeholderEmail(ev.UserID)
		}
		uid, err := s.app.SyncUser(ctx, m, id)
		var fe *domain.FieldError
		switch {
		case errors.Is(err, app.ErrUserDeleted):
			log.Info("clerk user event for a deleted account; acknowledged")
			return ack(c, ev.Type, WebhookIgnored, "")
		case errors.As(err, &fe):
			// Retrying cannot make the data valid.
			log.Warn("clerk user event refused by the domain; acknowledged", "field", fe.Field, "err", err)
			return ack(c, ev.Type, WebhookIgnored, "")
		case err != nil:
			return err
		}
		log.Info("clerk user synced", "user_id", uid)
		return ack(c, ev.Type, WebhookApplied, "")

	case clerk.EventUserDeleted:
		// Always run: both steps are idempotent, and a delivery whose
		// erasure failed must finish it when it comes again.
		uid := app.UserIDFor(ev.UserID)
		rep, err := s.app.ForgetUser(ctx, m, ev.UserID, "clerk user.deleted")
		s.identities.forgetUser(uid)
		s.tokens.forgetUser(uid)
		if err != nil {
			return err
		}
		log.Info("clerk user deleted and erased", "user_id", uid, "calls", rep.Calls, "transcript_lines", rep.TranscriptLines, "events", rep.Events)
		return ack(c, ev.Type, WebhookApplied, "")

	default:
		log.Info("clerk webhook type not handled; acknowledged")
		return ack(c, ev.Type, WebhookIgnored, "")
	}
}

// placeholderEmail stands in for the address of a Clerk user without one
// (as session provisioning does).
func placeholderEmail(subject string) string {
	if !safeSubject.MatchString(subject) {
		subject = strings.ReplaceAll(app.UserIDFor(subject), "-", "")
	}
	return subject + "@" + placeholderEmailDomain
}
