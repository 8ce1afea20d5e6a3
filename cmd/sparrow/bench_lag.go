package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/projections"
)

// benchLag: realistic call events appended at a steady 1,000 events/s (or
// --lag-rate) with every projector running; for each event, the time from
// its append's commit until every projector consuming its stream has
// committed it (its rows are then visible in the read tables).
func benchLag(ctx context.Context, url string, o benchOpts, out map[string]any) error {
	rate := o.lagRate
	d, w, err := openLagWorld(ctx, url, 40)
	if err != nil {
		return err
	}
	defer d.Close()
	probe := newLagProbe(projections.ReadModels())
	stop, err := startProjections(ctx, d, o, probe.committed)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(o.progress, "bench: lag: %d events/s for %s\n", rate, o.duration)
	res, err := w.load(ctx, rate, 2*time.Second, o.duration, probe)
	if err != nil {
		return err
	}
	out["projection_lag_ms_p50"] = percentile(res.samples, 50)
	out["projection_lag_ms_p99"] = percentile(res.samples, 99)
	out["projection_lag_samples"] = len(res.samples)
	out["projection_lag_append_rate"] = int(res.achieved) // below the rate: the appenders, not the projectors, fell short
	for name, s := range res.per {
		out["projection_lag_ms_p99_"+name] = percentile(s, 99)
		fmt.Fprintf(o.progress, "bench: lag of %s: p50 %.2f ms, p99 %.2f ms\n", name, percentile(s, 50), percentile(s, 99))
	}
	fmt.Fprintf(o.progress, "bench: lag p50 %.2f ms, p99 %.2f ms over %d events (%d appended, %d not yet visible at the end)\n",
		percentile(res.samples, 50), percentile(res.samples, 99), len(res.samples), res.appended, res.left)
	return nil
}

// startProjections runs the read-model projectors on d, reporting their commits.
func startProjections(ctx context.Context, d *database, o benchOpts, committed func(name string, pos eventstore.Position)) (stop func(), err error) {
	runner, err := projections.NewRunner(d.store, d.db, projections.RunnerConfig{
		Waker:       d.waker,
		BatchSize:   o.batchSize,
		Logger:      newLogger(Config{LogLevel: "warn"}, o.progress),
		OnCommitted: committed,
	})
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = runner.Run(runCtx) }()
	go func() { defer wg.Done(); _ = d.waker.Run(runCtx, d.pool, newLogger(Config{LogLevel: "error"}, nil)) }()
	return func() { cancel(); wg.Wait() }, nil
}

// lagProbe times each appended event until every consumer that needs it
// has committed past it. A consumer may commit past an event before its
// appender, back from Append, has registered it (the appender waited for
// the CPU): the probe keeps each consumer's last committed position, and
// such an event counts as seen at once by that consumer (a lag of 0: it was
// visible before its appender could look). Without that, it waited for the
// consumer's next commit: a round too late during the load, and never at
// its end (a step failed with "1 not visible" whose offset was past it).
type lagProbe struct {
	consumers map[string][]string // stream kind -> consumer names
	reached   map[string]eventstore.Position
	mu        sync.Mutex
	waiting   []*pendingEvent
	samples   []time.Duration
	per       map[string][]time.Duration
	record    bool
}

type pendingEvent struct {
	pos  eventstore.Position
	at   time.Time
	need map[string]bool
}

func newLagProbe(ps []projections.Projector) *lagProbe {
	consumers := map[string][]string{}
	for _, p := range ps {
		for _, s := range p.Streams() {
			consumers[s] = append(consumers[s], p.Name())
		}
	}
	return &lagProbe{consumers: consumers, reached: map[string]eventstore.Position{}, per: map[string][]time.Duration{}}
}

func (l *lagProbe) appended(pos eventstore.Position, at time.Time, streamType string) {
	need := map[string]bool{}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, n := range l.consumers[streamType] {
		if l.reached[n].Less(pos) {
			need[n] = true
		} else if l.record {
			l.per[n] = append(l.per[n], 0)
		}
	}
	if len(need) > 0 {
		l.waiting = append(l.waiting, &pendingEvent{pos: pos, at: at, need: need})
	} else if l.record {
		l.samples = append(l.samples, 0)
	}
}

func (l *lagProbe) committed(name string, pos eventstore.Position) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now() // after the lock: an event registered before it was appended earlier
	if l.reached[name].Less(pos) {
		l.reached[name] = pos
	}
	kept := l.waiting[:0]
	for _, w := range l.waiting {
		if !pos.Less(w.pos) && w.need[name] {
			delete(w.need, name)
			if l.record {
				l.per[name] = append(l.per[name], now.Sub(w.at))
			}
		}
		if len(w.need) > 0 {
			kept = append(kept, w)
		} else if l.record {
			l.samples = append(l.samples, now.Sub(w.at))
		}
	}
	l.waiting = kept
}

// take starts (or stops) recording and returns what was recorded so far, clearing it.
func (l *lagProbe) take(record bool) (samples []time.Duration, per map[string][]time.Duration, left int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	samples, per, left = l.samples, l.per, len(l.waiting)
	l.samples, l.per, l.record = nil, map[string][]time.Duration{}, record
	return samples, per, left
}

// lagWorld is the users and persona the load's calls belong to.
type lagWorld struct {
	d       *database
	users   []string
	persona string
}

