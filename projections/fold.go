package projections

import (
	"context"
	"fmt"
	"math/bits"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// fold is the rebuild's engine for RowProjectors: it applies the projectors'
// Changes to rows held in memory and COPYs the final rows into the shadow
// tables, which are then indexed. Append-only tables (transcripts, most of
// the rows) are streamed out every streamRows rows, so memory holds the
// keyed rows (one per user, call, score...) and at most streamRows of the
// rest. Derive changes and finalizers run once, over every row, after the
// load.
type fold struct {
	schema  string
	tables  map[string]*memTable
	order   []*memTable                 // parents before children
	derives map[int]map[string]struct{} // projector index -> scopes to recompute over every row
	dirty   map[int]map[string]struct{} // projector index -> finalizer keys
	// deletes are the streamed rows of append-only tables to delete (their
	// parent went): by table, column and value. They are sent once, before
	// the last COPY, unless a parent row comes back under a deleted key
	// (deletesDue): then before the next one, so no row inserted after the
	// delete is lost.
	deletes    map[*memTable]map[string]map[string]struct{}
	deletesDue bool
	// streamRows is how many rows of an append-only table are held before
	// they are COPYed out.
	streamRows int
	copied     int
	w          *copyWriter
}

type memTable struct {
	def      TableDef
	cols     []string
	colIdx   map[string]int
	isUUID   []bool
	rows     map[string]*memRow // keyed tables
	app      []*memRow          // append-only tables: rows not yet streamed
	streamed bool               // some rows of this append-only table are in the database
	children []*memTable
}

type memRow struct {
	vals []any
	has  uint64 // bit i: column i was given (else the column default applies)
}

func (r *memRow) get(i int) (any, bool) { return r.vals[i], r.has&(1<<i) != 0 }
func (r *memRow) put(i int, v any)      { r.vals[i], r.has = v, r.has|1<<i }

// newFold reads the shadow tables' columns for the projectors' schemas.
// Its writes go through pool, in the background (close it).
func newFold(ctx context.Context, tx pgx.Tx, pool *pgxpool.Pool, schema string, ps []Projector, streamRows int) (*fold, error) {
	f := &fold{w: newCopyWriter(ctx, pool), schema: schema, tables: map[string]*memTable{}, derives: map[int]map[string]struct{}{},
		dirty: map[int]map[string]struct{}{}, deletes: map[*memTable]map[string]map[string]struct{}{}, streamRows: streamRows}
	for _, p := range ps {
		for _, td := range p.(RowProjector).Schema() {
			rows, err := tx.Query(ctx, `SELECT column_name, data_type = 'uuid' FROM information_schema.columns
WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, schema, td.Name)
			if err != nil {
				return nil, err
			}
			t := &memTable{def: td, colIdx: map[string]int{}, rows: map[string]*memRow{}}
			for rows.Next() {
				var name string
				var isUUID bool
				if err := rows.Scan(&name, &isUUID); err != nil {
					rows.Close()
					return nil, err
				}
				t.colIdx[name] = len(t.cols)
				t.cols = append(t.cols, name)
				t.isUUID = append(t.isUUID, isUUID)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
			if len(t.cols) == 0 || len(t.cols) > 64 {
				return nil, fmt.Errorf("projections: fold: table %s has %d columns (1 to 64 supported)", td.Name, len(t.cols))
			}
			f.tables[td.Name] = t
			f.order = append(f.order, t)
		}
	}
	for _, t := range f.order {
		if t.def.Parent != "" {
			parent, ok := f.tables[t.def.Parent]
			if !ok {
				return nil, fmt.Errorf("projections: fold: %s's parent %s is not rebuilt with it", t.def.Name, t.def.Parent)
			}
			parent.children = append(parent.children, t)
		}
	}
	return f, nil
}

// apply folds e into projector i's rows.
func (f *fold) apply(i int, p Projector, e eventstore.Event) error {
	cs, err := p.(RowProjector).Changes(e)
	if err == nil {
		for _, c := range cs {
			if err = f.change(i, c); err != nil {
				break
			}
		}
	}
	if err != nil {
		return fmt.Errorf("projection %s: event %s v%d (%s) at position %s: %w", p.Name(), e.StreamID, e.Version, e.Type, e.Position, err)
	}
	if fin, ok := p.(Finalizer); ok {
		for _, k := range fin.Dirty(e) {
			if f.dirty[i] == nil {
				f.dirty[i] = map[string]struct{}{}
			}
			f.dirty[i][k] = struct{}{}
		}
	}
	return nil
}

func (f *fold) change(i int, c Change) error {
	if c.Kind == Derive {
		if f.derives[i] == nil {
			f.derives[i] = map[string]struct{}{}
		}
		f.derives[i][c.Scope] = struct{}{}
		return nil
	}
	t, ok := f.tables[c.Table]
	if !ok {
		return fmt.Errorf("a change on %s, which is not rebuilt", c.Table)
	}
	switch c.Kind {
	case Insert, Upsert:
		if c.IfExists != nil {
			parent, ok := f.tables[c.IfExists.Table]
			if !ok || parent.def.AppendOnly || !parent.isKey(c.IfExists.Where.Name) {
				return fmt.Errorf("a change on %s depends on a row of %s, which the fold cannot look up by %s", c.Table, c.IfExists.Table, c.IfExists.Where.Name)
			}
			if parent.rows[keyString(c.IfExists.Where.Value)] == nil {
				return nil
			}
		}
		row := &memRow{vals: make([]any, len(t.cols))}
		for _, cl := range c.Cols {
			j, ok := t.colIdx[cl.Name]
			if !ok {
				return fmt.Errorf("%s has no column %s", t.def.Name, cl.Name)
			}
			row.put(j, cl.Value)
		}
		if t.def.AppendOnly {
			if c.Kind != Insert {
				return fmt.Errorf("%s is append-only: rows are only inserted", t.def.Name)
			}
			t.app = append(t.app, row)
			return nil
		}
		k, err := t.key(row)
		if err != nil {
			return err
		}
		if old := t.rows[k]; old != nil {
			if c.Kind == Upsert {
				return t.applySets(old, c.Sets)
			}
			return nil
		}
		t.rows[k] = row
		for _, child := range t.children {
			if _, pending := f.deletes[child][child.def.ParentCol][k]; pending {
				f.deletesDue = true
			}
		}
		return nil
	case Update:
		if t.def.AppendOnly {
			return fmt.Errorf("%s is append-only: rows are only inserted", t.def.Name)
		}
		return t.each(c.Where, func(k string, r *memRow) error { return t.applySets(r, c.Sets) })
	case Delete:
		return f.delete(t, c.Where)
	}
	return fmt.Errorf("unknown change kind %d", c.Kind)
}

func (t *memTable) isKey(colName string) bool { return len(t.def.Key) == 1 && t.def.Key[0] == colName }

func (t *memTable) key(r *memRow) (string, error) {
	if len(t.def.Key) == 1 {
		v, ok := r.get(t.colIdx[t.def.Key[0]])
		if !ok {
			return "", fmt.Errorf("a row of %s without its key %s", t.def.Name, t.def.Key[0])
		}
		return keyString(v), nil
	}
	parts := make([]string, len(t.def.Key))
	for i, kc := range t.def.Key {
		v, ok := r.get(t.colIdx[kc])
		if !ok {
			return "", fmt.Errorf("a row of %s without its key %s", t.def.Name, kc)
		}
		parts[i] = keyString(v)
	}
	return strings.Join(parts, "\x00"), nil
}

// each visits the keyed rows whose column where.Name equals where.Value.
func (t *memTable) each(where Col, fn func(k string, r *memRow) error) error {
	if t.isKey(where.Name) {
		k := keyString(where.Value)
		if r := t.rows[k]; r != nil {
			return fn(k, r)
		}
		return nil
	}
	j, ok := t.colIdx[where.Name]
	if !ok {
		return fmt.Errorf("%s has no column %s", t.def.Name, where.Name)
	}
	want := keyString(where.Value)
	for k, r := range t.rows {
		if v, ok := r.get(j); ok && keyString(v) == want {
			if err := fn(k, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// applySets changes r as an UPDATE would: every Set reads the row as it was.
func (t *memTable) applySets(r *memRow, sets []Set) error {
	type newVal struct {
		j int
		v any
	}
	out := make([]newVal, 0, len(sets))
	for _, s := range sets {
		j, ok := t.colIdx[s.Col]
		if !ok {
			return fmt.Errorf("%s has no column %s", t.def.Name, s.Col)
		}
		if s.When != nil {
			hold, err := t.holds(r, *s.When)
			if err != nil {
				return err
			}
			if !hold {
				continue
			}
		}
		v := s.Value
		if s.Op == Add || s.Op == AtLeast {
			old, ok := r.get(j)
			if !ok {
				return fmt.Errorf("%s.%s is read by a change but was not given when the row was inserted", t.def.Name, s.Col)
			}
			o, isNull, err := toInt(old)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", t.def.Name, s.Col, err)
			}
			n, _, err := toInt(s.Value)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", t.def.Name, s.Col, err)
			}
			switch {
			case s.Op == Add && isNull:
				v = nil // NULL + n is NULL
			case s.Op == Add:
				v = o + n
			default:
				v = max(o, n) // greatest(coalesce(old, 0), n)
			}
		}
		out = append(out, newVal{j, v})
	}
	for _, nv := range out {
		r.put(nv.j, nv.v)
	}
	return nil
}

func (t *memTable) holds(r *memRow, c Cond) (bool, error) {
	j, ok := t.colIdx[c.Col]
	if !ok {
		return false, fmt.Errorf("%s has no column %s", t.def.Name, c.Col)
	}
	v, ok := r.get(j)
	if !ok {
		return false, fmt.Errorf("%s.%s is read by a change but was not given when the row was inserted", t.def.Name, c.Col)
	}
	switch c.Kind {
	case IsNull:
		return v == nil, nil
	case IsTrue, IsFalse:
		b, ok := v.(bool)
		if !ok {
			return false, nil // NULL: neither
		}
		return b == (c.Kind == IsTrue), nil
	case NullOrBelow:
		o, isNull, err := toInt(v)
		if err != nil {
			return false, err
		}
		n, _, err := toInt(c.Value)
		if err != nil {
			return false, err
		}
		return isNull || o < n, nil
	}
	return false, fmt.Errorf("unknown condition %d", c.Kind)
}

func toInt(v any) (n int64, isNull bool, err error) {
	switch x := v.(type) {
	case nil:
		return 0, true, nil
	case int:
		return int64(x), false, nil
	case int32:
		return int64(x), false, nil
	case int64:
		return x, false, nil
	}
	return 0, false, fmt.Errorf("%T is not an integer", v)
}

// delete removes t's rows where where holds, and their children.
func (f *fold) delete(t *memTable, where Col) error {
	if t.def.AppendOnly {
		j, ok := t.colIdx[where.Name]
		if !ok {
			return fmt.Errorf("%s has no column %s", t.def.Name, where.Name)
		}
		want := keyString(where.Value)
		kept := t.app[:0]
		for _, r := range t.app {
			if v, ok := r.get(j); !ok || keyString(v) != want {
				kept = append(kept, r)
			}
		}
		clear(t.app[len(kept):])
		t.app = kept
		if t.streamed {
			if f.deletes[t] == nil {
				f.deletes[t] = map[string]map[string]struct{}{}
			}
			if f.deletes[t][where.Name] == nil {
				f.deletes[t][where.Name] = map[string]struct{}{}
			}
			f.deletes[t][where.Name][want] = struct{}{}
		}
		return nil
	}
	var gone []string
	var goneKeys []any
	err := t.each(where, func(k string, r *memRow) error {
		gone = append(gone, k)
		if len(t.children) > 0 {
			v, _ := r.get(t.colIdx[t.def.Key[0]])
			goneKeys = append(goneKeys, v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range gone {
		delete(t.rows, k)
	}
	for _, child := range t.children {
		for _, k := range goneKeys {
			if err := f.delete(child, Col{Name: child.def.ParentCol, Value: k}); err != nil {
				return err
			}
		}
	}
	return nil
}

// stream hands the rows of append-only tables to the writer once there are
// streamRows of them (all of them when final), after the pending deletes
// when final or due.
func (f *fold) stream(final bool) error {
	if !final && !f.deletesDue {
		return f.streamRowsOut(false)
	}
	f.deletesDue = false
	for t, byCol := range f.deletes {
		for c, vals := range byCol {
			arr := make([]string, 0, len(vals))
			for v := range vals {
				arr = append(arr, v)
			}
			sql := fmt.Sprintf(`DELETE FROM %[1]s.%[2]s t USING unnest($1::text[]) AS d(v) WHERE t.%[3]s::text = d.v`, f.schema, t.def.Name, c)
			name := t.def.Name
			if err := f.w.do(func(ctx context.Context, tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, sql, arr); err != nil {
					return fmt.Errorf("fold: delete from %s: %w", name, err)
				}
				return nil
			}); err != nil {
				return err
			}
		}
	}
	clear(f.deletes)
	return f.streamRowsOut(final)
}

func (f *fold) streamRowsOut(final bool) error {
	for _, t := range f.order {
		if !t.def.AppendOnly || len(t.app) == 0 || (!final && len(t.app) < f.streamRows) {
			continue
		}
		if err := f.copyOut(t, t.app); err != nil {
			return err
		}
		t.app = nil // handed to the writer
		t.streamed = true
	}
	return nil
}

// finish COPYs every row still in memory and waits for the writer.
func (f *fold) finish() error {
	if err := f.stream(true); err != nil {
		return err
	}
	for _, t := range f.order {
		if t.def.AppendOnly {
			continue
		}
		rows := make([]*memRow, 0, len(t.rows))
		for _, r := range t.rows {
			rows = append(rows, r)
		}
		t.rows = nil
		if err := f.copyOut(t, rows); err != nil {
			return err
		}
	}
	return f.w.close()
}

// copyOut has the writer COPY rows into t, grouped by the columns they were
// given (the others take their defaults, as with INSERT).
func (f *fold) copyOut(t *memTable, rows []*memRow) error {
	return f.w.do(func(ctx context.Context, tx pgx.Tx) error {
		groups := map[uint64][][]any{}
		for _, r := range rows {
			vals := make([]any, 0, bits.OnesCount64(r.has))
			for j := range t.cols {
				v, ok := r.get(j)
				if !ok {
					continue
				}
				if s, isString := v.(string); isString && t.isUUID[j] {
					u, err := uuid.Parse(s)
					if err != nil {
						return fmt.Errorf("fold: %s.%s: %w", t.def.Name, t.cols[j], err)
					}
					v = [16]byte(u)
				}
				vals = append(vals, v)
			}
			groups[r.has] = append(groups[r.has], vals)
		}
		for mask, g := range groups {
			var names []string
			for j, c := range t.cols {
				if mask&(1<<j) != 0 {
					names = append(names, c)
				}
			}
			n, err := tx.CopyFrom(ctx, pgx.Identifier{f.schema, t.def.Name}, names, pgx.CopyFromRows(g))
			if err != nil {
				return fmt.Errorf("fold: copy into %s: %w", t.def.Name, err)
			}
			f.copied += int(n) // only the writer goroutine writes it; read after close
		}
		return nil
	})
}

// copyWriter runs the fold's writes in order, each in a short transaction
// of its own, on a goroutine of its own, so the database loads rows while
// the fold goes on. At most two writes wait, which bounds memory.
type copyWriter struct {
	jobs   chan func(context.Context, pgx.Tx) error
	done   chan struct{}
	err    error         // set by the writer goroutine before it closes failed
	failed chan struct{} // closed when a write failed
	stop   context.CancelFunc
	closed bool // jobs is closed (only the fold's goroutine touches it)
}

func newCopyWriter(ctx context.Context, pool *pgxpool.Pool) *copyWriter {
	ctx, cancel := context.WithCancel(ctx)
	w := &copyWriter{jobs: make(chan func(context.Context, pgx.Tx) error, 2), done: make(chan struct{}), stop: cancel}
	failed, jobs := make(chan struct{}), w.jobs
	go func() {
		defer close(w.done)
		for job := range jobs {
			if w.err != nil {
				continue // drain
			}
			if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return job(ctx, tx) }); err != nil {
				w.err = err
				close(failed)
			}
		}
	}()
	w.failed = failed
	return w
}

// do queues a write; it reports an earlier write's failure instead.
func (w *copyWriter) do(job func(context.Context, pgx.Tx) error) error {
	select {
	case <-w.failed:
		return w.err
	case w.jobs <- job:
		return nil
	}
}

// close waits for the queued writes and reports the first failure.
func (w *copyWriter) close() error {
	if !w.closed {
		close(w.jobs)
		w.closed = true
	}
	<-w.done
	w.stop()
	return w.err
}

// abort stops the writer, dropping queued writes (the shadow schema is
// dropped after).
func (w *copyWriter) abort() {
	w.stop()
	_ = w.close()
}

// settle runs, after the load and the indexes, what derives from many rows:
// each Derive scope once over every row, then the finalizers over their
// dirty keys, in slices of a bounded size.
func (f *fold) settle(ctx context.Context, tx pgx.Tx, ps []Projector) error {
	for i, p := range ps {
		for scope := range f.derives[i] {
			if err := sendStmts(ctx, tx, p.(Deriver).Derive(scope, "", nil)); err != nil {
				return fmt.Errorf("projection %s: derive %s: %w", p.Name(), scope, err)
			}
		}
	}
	for i, p := range ps {
		keys := f.dirty[i]
		if len(keys) == 0 {
			continue
		}
		fin := p.(Finalizer)
		list := make([]string, 0, len(keys))
		for k := range keys {
			list = append(list, k)
		}
		// Large slices: a user's calls spread over many slices would have
		// the user recomputed once per slice.
		const slice = 100_000
		for len(list) > 0 {
			n := min(slice, len(list))
			stmts, err := fin.Finalize(ctx, eventstore.PgxQuerier{Q: tx}, list[:n])
			if err != nil {
				return err
			}
			if err := sendStmts(ctx, tx, stmts); err != nil {
				return fmt.Errorf("projection %s: finalize: %w", p.Name(), err)
			}
			list = list[n:]
		}
	}
	return nil
}
