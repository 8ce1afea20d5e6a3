package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/transcriptfile"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/projections"
)

// cmdImport scores a call held elsewhere: the transcript file becomes a completed call of the user, marked
// imported, quick-scored and deep-scored with the configured providers (as the server would).
func cmdImport(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "import", "--file PATH --email X | --user ID --rep NAME --mode MODE [--persona ID] [--format F] [--started-at T]")
	file := fs.String("file", "", "the transcript: Speaker: text lines, WebVTT (.vtt), SRT (.srt) or the API's JSON ('-' reads stdin)")
	email := fs.String("email", "", "the local sign-in user (created if new)")
	user := fs.String("user", "", "the user's id (any sign-in)")
	rep := fs.String("rep", "", "the rep's speaker name in the file (not needed for JSON)")
	mode := fs.String("mode", "", "cold_call, discovery or objection_gauntlet")
	persona := fs.String("persona", "", "the persona closest to the prospect (optional)")
	format := fs.String("format", "", "text, vtt, srt or json (default: from the file's extension, else its content)")
	started := fs.String("started-at", "", "when the call began, RFC 3339 (default: it ended now)")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *file == "":
		fs.Usage()
		return &exitError{code: 2, msg: "--file is required"}
	case (*email == "") == (*user == ""):
		fs.Usage()
		return &exitError{code: 2, msg: "give exactly one of --email and --user"}
	case *mode == "":
		fs.Usage()
		return &exitError{code: 2, msg: "--mode is required (cold_call, discovery or objection_gauntlet)"}
	}
	req := app.ImportRequest{Mode: domain.Mode(*mode), RepSpeaker: *rep, PersonaID: *persona, Format: transcriptfile.Format(*format)}
	if req.Format == transcriptfile.FormatAuto {
		req.Format = formatOfName(*file)
	}
	if *started != "" {
		t, err := time.Parse(time.RFC3339, *started)
		if err != nil {
			return &exitError{code: 2, msg: "--started-at must be an RFC 3339 time (2026-12-01T14:00:00Z)"}
		}
		req.StartedAt = t
	}
	in := os.Stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		defer f.Close()
		in = f
	}
	var err error
	// One byte over the limit is enough for the parser to refuse the file by its size.
	if req.Data, err = io.ReadAll(io.LimitReader(in, transcriptfile.MaxBytes+1)); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}

	c, err := configFromEnv(e.getenv)
	if err != nil {
		return err
	}
	log := newLogger(c, e.stderr)
	prov, err := buildProviders(ctx, c)
	if err != nil {
		return err
	}
	chain, err := deepChain(ctx, c, "", log)
	if err != nil {
		return err
	}
	d, err := openDatabase(ctx, c, e.stderr, 8)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := app.New(d.store, app.Config{QuickScorer: scoring.QuickChain{Providers: prov.Quick(), Logger: log}, Logger: log})
	if err != nil {
		return err
	}
	userID := *user
	if *email != "" {
		if !c.LocalAuth() {
			return &exitError{code: 2, msg: "Clerk is configured: name the user with --user ID"}
		}
		subject := auth.LocalSubject(*email)
		if userID, err = a.EnsureUser(ctx, app.Meta{Actor: app.UserIDFor(subject)}, app.Identity{Subject: subject, Email: *email}); err != nil {
			return cliError(err)
		}
	} else if _, err := a.Profile(ctx, userID); err != nil {
		return cliError(err)
	}
	res, err := a.ImportCall(ctx, app.Meta{Actor: userID}, userID, req)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "imported %s: %d lines (%s), speakers %s\n", res.CallID, res.Lines, res.Format, strings.Join(res.Speakers, ", "))
	fmt.Fprintf(e.stdout, "quick score: %d (%s)\n", res.QuickScore.Overall, res.QuickScore.Summary)
	fmt.Fprintln(e.stderr, "import: deep analysis...")
	s, err := scoring.Rescore(ctx, a, chain, res.CallID)
	if err != nil && !errors.Is(err, eventstore.ErrEventIDReused) {
		return err
	}
	fmt.Fprintf(e.stdout, "deep score: %d (%s %s)\n", s.Overall, s.Provider, s.Model)
	// Show the call in the read tables even when no server runs.
	pos, err := d.store.Head(ctx)
	if err != nil {
		return err
	}
	return projections.CatchUp(ctx, d.store, d.db, projections.ReadModels(), pos, 2*time.Minute)
}

// formatOfName tells a transcript's format by its file name's extension.
func formatOfName(name string) transcriptfile.Format {
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".vtt"):
		return transcriptfile.FormatVTT
	case strings.HasSuffix(strings.ToLower(name), ".srt"):
		return transcriptfile.FormatSRT
	case strings.HasSuffix(strings.ToLower(name), ".json"):
		return transcriptfile.FormatJSON
	}
	return transcriptfile.FormatAuto
}

// cliError turns bad input into exit code 2 with its message; other errors stay as they are.
func cliError(err error) error {
	if errors.Is(err, domain.ErrInvalid) || errors.Is(err, domain.ErrNotFound) {
		return &exitError{code: 2, msg: err.Error()}
	}
	return err
}
