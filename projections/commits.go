package projections

import (
	"context"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// A projector's consumer group may run in several processes at once (API
// replicas on one database); watermill-sql lets one of them at a time hold
// the group's offsets row, so each batch is applied by whichever process
// got there first. The runner's view of a projector's committed position
// therefore merges its own consumer's commits (setCommitted) with those the
// Waker learns from other processes (followCommits), so WaitFor, Health and
// Lag are true whichever process applied an event.

// learnCommitted moves projector name's committed position forward to pos
// and wakes the waiters; it reports whether the position moved. It does not
// announce: positions learned from elsewhere are already known there.
func (r *Runner) learnCommitted(name string, pos eventstore.Position) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	pr, ok := r.progress[name]
	if !ok || !pr.committed.Less(pos) {
		return false
	}
	pr.committed = pos
	close(r.changed)
	r.changed = make(chan struct{})
	if r.cfg.OnCommitted != nil {
		r.cfg.OnCommitted(name, pos)
	}
	return true
}

// followCommits copies the positions the Waker learns (other processes'
// announcements, the offsets poll) into the runner until ctx ends.
func (r *Runner) followCommits(ctx context.Context) {
	w := r.cfg.Waker
	for {
		moved := w.CommitsChanged()
		for _, p := range r.cfg.Projectors {
			r.learnCommitted(p.Name(), w.CommittedOf(ConsumerGroup(p)))
		}
		select {
		case <-ctx.Done():
			return
		case <-moved:
		}
	}
}

// projector returns the runner's projector called name.
func (r *Runner) projector(name string) (Projector, bool) {
	for _, p := range r.cfg.Projectors {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}
