package app

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/hints"
	"github.com/sparrow-coach/sparrow/domain/coaching/prospect"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// ProspectLLM plays the prospect of a text practice call with a language
// model (an LLM provider's prospect reply), driven by the persona's system
// prompt. It returns the prospect's next line.
type ProspectLLM interface {
	ProspectReply(ctx context.Context, in ProspectTurn) (string, error)
}

// ProspectTurn is the conversation a ProspectLLM answers: oldest line first,
// ending with the rep's line.
type ProspectTurn struct {
	Persona    domain.PersonaProfile
	Mode       domain.Mode
	Transcript []domain.TranscriptEntry
}

// TurnOptions configures TakeTurn.
type TurnOptions struct {
	// LLM, when set, writes the prospect's words. The built-in prospect still
	// follows the call and decides when it ends (hanging up, booking a
	// meeting): on the turn that ends the call its own line is used, so the
	// words match the outcome. When the LLM fails, the built-in line is used.
	LLM ProspectLLM
	// LLMTimeout bounds the LLM's answer (default 10s).
	LLMTimeout time.Duration
}

// Where a prospect line came from (TurnResult.ProspectSource).
const (
	ProspectBuiltin = "builtin"
	ProspectLLMName = "llm"
)

// TurnResult is one exchange of a text practice call.
type TurnResult struct {
	CallID string
	// Opening is the prospect's first line, when this turn recorded it (the
	// call had no prospect line yet).
	Opening *domain.TranscriptEntry
	// Rep is the rep's line and Prospect the reply, as recorded.
	Rep      domain.TranscriptEntry
	Prospect domain.TranscriptEntry
	// ProspectSource is ProspectBuiltin or ProspectLLMName.
	ProspectSource string
	// Ended: the prospect ended the call (it is now completed and quick-scored).
	Ended         bool
	MeetingBooked bool
	EndReason     string
	// QuickScore is set when the turn ended the call.
	QuickScore *domain.QuickScore
	// Version is the call stream's version after the reply.
	Version int
	// Hints are live coaching tips on this turn's lines, for a call created
	// with hints on (none otherwise); the call's stream carries the same ones.
	Hints []hints.Hint
	// State is the built-in prospect's patience and interest after the
	// reply (live gauges); a repeated request gets it again by replay.
	State *ProspectState
}

// ProspectState is the part of the built-in prospect's state a rep may watch.
type ProspectState struct {
	Patience, Interest, InterestNeeded int
}

// Speaking model of the transcript timestamps a text turn records.
const (
	repWordsPerMinute      = 150
	prospectWordsPerMinute = 160
	minLineMs              = 400
	pauseBeforeReplyMs     = 600
	pauseBeforeRepMs       = 300
)

// speakingMs is how long saying text takes at wpm, at least minLineMs.
func speakingMs(text string, wpm int) int64 {
	return max(int64(minLineMs), int64(len(strings.Fields(text)))*60_000/int64(wpm))
}

// ProspectSeed is the seed of a call's built-in prospect: derived from the
// call id, so replaying the rep's lines rebuilds the same prospect.
func ProspectSeed(callID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(callID))
	return h.Sum64()
}

// turnPlan is a decided turn, ready to append at version.
type turnPlan struct {
	version   int
	userID    string
	persona   domain.PersonaProfile
	mode      domain.Mode
	started   *domain.CallStarted
	opening   *domain.TranscriptEntry
	rep       domain.TranscriptEntry
	reply     prospect.Reply
	replyText string
	source    string
	history   []domain.TranscriptEntry // the transcript up to and including rep
	state     ProspectState
}

