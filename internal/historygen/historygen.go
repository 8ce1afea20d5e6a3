// Package historygen makes realistic, valid event histories (users who
// onboard, practise calls over many days, get scored, sometimes get late
// transcripts, rescored or deleted) for property tests and benchmarks.
// Every event comes from the domain aggregates' own commands, so histories
// obey every rule the live system enforces. Deterministic for a seed.
package historygen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/sparrow-coach/sparrow/domain"
)

// Config shapes a history.
type Config struct {
	Seed          uint64
	Users         int
	CallsPerUser  int
	ChunksPerCall int
	// Start is the first day of activity (default 2026-03-01 UTC, just before a DST change).
	Start time.Time
	// Chaos adds late transcript chunks, rescores, failed calls, timezone
	// changes and user deletions.
	Chaos bool
}

// Append is one append of a history, in global order.
type Append struct {
	StreamID string
	Expected int
	At       time.Time
	Events   []domain.Event
}

var zones = []string{"UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "America/Los_Angeles", "Asia/Kolkata"}

// Generate returns the appends of a history, interleaved across streams.
func Generate(cfg Config) []Append {
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	id := func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		u, _ := uuid.FromBytes(b[:])
		u[6] = (u[6] & 0x0f) | 0x40
		u[8] = (u[8] & 0x3f) | 0x80
		return u.String()
	}
	var out []Append
	add := func(stream string, expected int, at time.Time, evs []domain.Event) int {
		if len(evs) > 0 {
			out = append(out, Append{StreamID: stream, Expected: expected, At: at, Events: evs})
		}
		return expected + len(evs)
	}
	must := func(evs []domain.Event, err error) []domain.Event {
		if err != nil {
			panic(fmt.Sprintf("historygen: the domain refused a generated command: %v", err))
		}
		return evs
	}
	persona := id()
	p := domain.NewPersona(persona)
	add(persona, 0, cfg.Start, must(p.Create(domain.PersonaProfile{Name: "Dana Reyes", Role: "VP Operations", Company: "Northwind",
		Industry: "Logistics", Personality: domain.PersonalitySkeptical, Difficulty: domain.DifficultyMedium, Backstory: "Runs 12 depots.",
		HiddenPains: []string{"overtime costs"}, Objections: []string{"no budget"}, VoiceID: "voice-1", SystemPrompt: "You are Dana.",
		FirstMessage: "Dana speaking.", IsPreset: true}, "")))

	type user struct {
		id      string
		version int
		agg     *domain.User
		day     time.Time
	}
	users := make([]*user, cfg.Users)
	for i := range users {
		u := &user{id: id(), agg: nil, day: cfg.Start.Add(time.Duration(rng.IntN(48)) * time.Hour)}
		u.agg = domain.NewUser(u.id)
		evs := must(u.agg.Register(fmt.Sprintf("user_gen_%d_%d", cfg.Seed, i), fmt.Sprintf("rep%d@example.com", i), fmt.Sprintf("Rep %d", i), ""))
		apply := func(evs []domain.Event) {
			for _, e := range evs {
				u.agg.Apply(e)
			}
		}
		apply(evs)
		u.version = add(u.id, 0, u.day, evs)
		evs = must(u.agg.CompleteOnboarding(zones[rng.IntN(len(zones))], map[string]string{"goal": "book more meetings"}))
		apply(evs)
		u.version = add(u.id, u.version, u.day, evs)
		users[i] = u
	}
	// Calls, user by user but interleaved: each round every user makes one call.
	for round := 0; round < cfg.CallsPerUser; round++ {
		for _, u := range users {
			if u.agg.Deleted() {
				continue
			}
			// Practise on most days, skip some (streaks break), sometimes twice a day.
			gap := []time.Duration{24 * time.Hour, 24 * time.Hour, 24 * time.Hour, 2 * time.Hour, 72 * time.Hour}[rng.IntN(5)]
			u.day = u.day.Add(gap + time.Duration(rng.IntN(90))*time.Minute)
			callID := id()
			c := domain.NewCall(callID)
			v := 0
			step := func(at time.Time, evs []domain.Event) {
				for _, e := range evs {
					c.Apply(e)
				}
				v = add(callID, v, at, evs)
			}
			mode := domain.Modes[rng.IntN(3)]
			at := u.day
			step(at, must(c.Create(u.id, persona, mode)))
			if cfg.Chaos && rng.IntN(15) == 0 {
				step(at, must(c.Fail("microphone permission denied")))
				continue
			}
			step(at, must(c.Start(at, at, "")))
			var entries []domain.TranscriptEntry
			for k := 0; k < cfg.ChunksPerCall; k++ {
				role := domain.RoleUser
				if k%2 == 1 {
					role = domain.RoleAssistant
				}
				entries = append(entries, domain.TranscriptEntry{Role: role, Content: fmt.Sprintf("line %d of a practice call about overtime costs and scheduling", k),
					TimestampMs: int64(k) * 9_000})
			}
			// Chunks arrive in small appends, as a live call posts them.
			for k := 0; k < len(entries); k += 4 {
				end := min(k+4, len(entries))
				step(at, must(c.AddTranscript(entries[k:end]...)))
			}
			endAt := at.Add(time.Duration(cfg.ChunksPerCall*9+30) * time.Second)
			ended := must(c.End(endAt, "user_ended"))
			c2 := c.Clone()
			for _, e := range ended {
				c2.Apply(e)
			}
			quick := 40 + rng.IntN(50)
			scored := must(c2.RecordQuickScore(domain.CallQuickScored{Overall: quick, Summary: "Solid opener.", Provider: "builtin", Model: "rubric", TranscriptVersion: c.TranscriptVersion()}))
			step(endAt, append(ended, scored...))
			deep := func(tv int) domain.CallDeepScored {
				o, d, x, m, cl := 30+rng.IntN(70), 30+rng.IntN(70), 30+rng.IntN(70), 30+rng.IntN(70), 30+rng.IntN(70)
				return domain.CallDeepScored{Overall: domain.WeightedOverall(o, d, x, m, cl), Opening: o, Discovery: d, ObjectionHandling: x,
					Communication: m, Closing: cl, Strengths: []domain.Insight{{Point: "Clear agenda", Evidence: "stated in 20s"}},
					Improvements: []domain.Insight{{Point: "Ask more open questions", Evidence: "3 of 9 were open"}},
					KeyMoments:   []domain.KeyMoment{{TimestampMs: 0, Type: domain.KeyMomentStrength, Description: "Strong opener", Quote: "line 0"}},
					Summary:      "Good call.", Provider: "builtin", Model: "rubric", RubricVersion: "r1", TranscriptVersion: tv}
			}
			step(endAt.Add(3*time.Second), must(c.RecordDeepScore(deep(c.TranscriptVersion()))))
			if cfg.Chaos && rng.IntN(6) == 0 { // the post-call webhook brings late lines, then a rescore
				step(endAt.Add(time.Minute), must(c.AddTranscript(domain.TranscriptEntry{Role: domain.RoleAssistant, Content: "late line from the webhook", TimestampMs: int64(cfg.ChunksPerCall) * 9_000})))
				if rng.IntN(2) == 0 {
					step(endAt.Add(2*time.Minute), must(c.RecordDeepScore(deep(c.TranscriptVersion()))))
				} else {
					step(endAt.Add(2*time.Minute), must(c.RecordDeepScoringFailure("provider timed out", c.TranscriptVersion(), false)))
				}
			}
			if cfg.Chaos && rng.IntN(40) == 0 {
				evs := must(u.agg.CompleteOnboarding(zones[rng.IntN(len(zones))], nil))
				for _, e := range evs {
					u.agg.Apply(e)
				}
				u.version = add(u.id, u.version, endAt, evs)
			}
			if cfg.Chaos && rng.IntN(200) == 0 {
				evs := must(u.agg.Delete("user.deleted"))
				for _, e := range evs {
					u.agg.Apply(e)
				}
				u.version = add(u.id, u.version, endAt, evs)
			}
		}
	}
	return out
}

// Count returns how many events a history holds.
func Count(h []Append) int {
	n := 0
	for _, a := range h {
		n += len(a.Events)
	}
	return n
}
