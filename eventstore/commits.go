package eventstore

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Consumer-group commits across processes.
//
// Several processes may run the same consumer group; Consume locks the
// group's offsets row for each round, so their batches interleave and any
// one of them may apply a given event. A process waiting for a position
// (read-your-writes after an append) must therefore learn commits made by
// the others. The Waker learns them two ways:
//
//   - announcements: each process announces the positions its consumers
//     committed with one coalesced NOTIFY on commitChannel per few
//     milliseconds, sent after the commit, outside the consumer's
//     transaction. Inside it, the NOTIFY would be delivered exactly at
//     commit and never lost to a crash, but every consumer transaction would
//     then take PostgreSQL's global notification lock at commit, which
//     serialises all of them (and the appends' own announcements) cluster
//     wide. A commit
//     whose announcement is lost (the process dies between commit and
//     NOTIFY, or a listener is reconnecting) is found by the poll.
//   - the poll: while anyone waits (WatchCommits) the groups' committed
//     positions are read from event_consumer_offsets every
//     commitPollWaiting, otherwise every commitPollIdle (so health and lag
//     stay true on a process whose consumers are not the ones applying).
//
// Positions only move forward: a stale announcement or poll changes nothing.

// commitChannel is the LISTEN/NOTIFY channel consumer commits are announced on.
const commitChannel = "sparrow_commits"

const (
	// commitPollWaiting is the poll interval while someone waits for a commit.
	commitPollWaiting = 50 * time.Millisecond
	// commitPollIdle is the poll interval while no one waits.
	commitPollIdle = 2 * time.Second
)

// Committed records that a consumer group committed pos in this process,
// wakes whoever waits for that group, and has Run announce it to the other
// processes. It never blocks.
func (w *Waker) Committed(group string, pos Position) {
	w.mu.Lock()
	w.learnLocked(group, pos)
	// Announced even when the poll learned it first: the others may not have.
	announce := !pos.IsZero() && !pos.Less(w.commits[group])
	if announce {
		w.unsent[group] = struct{}{}
	}
	w.mu.Unlock()
	if announce {
		select {
		case w.commitKick <- struct{}{}:
		default:
		}
	}
}

// CommittedOf is the newest position group is known to have committed, by
// this process or another (zero when unknown).
func (w *Waker) CommittedOf(group string) Position {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.commits[group]
}

// CommitsChanged returns a channel closed the next time any group's known
// committed position moves.
func (w *Waker) CommitsChanged() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.commitMoved
}

// WatchCommits says someone is waiting for these groups' commits: until
// stop is called, Run polls their positions every commitPollWaiting, which
// bounds the wait when an announcement is lost. Run's poll always covers
// every group ever passed to Committed or WatchCommits.
func (w *Waker) WatchCommits(groups ...string) (stop func()) {
	w.mu.Lock()
	first := len(w.watching) == 0
	for _, g := range groups {
		w.watching[g]++
		if _, ok := w.commits[g]; !ok {
			w.commits[g] = Position{}
		}
	}
	w.mu.Unlock()
	if first {
		select {
		case w.pollKick <- struct{}{}:
		default:
		}
	}
	return func() {
		w.mu.Lock()
		for _, g := range groups {
			if w.watching[g]--; w.watching[g] <= 0 {
				delete(w.watching, g)
			}
		}
		w.mu.Unlock()
	}
}

// learnLocked moves group's known position forward to pos; it reports
// whether it moved. The group becomes known (and polled) either way.
func (w *Waker) learnLocked(group string, pos Position) bool {
	cur, known := w.commits[group]
	if known && !cur.Less(pos) {
		return false
	}
	w.commits[group] = pos
	if !cur.Less(pos) { // a new group at the zero position: known, nothing moved
		return false
	}
	close(w.commitMoved)
	w.commitMoved = make(chan struct{})
	return true
}

// announceCommits sends one NOTIFY per burst of local commits.
func (w *Waker) announceCommits(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.commitKick:
		}
		time.Sleep(2 * time.Millisecond) // let a burst coalesce
		w.mu.Lock()
		parts := make([]string, 0, len(w.unsent))
		for g := range w.unsent {
			parts = append(parts, g+"="+w.commits[g].String())
		}
		clear(w.unsent)
		w.mu.Unlock()
		if len(parts) == 0 {
			continue
		}
		slices.Sort(parts)
		payload := w.instance + " " + strings.Join(parts, " ")
		if len(payload) > 7900 { // NOTIFY payloads stop at 8000 bytes; the poll covers the rest
			payload = payload[:strings.LastIndexByte(payload[:7900], ' ')]
		}
		if _, err := pool.Exec(ctx, "SELECT pg_notify($1, $2)", commitChannel, payload); err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("commit notifications: cannot announce commits", "err", err)
		}
	}
}

// receiveCommits applies another process's announcement.
func (w *Waker) receiveCommits(payload string) {
	fields := strings.Fields(payload)
	if len(fields) < 2 || fields[0] == w.instance {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range fields[1:] {
		group, posText, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		if pos, err := ParsePosition(posText); err == nil {
			w.learnLocked(group, pos)
		}
	}
}

// pollCommits reads the known groups' committed positions from the
// database: often while someone waits, seldom otherwise.
func (w *Waker) pollCommits(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	failing := false
	for {
		w.mu.Lock()
		groups := make([]string, 0, len(w.commits))
		for g := range w.commits {
			groups = append(groups, g)
		}
		waiting := len(w.watching) > 0
		w.mu.Unlock()
		if len(groups) > 0 {
			positions, err := groupPositions(ctx, pool, groups)
			switch {
			case err != nil && ctx.Err() == nil && !failing:
				log.Warn("commit notifications: cannot read consumer positions", "err", err)
				failing = true
			case err == nil:
				failing = false
				w.mu.Lock()
				for g, pos := range positions {
					w.learnLocked(g, pos)
				}
				w.mu.Unlock()
			}
		}
		wait := commitPollIdle
		if waiting {
			wait = commitPollWaiting
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.pollKick:
			// Someone started waiting: switch to the quick poll, starting
			// one interval from now (announcements usually come first).
			t.Stop()
			select {
			case <-ctx.Done():
				return
			case <-time.After(commitPollWaiting):
			}
		case <-t.C:
		}
	}
}

// groupPositions reads several groups' committed positions in one query.
func groupPositions(ctx context.Context, pool *pgxpool.Pool, groups []string) (map[string]Position, error) {
	out := make(map[string]Position, len(groups))
	err := PgxQuerier{Q: pool}.QueryRows(ctx, func(sc Scanner) error {
		var g, tx string
		var off int64
		if err := sc.Scan(&g, &tx, &off); err != nil {
			return err
		}
		txid, err := strconv.ParseUint(tx, 10, 64)
		if err != nil {
			return err
		}
		out[g] = Position{TxID: txid, Offset: off}
		return nil
	}, `SELECT consumer_group, last_processed_transaction_id::text, coalesce(offset_acked, 0)
FROM event_consumer_offsets WHERE consumer_group = ANY($1)`, groups)
	return out, Classify(err)
}