// openLagWorld opens a scratch database (maxConns connections) with a
// lagWorld in it; the caller closes the database.
func openLagWorld(ctx context.Context, url string, maxConns int32) (*database, *lagWorld, error) {
	d, err := openScratch(ctx, url, maxConns)
	if err != nil {
		return nil, nil, err
	}
	w, err := newLagWorld(ctx, d)
	if err != nil {
		d.Close()
		return nil, nil, err
	}
	return d, w, nil
}

func newLagWorld(ctx context.Context, d *database) (*lagWorld, error) {
	w := &lagWorld{d: d, persona: uuid.NewString()}
	p := domain.NewPersona(w.persona)
	evs, _ := p.Create(domain.PersonaProfile{Name: "Pat", Role: "CFO", Company: "Acme", Industry: "SaaS", Personality: domain.PersonalityBusy,
		Difficulty: domain.DifficultyMedium, Backstory: "b", VoiceID: "v", SystemPrompt: "s", IsPreset: true}, "")
	if _, err := d.store.Append(ctx, w.persona, 0, newBenchEvents(evs)...); err != nil {
		return nil, err
	}
	w.users = make([]string, 50)
	for i := range w.users {
		w.users[i] = uuid.NewString()
		u := domain.NewUser(w.users[i])
		evs, _ := u.Register(fmt.Sprintf("user_bench_%d", i), fmt.Sprintf("rep%d@example.com", i), "Rep", "")
		u.Apply(evs[0])
		more, _ := u.CompleteOnboarding("Europe/Paris", nil)
		if _, err := d.store.Append(ctx, w.users[i], 0, newBenchEvents(append(evs, more...))...); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// loadResult is what one timed load at a steady rate measured.
type loadResult struct {
	samples  []time.Duration
	per      map[string][]time.Duration
	appended int     // appends started while recording
	achieved float64 // appends started per second while recording
	left     int     // events not yet visible to every consumer at the end
}

// load appends call events at rate for warm+dur (recording only dur), one
// event per append, and returns the lag of the recorded events. The load is
// open: each worker appends on a fixed schedule (every workers/rate
// seconds, all workers in phase), and an append whose time has come while
// the worker's previous one was still waiting goes at once, so a slower
// system gets the same load, not a lighter one (with a ticker, late ticks
// were dropped: the appenders reached 4,880-4,970 of 5,000 events/s asked
// while every consumer kept up). There are enough workers that each
// appends at most 25 events/s (up to 20,000 events/s asked): an append
// waits for its group's commit, and a worker falls behind only when that
// takes longer than 40 ms again and again. achieved counts the appends
// started while recording.
func (w *lagWorld) load(ctx context.Context, rate int, warm, dur time.Duration, probe *lagProbe) (loadResult, error) {
	workers := min(max(rate/25, 16), 800)
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	var appended, failures atomic.Int64
	var recording atomic.Bool
	// Calls at a steady rate are at every stage of their life at once: each
	// script is brought to its own stage before the clock starts (started
	// together, they would all end together). About rate/8 calls are open
	// at once.
	const perWorker = 3
	scripts := make([][]*callScript, workers)
	var prep sync.WaitGroup
	var prepErr atomic.Value
	for wk := range scripts {
		prep.Add(1)
		go func() {
			defer prep.Done()
			scripts[wk] = make([]*callScript, perWorker)
			for i := range scripts[wk] {
				n := wk*perWorker + i
				s := newCallScript(w.users[n%len(w.users)], w.persona)
				scripts[wk][i] = s
				for k := 0; k < n*25/(workers*perWorker); k++ {
					stream, version, ev, _ := s.next()
					if _, err := w.d.store.Append(loadCtx, stream, version, newBenchEvents([]domain.Event{ev})...); err != nil {
						prepErr.Store(err)
						return
					}
					s.applied(ev)
				}
			}
		}()
	}
	prep.Wait()
	if err, _ := prepErr.Load().(error); err != nil {
		return loadResult{}, err
	}
	var lwg sync.WaitGroup
	interval := time.Duration(float64(time.Second) * float64(workers) / float64(rate))
	start := time.Now()
	for wk := 0; wk < workers; wk++ {
		lwg.Add(1)
		go func() {
			defer lwg.Done()
			for i := 0; ; i++ {
				if wait := time.Until(start.Add(time.Duration(i+1) * interval)); wait > 0 {
					select {
					case <-loadCtx.Done():
					case <-time.After(wait):
					}
				}
				if loadCtx.Err() != nil {
					return
				}
				if recording.Load() {
					appended.Add(1)
				}
				s := scripts[wk][i%len(scripts[wk])]
				stream, version, ev, typ := s.next()
				res, err := w.d.store.Append(loadCtx, stream, version, newBenchEvents([]domain.Event{ev})...)
				at := time.Now()
				if err != nil {
					if loadCtx.Err() == nil {
						failures.Add(1) // stopped mid-append is not a failure
					}
					continue
				}
				s.applied(ev)
				probe.appended(res.Position, at, typ)
			}
		}()
	}
	time.Sleep(warm) // not recorded
	probe.take(true)
	recording.Store(true)
	began := time.Now()
	time.Sleep(dur)
	recording.Store(false)
	window := time.Since(began) // a busy machine oversleeps: the rate is over the time that passed
	stopLoad()
	lwg.Wait()
	time.Sleep(500 * time.Millisecond) // let the last events land
	samples, per, left := probe.take(false)
	if n := failures.Load(); n > 0 {
		return loadResult{}, fmt.Errorf("%d appends failed during the load", n)
	}
	n := int(appended.Load())
	return loadResult{samples: samples, per: per, appended: n, achieved: float64(n) / window.Seconds(), left: left}, nil
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