// TakeTurn records the rep's line on the user's call and the prospect's
// reply (text practice). A pending call is started; the prospect's opening
// line is recorded first when the call has no prospect line yet. The
// built-in prospect (package prospect) is rebuilt for each turn by replaying
// the rep lines of the transcript with the call's seed, so it is
// deterministic and survives restarts. When the prospect ends the call the
// call is ended and quick-scored exactly as EndCall does.
//
// Content is validated like a transcript line (a *domain.FieldError on
// "content"). A call that is not the user's is domain.ErrNotFound; a
// completed or failed call is domain.ErrIllegalTransition. With
// Meta.IdempotencyKey, a repeated request returns the recorded turn and
// appends nothing.
func (a *App) TakeTurn(ctx context.Context, m Meta, userID, callID, content string, opts TurnOptions) (_ TurnResult, err error) {
	defer door(&err)
	if err := (domain.TranscriptEntry{Role: domain.RoleUser, Content: content}).Validate(); err != nil {
		return TurnResult{}, err
	}
	if !ValidID(callID) {
		return TurnResult{}, notFound("call", callID)
	}
	if opts.LLMTimeout <= 0 {
		opts.LLMTimeout = 10 * time.Second
	}
	if m.IdempotencyKey != "" {
		if res, ok, err := a.recordedTurn(ctx, m, userID, callID); ok || err != nil {
			return res, err
		}
	}
	var res TurnResult
	for attempt := 0; ; attempt++ {
		res, err = a.tryTurn(ctx, m, userID, callID, content, opts)
		if !errors.Is(err, eventstore.ErrConcurrencyConflict) || attempt >= a.cfg.MaxConflictRetries {
			break
		}
		select {
		case <-ctx.Done():
			return TurnResult{}, ctx.Err()
		case <-time.After(time.Duration(1+rand.IntN(5<<attempt)) * time.Millisecond):
		}
	}
	if err != nil {
		return TurnResult{}, err
	}
	if res.Ended {
		if err := a.endAfterTurn(ctx, m, userID, &res); err != nil {
			return TurnResult{}, err
		}
	}
	return res, nil
}

// tryTurn decides and appends one turn. The stream lock is held while
// deciding and appending, but not while an LLM writes the reply: the append
// then expects the version the turn was decided on, and a call that moved
// meanwhile is a concurrency conflict the caller retries.
func (a *App) tryTurn(ctx context.Context, m Meta, userID, callID, content string, opts TurnOptions) (TurnResult, error) {
	unlock := a.lock(callID)
	locked := true
	defer func() {
		if locked {
			unlock()
		}
	}()
	call, err := a.loadCall(ctx, callID)
	if err != nil {
		return TurnResult{}, err
	}
	plan, err := a.planTurn(ctx, call, userID, content)
	if err != nil {
		return TurnResult{}, err
	}
	if opts.LLM != nil && !plan.reply.Ended {
		unlock()
		locked = false
		a.llmReply(ctx, opts, &plan)
		unlock = a.lock(callID)
		locked = true
		if call, err = a.loadCall(ctx, callID); err != nil {
			return TurnResult{}, err
		}
		if call.Version() != plan.version {
			return TurnResult{}, fmt.Errorf("take a turn: call moved from version %d to %d: %w", plan.version, call.Version(), eventstore.ErrConcurrencyConflict)
		}
	}
	before := call.TranscriptVersion()
	data, res := plan.events(callID)
	var lines []domain.TranscriptEntry
	for _, d := range data {
		if l, ok := d.(*domain.TranscriptChunkAdded); ok {
			lines = append(lines, l.TranscriptEntry)
		}
	}
	if err := call.CheckRoom(lines...); err != nil { // the opening and the reply too, not only the rep's line
		return TurnResult{}, err
	}
	evs := a.newEvents(Meta{Actor: m.Actor, RequestID: m.RequestID, CorrelationID: m.CorrelationID, CausationID: m.CausationID}, data)
	if m.IdempotencyKey != "" {
		for i, part := range plan.parts() {
			evs[i].ID = turnEventID(callID, m.IdempotencyKey, part)
		}
	}
	appended, err := a.store.Append(ctx, callID, plan.version, evs...)
	if err != nil {
		a.calls.drop(callID)
		return TurnResult{}, err
	}
	for _, d := range data {
		call.Apply(d)
	}
	if call.Hints() {
		res.Hints = hints.ForLines(call.Mode(), call.Transcript(), before)
	}
	unlock()
	locked = false
	a.settle(ctx, appended)
	res.Version = appended.Version
	return res, nil
}

