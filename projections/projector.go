package projections

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// Stmt is one SQL statement a projector wants executed.
type Stmt struct {
	SQL  string
	Args []any
}

func stmt(sql string, args ...any) Stmt { return Stmt{SQL: sql, Args: args} }

// Projector turns events into statements on its own tables.
type Projector interface {
	// Name identifies the projector (consumer group "projection.<name>", CLI --only).
	Name() string
	// Tables lists the tables the projector owns, parents before children.
	Tables() []string
	// Streams lists the stream kinds it consumes.
	Streams() []string
	// Apply returns the statements that record e. It must not do I/O.
	Apply(e eventstore.Event) ([]Stmt, error)
}

// Finalizer is implemented by projectors whose rows derive from many events
// (user_stats): Apply records the facts, Finalize recomputes what derives
// from them, once per batch of events in a rebuild and per event live.
type Finalizer interface {
	// Dirty returns keys whose derived values e invalidates.
	Dirty(e eventstore.Event) []string
	// Finalize recomputes the derived values of keys; it may read.
	Finalize(ctx context.Context, q eventstore.RowsQuerier, keys []string) ([]Stmt, error)
}

// RunApplier is implemented by projectors that can apply a run of
// consecutive events of one stream, all of a runnable type, in fewer
// statements than one per event (rebuilds use it; the result must equal
// applying them one by one).
type RunApplier interface {
	RunnableType(eventType string) bool
	ApplyRun(evs []eventstore.Event) ([]Stmt, error)
}

// All returns every projector, in the order they are applied and rebuilt.
func All() []Projector {
	return []Projector{Users{}, Personas{}, Calls{}, UserStats{}}
}

// ByName returns the projectors with the given names (all when names is empty).
func ByName(names ...string) ([]Projector, error) {
	all := All()
	if len(names) == 0 {
		return all, nil
	}
	var out []Projector
	for _, n := range names {
		i := slices.IndexFunc(all, func(p Projector) bool { return p.Name() == n })
		if i < 0 {
			return nil, &UnknownProjectorError{Name: n}
		}
		out = append(out, all[i])
	}
	return out, nil
}

// UnknownProjectorError names a projector that does not exist.
type UnknownProjectorError struct{ Name string }

func (e *UnknownProjectorError) Error() string {
	return "unknown projector " + `"` + e.Name + `"` + " (known: users, personas, calls, user_stats)"
}

// ConsumerGroup is the watermill consumer group of a projector.
func ConsumerGroup(p Projector) string { return "projection." + p.Name() }

func consumes(p Projector, streamType string) bool { return slices.Contains(p.Streams(), streamType) }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain data structs are marshalled here
	}
	return string(b)
}
