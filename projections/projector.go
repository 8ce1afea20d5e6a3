package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

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
	// Streams lists the stream kinds it consumes. The slice is shared (it
	// is asked once per event and projector: a new one each time was 180
	// MB of garbage in a 1M-event rebuild): callers must not modify it.
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

// TableColumns names columns of a projector's table that another component
// maintains, matched row by row on Key.
type TableColumns struct {
	Table   string
	Key     string
	Columns []string
}

// WorkerColumns is implemented by projectors whose table also carries
// columns a worker maintains outside the log (scoring_jobs: the lease,
// attempts and last error). Those columns are not derived from events, so a
// rebuild keeps their live values (rows matched by key; new rows keep the
// defaults the projector gives them) and verify does not compare them.
type WorkerColumns interface {
	WorkerColumns() []TableColumns
}

// The registry: every projector Sparrow runs is listed here, once. Names
// live in each projector's Name method; everything else (the runners, the
// CLI's --only, status, /api/health, doctor, rebuild and verify) takes its
// list from these functions.

// ReadModels returns the projectors of the read tables the API queries, in
// the order they are applied and rebuilt. The server runs them in one
// runner, the one read-your-writes waits for (ADR 4); it is RunnerConfig's
// default.
func ReadModels() []Projector {
	return []Projector{Users{}, Personas{}, Calls{}, UserStats{}}
}

// WorkQueues returns the projectors that feed a worker instead of a read
// table (scoring_jobs, ADR 6). The server runs them in a runner of their own
// whose commits wake the worker; requests never wait for them.
func WorkQueues() []Projector {
	return []Projector{ScoringJobs{}}
}

// All returns every projector the server runs: ReadModels then WorkQueues.
// Status, health, doctor, rebuild and verify cover all of them by default.
func All() []Projector {
	return append(ReadModels(), WorkQueues()...)
}

// Names returns the names of every projector (All), in order.
func Names() []string { return names(All()) }

// ByName returns the projectors with the given names, among All (all when
// names is empty).
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
	return fmt.Sprintf("unknown projector %q (known: %s)", e.Name, strings.Join(Names(), ", "))
}

// ConsumerGroup is the watermill consumer group of a projector.
func ConsumerGroup(p Projector) string { return "projection." + p.Name() }

func consumes(p Projector, streamType string) bool { return slices.Contains(p.Streams(), streamType) }

// jsonArgs encodes values as JSON text, for ::jsonb statement parameters.
func jsonArgs(vs ...any) ([]string, error) {
	out := make([]string, len(vs))
	for i, v := range vs {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("encoding a jsonb parameter: %w", err)
		}
		out[i] = string(b)
	}
	return out, nil
}