// planTurn decides a turn with the built-in prospect on the caller's call.
func (a *App) planTurn(ctx context.Context, call *domain.Call, userID, content string) (turnPlan, error) {
	if !call.Exists() || (userID != "" && call.UserID() != userID) {
		return turnPlan{}, notFound("call", call.ID())
	}
	persona, err := a.loadPersona(ctx, call.PersonaID())
	if err != nil {
		return turnPlan{}, err
	}
	if !persona.Exists() {
		return turnPlan{}, fmt.Errorf("take a turn: persona %s of call %s is missing", call.PersonaID(), call.ID())
	}
	plan := turnPlan{version: call.Version(), userID: call.UserID(), persona: persona.Profile(), mode: call.Mode(), source: ProspectBuiltin}
	probe := call.Clone()
	now := a.cfg.Now().UTC()
	switch probe.Status() {
	case domain.CallPending:
		data, err := probe.Start(now, now, "")
		if err != nil {
			return turnPlan{}, err
		}
		plan.started = data[0].(*domain.CallStarted)
		probe.Apply(data[0])
	case domain.CallInProgress:
	default:
		return turnPlan{}, fmt.Errorf("take a turn: call is %s; start a new call to practise again: %w", probe.Status(), domain.ErrIllegalTransition)
	}

	pr := prospect.New(plan.persona, plan.mode, ProspectSeed(call.ID()))
	history := probe.Transcript()
	// The clock of the call: each line starts after the previous one was
	// spoken, and the rep's line no earlier than the time actually elapsed.
	next := int64(0)
	hasProspectLine := false
	for _, l := range history {
		wpm := repWordsPerMinute
		if l.Role == domain.RoleAssistant {
			wpm, hasProspectLine = prospectWordsPerMinute, true
		}
		next = max(next, l.TimestampMs+speakingMs(l.Content, wpm)+pauseBeforeRepMs)
	}
	if !hasProspectLine {
		opening := domain.TranscriptEntry{Role: domain.RoleAssistant, Content: pr.Opening(), TimestampMs: next}
		if len(history) == 0 {
			opening.TimestampMs = 0
		}
		plan.opening = &opening
		history = append(history, opening)
		next = opening.TimestampMs + speakingMs(opening.Content, prospectWordsPerMinute) + pauseBeforeRepMs
	}
	elapsed := max(int64(0), now.Sub(probe.StartedAt()).Milliseconds())
	plan.rep = domain.TranscriptEntry{Role: domain.RoleUser, Content: content, TimestampMs: max(elapsed, next)}
	if _, err := probe.AddTranscript(plan.rep); err != nil {
		return turnPlan{}, err
	}
	for _, l := range history {
		if l.Role == domain.RoleUser {
			pr.Respond(l.Content)
		}
	}
	plan.reply = pr.Respond(content)
	st := pr.State()
	plan.state = ProspectState{Patience: st.Patience, Interest: st.Interest, InterestNeeded: st.InterestNeeded}
	plan.replyText = strings.TrimSpace(plan.reply.Text)
	if plan.replyText == "" {
		// Only a prospect that ended the call on an earlier turn (whose end
		// was not recorded) says nothing; it still answers the line.
		plan.replyText = "Sorry, I have to go."
	}
	plan.history = append(history, plan.rep)
	return plan, nil
}

// llmReply asks the LLM for the prospect's words; on failure the built-in line stays.
func (a *App) llmReply(ctx context.Context, opts TurnOptions, plan *turnPlan) {
	ctx, cancel := context.WithTimeout(ctx, opts.LLMTimeout)
	defer cancel()
	text, err := opts.LLM.ProspectReply(ctx, ProspectTurn{Persona: plan.persona, Mode: plan.mode, Transcript: plan.history})
	text = strings.TrimSpace(text)
	if err == nil {
		err = (domain.TranscriptEntry{Role: domain.RoleAssistant, Content: text}).Validate()
	}
	if err != nil {
		a.cfg.Logger.Warn("prospect LLM failed; the built-in prospect answers this turn", "err", err)
		return
	}
	plan.replyText, plan.source = text, ProspectLLMName
}

// events returns what the plan appends (in parts() order) and the result it stands for.
func (p turnPlan) events(callID string) ([]domain.Event, TurnResult) {
	var data []domain.Event
	if p.started != nil {
		data = append(data, p.started)
	}
	res := TurnResult{CallID: callID, Rep: p.rep, ProspectSource: p.source,
		Ended: p.reply.Ended, MeetingBooked: p.reply.MeetingBooked, EndReason: p.reply.EndReason}
	state := p.state
	res.State = &state
	if p.opening != nil {
		o := *p.opening
		res.Opening = &o
		data = append(data, &domain.TranscriptChunkAdded{TranscriptEntry: o})
	}
	res.Prospect = domain.TranscriptEntry{Role: domain.RoleAssistant, Content: p.replyText,
		TimestampMs: p.rep.TimestampMs + speakingMs(p.rep.Content, repWordsPerMinute) + pauseBeforeReplyMs}
	data = append(data, &domain.TranscriptChunkAdded{TranscriptEntry: p.rep}, &domain.TranscriptChunkAdded{TranscriptEntry: res.Prospect})
	return data, res
}

