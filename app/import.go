package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/transcriptfile"
)

// ImportRequest is a call held elsewhere, as a transcript file, to be scored like a practice call.
type ImportRequest struct {
	// Data is the file's content; Format its format (transcriptfile.FormatAuto: tell by the content).
	Data   []byte
	Format transcriptfile.Format
	// RepSpeaker names the rep among the file's speakers (for the API's JSON format: "user", the default).
	RepSpeaker string
	Mode       domain.Mode
	// PersonaID is the persona closest to the prospect; "" when none applies.
	PersonaID string
	// StartedAt is when the call began; zero: it ended now.
	StartedAt time.Time
}

// ImportResult is the imported call.
type ImportResult struct {
	CallID     string
	Format     transcriptfile.Format
	Lines      int
	Speakers   []string
	QuickScore domain.QuickScore
}

// ImportCall records a call held elsewhere in one append: created (marked imported), started, its transcript, ended
// and quick-scored; the deep analysis follows as for any ended call. The file is parsed by transcriptfile, whose
// errors name the line (domain.ErrInvalid); an idempotency key makes a retried import return the same call.
func (a *App) ImportCall(ctx context.Context, m Meta, userID string, req ImportRequest) (ImportResult, error) {
	if _, err := domain.ParseMode(string(req.Mode)); err != nil {
		return ImportResult{}, &domain.FieldError{Field: "mode", Err: err}
	}
	if req.PersonaID != "" {
		if !ValidID(req.PersonaID) {
			return ImportResult{}, &domain.FieldError{Field: "personaId", Err: fmt.Errorf("%w: personaId must be a UUID", domain.ErrInvalid)}
		}
		if _, err := a.PersonaForUser(ctx, userID, req.PersonaID); err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				return ImportResult{}, &domain.FieldError{Field: "personaId", Err: err}
			}
			return ImportResult{}, err
		}
	}
	lines, format, err := transcriptfile.Parse(req.Data, req.Format)
	if err != nil {
		if errors.Is(err, transcriptfile.ErrUnknownFormat) {
			return ImportResult{}, &domain.FieldError{Field: "format", Err: fmt.Errorf("%w: %v", domain.ErrInvalid, err)}
		}
		return ImportResult{}, &domain.FieldError{Field: "file", Err: err}
	}
	rep := req.RepSpeaker
	if rep == "" && format == transcriptfile.FormatJSON {
		rep = string(domain.RoleUser)
	}
	speakers := transcriptfile.Speakers(lines)
	if rep == "" {
		return ImportResult{}, &domain.FieldError{Field: "repSpeaker", Err: fmt.Errorf("%w: say which speaker is the rep (one of: %v)", domain.ErrInvalid, speakers)}
	}
	entries, err := transcriptfile.Entries(lines, rep)
	if err != nil {
		return ImportResult{}, err
	}
	now := a.cfg.Now()
	started := req.StartedAt
	if started.IsZero() {
		started = now.Add(-time.Duration(entries[len(entries)-1].TimestampMs) * time.Millisecond).Truncate(time.Second)
	}
	callID := NewID()
	if m.IdempotencyKey != "" {
		callID = uuid.NewSHA1(idempotencyNS, []byte("import/"+userID+"/"+m.IdempotencyKey)).String()
	}
	call := domain.NewCall(callID)
	data, err := call.Import(domain.ImportedCall{UserID: userID, PersonaID: req.PersonaID, Mode: req.Mode, StartedAt: started, Entries: entries}, now)
	if err != nil {
		return ImportResult{}, err
	}
	for _, d := range data {
		call.Apply(d)
	}
	in := a.ScoreInputFor(ctx, call)
	quick, err := a.cfg.QuickScorer.QuickScore(ctx, in)
	if err != nil {
		return ImportResult{}, fmt.Errorf("quick score: %w", err)
	}
	quick.TranscriptVersion = in.TranscriptVersion
	scored, err := call.RecordQuickScore(domain.CallQuickScored(quick))
	if err != nil {
		return ImportResult{}, err
	}
	res, err := a.store.Append(ctx, callID, 0, a.newEvents(m, append(data, scored...))...)
	if err != nil {
		return ImportResult{}, err
	}
	a.settle(ctx, res)
	if res.Version != len(data)+len(scored) { // an idempotent retry: answer what the first import recorded
		recorded, err := a.CallForUser(ctx, userID, callID)
		if err != nil {
			return ImportResult{}, err
		}
		if q := recorded.QuickScore(); q != nil {
			quick = domain.QuickScore(*q)
		}
	}
	return ImportResult{CallID: callID, Format: format, Lines: len(entries), Speakers: speakers, QuickScore: quick}, nil
}
