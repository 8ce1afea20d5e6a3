package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/migrations"
	"github.com/sparrow-coach/sparrow/projections"
)

// check is one line of the doctor's report.
type check struct {
	name, state, detail string
	failed              bool
}

// cmdDoctor shows which integrations are on and checks each one for real.
// Exit status 1 when a configured integration does not work.
func cmdDoctor(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "doctor", "[--skip-db]")
	skipDB := fs.Bool("skip-db", false, "do not check the database")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := configFromEnv(e.getenv)
	if err != nil {
		return err
	}
	var checks []check
	timed := func(name string, fn func(ctx context.Context) (string, error)) check {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		start := time.Now()
		detail, err := fn(cctx)
		took := time.Since(start).Round(time.Millisecond)
		if err != nil {
			return check{name, "FAILED", err.Error(), true}
		}
		return check{name, "ok", fmt.Sprintf("%s (%s)", detail, took), false}
	}
	off := func(name, how string) check { return check{name, "off", how, false} }

	if !*skipDB {
		checks = append(checks, timed("database", func(ctx context.Context) (string, error) {
			d, err := openDatabase(ctx, c, io.Discard, 2)
			if err != nil {
				return "", err
			}
			defer d.Close()
			cur, latest, err := migrations.Status(ctx, d.db)
			if err != nil {
				return "", err
			}
			sts, err := projections.Statuses(ctx, d.store, projections.All())
			if err != nil {
				return "", err
			}
			var lag []string
			for _, s := range sts {
				lag = append(lag, fmt.Sprintf("%s %d", s.Name, s.LagEvents))
			}
			where := "private cluster in " + c.devdbConfig(nil).Dir
			if c.DatabaseURL != "" {
				where = "DATABASE_URL"
			}
			return fmt.Sprintf("%s, schema %d/%d, events behind: %s", where, cur, latest, strings.Join(lag, ", ")), nil
		}))
	}

	switch {
	case c.LocalAuth():
		checks = append(checks, check{"auth", "local", "local sign-in (no Clerk keys): POST /api/dev/session and `sparrow token`", false})
	default:
		checks = append(checks, timed("clerk", func(ctx context.Context) (string, error) {
			v, how, err := clerkVerifier(ctx, c)
			if err != nil {
				return "", err
			}
			v.Close()
			return how, nil
		}))
	}
	if c.ClerkWebhookSecret == "" {
		checks = append(checks, off("clerk webhooks", "set CLERK_WEBHOOK_SECRET to accept POST /api/webhooks/clerk"))
	} else {
		checks = append(checks, check{"clerk webhooks", "on", "POST /api/webhooks/clerk verifies Svix signatures", false})
	}

	prov, perr := buildProviders(ctx, c)
	if perr != nil {
		checks = append(checks, check{"ai providers", "FAILED", perr.Error(), true})
	}
	probe := domain.ScoreInput{Mode: domain.ModeColdCall, TranscriptVersion: 2, Transcript: []domain.TranscriptEntry{
		{Role: domain.RoleUser, Content: "Hi, this is Sam from Routewise. How have you been?", TimestampMs: 0},
		{Role: domain.RoleAssistant, Content: "Fine. What is this about?", TimestampMs: 2000}}}
	if perr == nil {
		for _, st := range prov.Statuses() {
			if st.Built == nil {
				checks = append(checks, off(st.Entry.Key, st.Entry.HowToEnable))
				continue
			}
			b := *st.Built
			q, ok := b.Provider.(scoring.QuickProvider)
			if !ok {
				checks = append(checks, check{b.Provider.Name(), "on", "model " + b.Model + b.Where, false})
				continue
			}
			checks = append(checks, timed(b.Provider.Name(), func(ctx context.Context) (string, error) {
				s, err := q.QuickScore(ctx, probe)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("model %s%s answered a quick score (%d)", firstNonEmpty(s.Model, b.Model), b.Where, s.Overall), nil
			}))
		}
	}
	checks = append(checks, check{"builtin", "ok", "rubric scorer, persona generator and prospect simulator (always on, last in every chain)", false})

	if c.ElevenLabsAPIKey == "" {
		checks = append(checks, off("elevenlabs", "set ELEVENLABS_API_KEY and NEXT_PUBLIC_ELEVENLABS_AGENT_ID for voice calls; text practice works without"))
	} else {
		checks = append(checks, timed("elevenlabs", func(ctx context.Context) (string, error) {
			cl, err := elevenlabs.New(elevenlabs.Config{APIKey: c.ElevenLabsAPIKey, BaseURL: c.ElevenLabsBaseURL, AgentID: c.ElevenLabsAgentID})
			if err != nil {
				return "", err
			}
			if _, err := cl.SignedURL(ctx, ""); err != nil {
				return "", err
			}
			return "signed URL issued for agent " + c.ElevenLabsAgentID, nil
		}))
	}
	if c.ElevenLabsWebhookSecret == "" {
		checks = append(checks, off("elevenlabs webhooks", "set ELEVENLABS_WEBHOOK_SECRET to accept post-call transcripts"))
	} else {
		checks = append(checks, check{"elevenlabs webhooks", "on", "POST /api/webhooks/elevenlabs verifies ElevenLabs-Signature", false})
	}

	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	failed := 0
	for _, ch := range checks {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ch.name, ch.state, ch.detail)
		if ch.failed {
			failed++
		}
	}
	tw.Flush()
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d check(s) failed", failed)}
	}
	return nil
}

// clerkVerifier builds the Clerk session-token verifier the configuration
// describes, and says how it verifies.
func clerkVerifier(ctx context.Context, c Config) (*clerk.Verifier, string, error) {
	if c.ClerkPublishableKey == "" {
		return nil, "", fmt.Errorf("CLERK_JWT_KEY is set but NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY is not: it names the issuer tokens must come from")
	}
	vc, err := clerk.VerifierConfigFromPublishableKey(c.ClerkPublishableKey)
	if err != nil {
		return nil, "", fmt.Errorf("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: %w", err)
	}
	how := "session tokens from " + vc.Issuer + " verified against " + vc.JWKSURL
	switch {
	case c.ClerkJWTKey != "":
		vc.PEMPublicKey, vc.JWKSURL = c.ClerkJWTKey, ""
		how = "session tokens from " + vc.Issuer + " verified with CLERK_JWT_KEY (no network)"
	case c.ClerkSecretKey != "":
		// The Backend API serves the same keys to holders of the secret key;
		// CLERK_API_URL points it elsewhere (self-hosting, tests).
		vc.JWKSURL = strings.TrimRight(c.ClerkAPIURL, "/") + "/v1/jwks"
		vc.HTTPClient = &http.Client{Timeout: 10 * time.Second, Transport: bearer{token: c.ClerkSecretKey, next: http.DefaultTransport}}
		how = "session tokens from " + vc.Issuer + " verified against " + vc.JWKSURL + " (Backend API, CLERK_SECRET_KEY)"
	}
	vc.AuthorizedParties = c.Origins
	v, err := clerk.NewVerifier(ctx, vc)
	if err != nil {
		return nil, "", err
	}
	return v, how, nil
}

// bearer adds the Backend API's Authorization header to every request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
