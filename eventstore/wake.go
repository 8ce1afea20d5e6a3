package eventstore

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// notifyChannel is the PostgreSQL LISTEN/NOTIFY channel appends are announced on.
const notifyChannel = "sparrow_events"

// Waker tells readers that the log grew, so they need not poll. In-process
// appends wake readers at once (Store's OnAppend). With Run, appends are also
// announced to other processes with one coalesced NOTIFY per few
// milliseconds (never inside the append's transaction, which would serialise
// commits), and their announcements wake readers here.
type Waker struct {
	instance string

	mu      sync.Mutex
	latest  Position
	byType  map[string]Position        // newest position per stream kind (local appends)
	all     map[chan struct{}][]string // subscriber -> stream kinds it wants (nil: all)
	streams map[string]map[chan struct{}]struct{}
	pending map[string]struct{} // streams appended here and not yet announced
	kick    chan struct{}

	// Consumer-group commits, here and in other processes (commits.go).
	commits     map[string]Position // newest known committed position per group
	commitMoved chan struct{}       // closed and replaced when any of commits moves
	unsent      map[string]struct{} // groups committed here and not yet announced
	watching    map[string]int      // groups someone waits for -> how many waiters
	commitKick  chan struct{}
	pollKick    chan struct{}
}

// NewWaker returns a waker with no subscribers.
func NewWaker() *Waker {
	return &Waker{
		instance: uuid.NewString()[:8],
		all:      map[chan struct{}][]string{},
		streams:  map[string]map[chan struct{}]struct{}{},
		pending:  map[string]struct{}{},
		byType:   map[string]Position{},
		kick:     make(chan struct{}, 1),

		commits:     map[string]Position{},
		commitMoved: make(chan struct{}),
		unsent:      map[string]struct{}{},
		watching:    map[string]int{},
		commitKick:  make(chan struct{}, 1),
		pollKick:    make(chan struct{}, 1),
	}
}

// Appended records a committed append and wakes its readers. It never blocks.
func (w *Waker) Appended(streamID string, res AppendResult) {
	w.mu.Lock()
	if w.latest.Less(res.Position) {
		w.latest = res.Position
	}
	if w.byType[res.StreamType].Less(res.Position) {
		w.byType[res.StreamType] = res.Position
	}
	w.pending[streamID] = struct{}{}
	w.wakeLocked([]string{streamID}, res.StreamType)
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// LatestOf is the newest position known to have been appended (here, or
// announced by another process) to the given stream kinds (all kinds when
// none are given). Announcements from other processes carry no
// kind and count for every kind.
func (w *Waker) LatestOf(streamTypes ...string) Position {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(streamTypes) == 0 {
		return w.latest
	}
	p := w.byType[""]
	for _, t := range streamTypes {
		if p.Less(w.byType[t]) {
			p = w.byType[t]
		}
	}
	return p
}

// Subscribe returns a channel that receives a signal after any append to a
// stream of the given kinds (any kind when none are given). Signals
// coalesce: one pending signal stands for any number of appends.
func (w *Waker) Subscribe(streamTypes ...string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	w.all[ch] = streamTypes
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		delete(w.all, ch)
		w.mu.Unlock()
	}
}

// SubscribeStream returns a channel signalled after appends to one stream.
func (w *Waker) SubscribeStream(streamID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	if w.streams[streamID] == nil {
		w.streams[streamID] = map[chan struct{}]struct{}{}
	}
	w.streams[streamID][ch] = struct{}{}
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		delete(w.streams[streamID], ch)
		if len(w.streams[streamID]) == 0 {
			delete(w.streams, streamID)
		}
		w.mu.Unlock()
	}
}

// wakeLocked signals global subscribers interested in streamType ("" means
// unknown: all of them) and those of the given streams (all streams when ids
// is nil).
func (w *Waker) wakeLocked(ids []string, streamType string) {
	signal := func(ch chan struct{}) {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	for ch, kinds := range w.all {
		if streamType == "" || len(kinds) == 0 || slices.Contains(kinds, streamType) {
			signal(ch)
		}
	}
	if ids == nil {
		for _, subs := range w.streams {
			for ch := range subs {
				signal(ch)
			}
		}
		return
	}
	for _, id := range ids {
		for ch := range w.streams[id] {
			signal(ch)
		}
	}
}

// Run bridges wakes and consumer commits across processes through
// LISTEN/NOTIFY, and polls the consumer groups' committed positions (see
// commits.go), until ctx ends. Without it, readers in other processes fall
// back to their poll interval, and only this process's commits are known.
func (w *Waker) Run(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	go w.announce(ctx, pool, log)
	go w.announceCommits(ctx, pool, log)
	go w.pollCommits(ctx, pool, log)
	for ctx.Err() == nil {
		err := w.listen(ctx, pool)
		if ctx.Err() != nil {
			return nil
		}
		log.Warn("event notifications: listener stopped, reconnecting", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return nil
}

func (w *Waker) listen(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// A LISTENing connection must not return to the pool.
		conn.Hijack().Close(context.Background())
	}()
	for _, ch := range []string{notifyChannel, commitChannel} {
		if _, err := conn.Exec(ctx, "LISTEN "+ch); err != nil {
			return err
		}
	}
	// Announcements sent while no one listened are lost: look at the
	// offsets now rather than at the next idle poll.
	select {
	case w.pollKick <- struct{}{}:
	default:
	}
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Channel == commitChannel {
			w.receiveCommits(n.Payload)
			continue
		}
		from, posText, streams, ok := parseAnnouncement(n.Payload)
		if !ok || from == w.instance {
			continue
		}
		pos, _ := ParsePosition(posText)
		w.mu.Lock()
		if w.latest.Less(pos) {
			w.latest = pos
		}
		if w.byType[""].Less(pos) {
			w.byType[""] = pos
		}
		w.wakeLocked(streams, "")
		w.mu.Unlock()
	}
}

// announce sends one NOTIFY per burst of local appends.
func (w *Waker) announce(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		}
		time.Sleep(2 * time.Millisecond) // let a burst coalesce
		w.mu.Lock()
		ids := make([]string, 0, len(w.pending))
		for id := range w.pending {
			ids = append(ids, id)
		}
		clear(w.pending)
		pos := w.latest
		w.mu.Unlock()
		if len(ids) == 0 {
			continue
		}
		list := strings.Join(ids, ",")
		if len(list) > 7000 { // NOTIFY payloads stop at 8000 bytes
			list = "*"
		}
		payload := w.instance + " " + pos.String() + " " + list
		if _, err := pool.Exec(ctx, "SELECT pg_notify($1, $2)", notifyChannel, payload); err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("event notifications: cannot announce appends", "err", err)
		}
	}
}

func parseAnnouncement(p string) (from, pos string, streams []string, ok bool) {
	parts := strings.SplitN(p, " ", 3)
	if len(parts) != 3 {
		return "", "", nil, false
	}
	if parts[2] == "*" {
		return parts[0], parts[1], nil, true
	}
	return parts[0], parts[1], strings.Split(parts[2], ","), true
}