// parts names the events of events(), for idempotent ids.
func (p turnPlan) parts() []string {
	var out []string
	if p.started != nil {
		out = append(out, "start")
	}
	if p.opening != nil {
		out = append(out, "opening")
	}
	return append(out, "rep", "reply")
}

// turnEventID is the id of one event of a turn retried with an idempotency key.
func turnEventID(callID, key, part string) string {
	return uuid.NewSHA1(idempotencyNS, []byte("turn/"+callID+"/"+key+"/"+part)).String()
}

// endAfterTurn ends the call the prospect ended and records its quick score
// (EndCall: ending an ended call returns its score).
func (a *App) endAfterTurn(ctx context.Context, m Meta, userID string, res *TurnResult) error {
	em := m
	if em.IdempotencyKey != "" {
		em.IdempotencyKey += "/end"
	}
	end, err := a.EndCall(ctx, em, userID, res.CallID, res.EndReason, "")
	if err != nil {
		return fmt.Errorf("take a turn: end the call: %w", err)
	}
	q := end.QuickScore
	res.QuickScore = &q
	return nil
}

// recordedTurn answers a repeated request (same idempotency key) from the
// log: the lines it recorded and the outcome, which the built-in prospect
// gives again by replaying the same rep lines. ok is false when the key
// recorded nothing on this call yet.
func (a *App) recordedTurn(ctx context.Context, m Meta, userID, callID string) (TurnResult, bool, error) {
	repVersion, err := a.store.VersionOf(ctx, callID, turnEventID(callID, m.IdempotencyKey, "rep"))
	if err != nil {
		return TurnResult{}, false, fmt.Errorf("app: recorded turn: %w", err)
	}
	if repVersion == 0 {
		return TurnResult{}, false, nil
	}
	if _, err := a.CallForUser(ctx, userID, callID); err != nil {
		return TurnResult{}, false, err
	}
	asOf, err := a.CallAsOf(ctx, callID, repVersion+1)
	if err != nil {
		return TurnResult{}, false, err
	}
	// The turn's own events: its opening line (just before the rep's, when
	// it had one), the rep's line and the reply.
	evs, err := a.store.LoadRange(ctx, callID, max(0, repVersion-2), repVersion+1)
	if err != nil {
		return TurnResult{}, false, err
	}
	res := TurnResult{CallID: callID, ProspectSource: ProspectBuiltin}
	openingID := turnEventID(callID, m.IdempotencyKey, "opening")
	for _, e := range evs {
		chunk, ok := e.Data.(*domain.TranscriptChunkAdded)
		switch {
		case !ok:
		case e.Metadata.EventID == openingID:
			o := chunk.TranscriptEntry
			res.Opening = &o
		case e.Version == repVersion:
			res.Rep = chunk.TranscriptEntry
		case e.Version == repVersion+1:
			res.Prospect = chunk.TranscriptEntry
			res.Version = e.Version
		}
	}
	persona, err := a.loadPersona(ctx, asOf.PersonaID())
	if err != nil {
		return TurnResult{}, false, err
	}
	pr := prospect.New(persona.Profile(), asOf.Mode(), ProspectSeed(callID))
	var reply prospect.Reply
	for _, l := range asOf.Transcript() {
		if l.Role == domain.RoleUser {
			reply = pr.Respond(l.Content)
		}
	}
	if reply.Text != "" && res.Prospect.Content != reply.Text {
		res.ProspectSource = ProspectLLMName
	}
	res.Ended, res.MeetingBooked, res.EndReason = reply.Ended, reply.MeetingBooked, reply.EndReason
	st := pr.State()
	res.State = &ProspectState{Patience: st.Patience, Interest: st.Interest, InterestNeeded: st.InterestNeeded}
	if res.Ended {
		if err := a.endAfterTurn(ctx, m, userID, &res); err != nil {
			return TurnResult{}, false, err
		}
	}
	return res, true, nil
}
