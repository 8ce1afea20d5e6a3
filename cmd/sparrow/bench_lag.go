package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/projections"
)

// benchLag: realistic call events appended at a steady 1,000 events/s with
// every projector running; for each event, the time from its append's
// commit until every projector consuming its stream has committed it (its
// rows are then visible in the read tables).
func benchLag(ctx context.Context, url string, o benchOpts, out map[string]any) error {
	d, err := openScratch(ctx, url, 40)
	if err != nil {
		return err
	}
	defer d.Close()

	type pending struct {
		pos  eventstore.Position
		at   time.Time
		need map[string]bool
	}
	var (
		mu      sync.Mutex
		waiting []*pending
		samples []time.Duration
		per     = map[string][]time.Duration{}
		record  = false
	)
	consumers := map[string][]string{}
	for _, p := range projections.ReadModels() {
		for _, s := range p.Streams() {
			consumers[s] = append(consumers[s], p.Name())
		}
	}
	runner, err := projections.NewRunner(d.store, d.db, projections.RunnerConfig{
		Waker:     d.waker,
		BatchSize: o.batchSize,
		Logger:    newLogger(Config{LogLevel: "warn"}, o.progress),
		OnCommitted: func(name string, pos eventstore.Position) {
			now := time.Now()
			mu.Lock()
			defer mu.Unlock()
			kept := waiting[:0]
			for _, w := range waiting {
				if !pos.Less(w.pos) && w.need[name] {
					delete(w.need, name)
					if record {
						per[name] = append(per[name], now.Sub(w.at))
					}
				}
				if len(w.need) > 0 {
					kept = append(kept, w)
				} else if record {
					samples = append(samples, now.Sub(w.at))
				}
			}
			waiting = kept
		},
	})
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = runner.Run(runCtx) }()
	go func() { defer wg.Done(); _ = d.waker.Run(runCtx, d.pool, newLogger(Config{LogLevel: "error"}, nil)) }()
	defer func() { stop(); wg.Wait() }()

	// Users and a persona to practise with.
	persona := uuid.NewString()
	p := domain.NewPersona(persona)
	evs, _ := p.Create(domain.PersonaProfile{Name: "Pat", Role: "CFO", Company: "Acme", Industry: "SaaS", Personality: domain.PersonalityBusy,
		Difficulty: domain.DifficultyMedium, Backstory: "b", VoiceID: "v", SystemPrompt: "s", IsPreset: true}, "")
	if _, err := d.store.Append(ctx, persona, 0, newBenchEvents(evs)...); err != nil {
		return err
	}
	users := make([]string, 50)
	for i := range users {
		users[i] = uuid.NewString()
		u := domain.NewUser(users[i])
		evs, _ := u.Register(fmt.Sprintf("user_bench_%d", i), fmt.Sprintf("rep%d@example.com", i), "Rep", "")
		u.Apply(evs[0])
		more, _ := u.CompleteOnboarding("Europe/Paris", nil)
		if _, err := d.store.Append(ctx, users[i], 0, newBenchEvents(append(evs, more...))...); err != nil {
			return err
		}
	}

	const workers = 16
	const rate = 1000.0
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	var appended, failures int
	var cmu sync.Mutex
	var lwg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lwg.Add(1)
		go func() {
			defer lwg.Done()
			// Calls at a steady rate are at every stage of their life at
			// once: each script is brought to its own stage before the clock
			// starts (started together, they would all end together).
			scripts := make([]*callScript, 6)
			for i := range scripts {
				scripts[i] = newCallScript(users[(w*6+i)%len(users)], persona)
				for k := 0; k < (w*6+i)*25/(workers*6); k++ {
					stream, version, ev, _ := scripts[i].next()
					if _, err := d.store.Append(loadCtx, stream, version, newBenchEvents([]domain.Event{ev})...); err != nil {
						return
					}
					scripts[i].applied(ev)
				}
			}
			tick := time.NewTicker(time.Duration(float64(time.Second) * workers / rate))
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-loadCtx.Done():
					return
				case <-tick.C:
				}
				s := scripts[i%len(scripts)]
				stream, version, ev, typ := s.next()
				res, err := d.store.Append(loadCtx, stream, version, newBenchEvents([]domain.Event{ev})...)
				at := time.Now()
				if err != nil {
					if loadCtx.Err() != nil {
						return // stopped mid-append: not a failure
					}
					cmu.Lock()
					failures++
					cmu.Unlock()
					continue
				}
				s.applied(ev)
				mu.Lock()
				need := map[string]bool{}
				for _, n := range consumers[typ] {
					need[n] = true
				}
				waiting = append(waiting, &pending{pos: res.Position, at: at, need: need})
				mu.Unlock()
				cmu.Lock()
				appended++
				cmu.Unlock()
			}
		}()
	}
	time.Sleep(2 * time.Second) // warm-up, not recorded
	mu.Lock()
	record = true
	mu.Unlock()
	fmt.Fprintf(o.progress, "bench: lag: %d events/s for %s\n", int(rate), o.duration)
	time.Sleep(o.duration)
	stopLoad()
	lwg.Wait()
	time.Sleep(500 * time.Millisecond) // let the last events land
	mu.Lock()
	got := append([]time.Duration(nil), samples...)
	left := len(waiting)
	mu.Unlock()
	if failures > 0 {
		return fmt.Errorf("%d appends failed during the lag benchmark", failures)
	}
	out["projection_lag_ms_p50"] = percentile(got, 50)
	out["projection_lag_ms_p99"] = percentile(got, 99)
	out["projection_lag_samples"] = len(got)
	mu.Lock()
	for name, s := range per {
		out["projection_lag_ms_p99_"+name] = percentile(s, 99)
		fmt.Fprintf(o.progress, "bench: lag of %s: p50 %.2f ms, p99 %.2f ms\n", name, percentile(s, 50), percentile(s, 99))
	}
	mu.Unlock()
	fmt.Fprintf(o.progress, "bench: lag p50 %.2f ms, p99 %.2f ms over %d events (%d appended, %d not yet visible at the end)\n",
		percentile(got, 50), percentile(got, 99), len(got), appended, left)
	return nil
}

