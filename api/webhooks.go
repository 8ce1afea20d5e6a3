package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
)

// webhookPathPrefix starts every webhook route (their own body limit).
const webhookPathPrefix = "/api/webhooks/"

// What a webhook delivery did (WebhookAck.Result).
const (
	// WebhookApplied: the delivery changed something.
	WebhookApplied = app.WebhookApplied
	// WebhookDuplicate: this delivery was processed before; nothing changed.
	WebhookDuplicate = app.WebhookDuplicate
	// WebhookIgnored: nothing to do (an unhandled type, or nothing new).
	WebhookIgnored = app.WebhookIgnored
	// WebhookUnknownCall: no call matches the conversation; acknowledged so
	// the sender does not retry a delivery that can never apply.
	WebhookUnknownCall = app.WebhookUnknownCall
	// WebhookTruncated: the conversation was longer than a call can hold;
	// the lines that fit were recorded, the call ended, the rest dropped.
	WebhookTruncated = app.WebhookTruncated
)

// WebhookAck is the answer to an accepted webhook delivery.
type WebhookAck struct {
	Received bool   `json:"received"`
	Type     string `json:"type"`
	Result   string `json:"result"`
	// CallID is the call an ElevenLabs delivery applied to (null otherwise).
	CallID *string `json:"callId"`
}

func ack(c echo.Context, out app.WebhookOutcome) error {
	a := WebhookAck{Received: true, Type: out.Type, Result: out.Result}
	if out.CallID != "" {
		a.CallID = &out.CallID
	}
	return c.JSON(http.StatusOK, a)
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

// delivery is the request as a webhook delivery: the signature covers the
// exact bytes of the body.
func (s *Server) delivery(c echo.Context) (app.WebhookDelivery, error) {
	body, err := s.webhookBody(c)
	if err != nil {
		return app.WebhookDelivery{}, err
	}
	return app.WebhookDelivery{Header: c.Request().Header, Body: body, RequestID: requestID(c)}, nil
}

// handleElevenLabsWebhook applies ElevenLabs' post-call webhooks
// (app.HandleVoiceWebhook): verified by the ElevenLabs-Signature header,
// idempotent under redelivery, and acknowledged with 200 whenever retrying
// could not help (unknown types, unknown calls, calls already failed, a
// conversation longer than a call can hold), so
// ElevenLabs does not retry them forever. Only a failure on our side (5xx)
// makes it retry. Without a verifier the route answers 404.
func (s *Server) handleElevenLabsWebhook(c echo.Context) error {
	if !s.app.VoiceWebhookEnabled() {
		return notFoundError("Route")
	}
	d, err := s.delivery(c)
	if err != nil {
		return err
	}
	out, err := s.app.HandleVoiceWebhook(c.Request().Context(), d)
	if err != nil {
		return err
	}
	return ack(c, out)
}

// handleClerkWebhook applies Clerk's user events (spec §8.2,
// app.HandleIdentityWebhook), verified with Svix. A deleted user's cached
// sessions are dropped at once. Without a verifier the route answers 404.
func (s *Server) handleClerkWebhook(c echo.Context) error {
	if !s.app.IdentityWebhookEnabled() {
		return notFoundError("Route")
	}
	d, err := s.delivery(c)
	if err != nil {
		return err
	}
	out, err := s.app.HandleIdentityWebhook(c.Request().Context(), d)
	if out.ErasedUserID != "" {
		s.identities.forgetUser(out.ErasedUserID)
		s.tokens.forgetUser(out.ErasedUserID)
	}
	if err != nil {
		return err
	}
	return ack(c, out)
}