func newBenchEvents(data []domain.Event) []eventstore.NewEvent {
	out := make([]eventstore.NewEvent, len(data))
	for i, d := range data {
		out[i] = eventstore.NewEvent{ID: app.NewID(), Data: d, Meta: eventstore.Metadata{Actor: "bench", OccurredAt: time.Now()}}
	}
	return out
}

// callScript walks one call through its life, one event per step, then
// starts a new call: created, started, 20 transcript chunks, ended, quick
// score, deep score.
type callScript struct {
	user, persona string
	call          *domain.Call
	step          int
}

func newCallScript(user, persona string) *callScript {
	return &callScript{user: user, persona: persona, call: domain.NewCall(uuid.NewString())}
}

func (s *callScript) next() (stream string, version int, ev domain.Event, streamType string) {
	c := s.call
	var evs []domain.Event
	switch {
	case s.step == 0:
		evs, _ = c.Create(s.user, s.persona, domain.ModeDiscovery)
	case s.step == 1:
		evs, _ = c.Start(time.Now(), time.Now(), "")
	case s.step < 22:
		role := domain.RoleUser
		if s.step%2 == 0 {
			role = domain.RoleAssistant
		}
		evs, _ = c.AddTranscript(domain.TranscriptEntry{Role: role, Content: "How do you schedule drivers today, and what happens when someone calls in sick?", TimestampMs: int64(s.step) * 7000})
	case s.step == 22:
		evs, _ = c.End(time.Now(), "user_ended")
	case s.step == 23:
		evs, _ = c.RecordQuickScore(domain.CallQuickScored{Overall: 71, Summary: "Good discovery.", Provider: "builtin", Model: "rubric", TranscriptVersion: c.TranscriptVersion()})
	default:
		o := 70
		evs, _ = c.RecordDeepScore(domain.CallDeepScored{Overall: o, Opening: o, Discovery: o, ObjectionHandling: o, Communication: o, Closing: o,
			Summary: "Good.", Provider: "builtin", Model: "rubric", RubricVersion: "r", TranscriptVersion: c.TranscriptVersion()})
	}
	return c.ID(), c.Version(), evs[0], domain.StreamCall
}

func (s *callScript) applied(ev domain.Event) {
	s.call.Apply(ev)
	s.step++
	if s.step > 24 {
		s.call, s.step = domain.NewCall(uuid.NewString()), 0
	}
}
