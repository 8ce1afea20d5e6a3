package projections

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// merger turns the Changes of a live batch into few statements: changes of
// one shape (the same statement but for its values: a transcript line's
// insert, a call's counter update) go out as ONE statement over arrays
// (INSERT ... SELECT FROM unnest, UPDATE ... FROM unnest) instead of one
// statement each. At thousands of events a second a batch of a few hundred
// events touches as many different calls, so merging the statements of one
// row (a stream's run) would gain little; merging across rows is what cuts
// the statements from two per transcript line to two per layer (as many
// layers as the most lines one call has in the batch: each line of a call
// updates the call's row again). It does not cut the rows written.
//
// Order. Applied one by one, each change sees the effects of every change
// before it. Merged, the changes are placed in layers, sent layer after
// layer; a layer's statements are sent in the order their shapes first
// appeared, and the changes within a layer are independent of one another:
//
//   - a change that writes a row (Insert, Upsert, key Update) goes in a
//     later layer than every earlier change that wrote that row (two
//     changes of one row in one merged statement would also be refused by
//     PostgreSQL, or applied once);
//   - a change that creates a row (Insert, Upsert) goes in a later layer
//     than every earlier change that tested the row's existence (IfExists),
//     and such a test goes later than every earlier creation of the row;
//     updates do not create or remove rows, so a transcript line's insert
//     (tied to its call existing) and its call's counter update share a
//     layer;
//   - any other change (Delete, Derive, an Update not by key) is a barrier:
//     it goes alone, after everything before it, and everything after it
//     goes later.
//
// So every row sees the changes that concern it in the order the events
// came, and every existence test sees the rows the events before it
// created: the result equals applying the changes one by one. The property
// tests compare the live engine with the rebuild's fold on random histories.
type merger struct {
	p      RowProjector
	schema map[string]TableDef // p's tables by name
	layers []*mergeLayer
	rows   map[string]*rowMarks
	floor  int // the first layer changes may still join (after the last barrier)
}

type mergeLayer struct {
	groups []*mergeGroup
	shapes map[string]*mergeGroup
	raw    []Stmt // a barrier's statements
}

// rowMarks are the last layers in which a row was written, created and
// tested for existence (-1: not in this batch), and the row's last write
// when it was an update that a later one may be folded into.
type rowMarks struct {
	write, create, test int
	update              *foldable
}

// foldable is an update's values in its group: a later update of the same
// row and shape, with nothing written to the row in between and no barrier
// since, is folded into it (Assign: the later value; Add: the sum) instead
// of taking a layer of its own. Existence tests in between cannot tell:
// an update neither creates nor removes a row.
type foldable struct {
	g     *mergeGroup
	i     int // index in g's value arrays
	layer int
	sets  []SetOp
}

// mergeGroup is the changes of one shape in one layer: the statement with
// fromMarker where its unnest goes, and one array of values per slot; or
// one change that cannot be merged, as its statement (stmt).
type mergeGroup struct {
	shape string
	slots []slotCol
	vals  [][]any
	stmt  *Stmt
}

// slotCol is the column whose type a slot's values have.
type slotCol struct{ table, col string }

// fromMarker stands for the unnest clause in a shape until types are known.
const fromMarker = "\x00from\x00"

func newMerger(p RowProjector) *merger {
	schema := map[string]TableDef{}
	for _, td := range p.Schema() {
		schema[td.Name] = td
	}
	return &merger{p: p, schema: schema, rows: map[string]*rowMarks{}}
}

// mergedShape is changeSQL's merged statement for c (an Insert, an Upsert
// without Sets or an Update) and its slots. Both depend only on c's
// structure, never on its values, so each is built once per process
// (shapes) and a change's values are gathered by changeValues: building
// the text for every change was 8% of the process's CPU in a 3,000
// events/s lag run (bench --cpuprofile).
func mergedShape(td TableDef, c Change) (string, []slotCol) {
	var buf [256]byte
	sig := shapeSignature(buf[:0], td, c)
	shapes.RLock()
	e, ok := shapes.m[string(sig)]
	shapes.RUnlock()
	if ok {
		return e.shape, e.slots
	}
	pl := &placer{merged: true}
	e = shapeEntry{shape: changeSQL(td, c, pl), slots: pl.slots}
	shapes.Lock()
	if shapes.m == nil {
		shapes.m = map[string]shapeEntry{}
	}
	shapes.m[string(sig)] = e
	shapes.Unlock()
	return e.shape, e.slots
}

var shapes struct {
	sync.RWMutex
	m map[string]shapeEntry // shapeSignature -> shape
}

type shapeEntry struct {
	shape string
	slots []slotCol
}

// shapeSignature appends to b everything of td and c that changeSQL's
// merged text depends on: the kind, the table and its key, the columns'
// names, the existence test's table and column, each set's column,
// operation and condition, the key column of an update.
func shapeSignature(b []byte, td TableDef, c Change) []byte {
	b = append(b, byte(c.Kind))
	b = append(append(b, td.Name...), 0)
	for _, k := range td.Key {
		b = append(append(b, k...), 0)
	}
	b = append(b, 1)
	for _, cl := range c.Cols {
		b = append(append(b, cl.Name...), 0)
	}
	b = append(b, 2)
	if x := c.IfExists; x != nil {
		b = append(append(append(append(b, x.Table...), 0), x.Where.Name...), 0)
	}
	b = append(b, 3)
	for _, st := range c.Sets {
		b = append(append(b, st.Col...), 0, byte(st.Op))
		if st.When != nil {
			b = append(append(append(b, byte(st.When.Kind)), st.When.Col...), 0)
		}
		b = append(b, 4)
	}
	return append(append(b, 5), c.Where.Name...)
}

// changeValues appends the values of c (a change mergedShape takes) in the
// order changeSQL places them.
func changeValues(c Change, vals []any) []any {
	if c.Kind == Update {
		for _, st := range c.Sets { // as writeSets places them
			vals = append(vals, st.Value)
			if st.When != nil && st.When.Kind == NullOrBelow {
				vals = append(vals, st.When.Value)
			}
		}
		return append(vals, c.Where.Value)
	}
	for _, cl := range c.Cols { // Insert, or Upsert without Sets
		vals = append(vals, cl.Value)
	}
	if c.IfExists != nil {
		vals = append(vals, c.IfExists.Where.Value)
	}
	return vals
}

func (m *merger) empty() bool { return len(m.layers) == 0 }

// add places c in its layer.
func (m *merger) add(c Change) error {
	writes, tests, ok := m.footprint(c)
	if !ok {
		stmts, err := changeStmt(m.p, c)
		if err != nil {
			return err
		}
		l := m.layer(len(m.layers))
		l.raw = append(l.raw, stmts...)
		m.floor = len(m.layers)
		return nil
	}
	at := m.floor
	for _, r := range writes {
		if mk := m.rows[r]; mk != nil {
			at = max(at, mk.write+1)
			if c.Kind != Update {
				at = max(at, mk.test+1)
			}
		}
	}
	for _, r := range tests {
		if mk := m.rows[r]; mk != nil {
			at = max(at, mk.create+1)
		}
	}
	td := m.schema[c.Table]
	if c.Kind == Upsert && len(c.Sets) > 0 { // not mergeable (changeSQL): alone, in its layer
		var pl placer
		l := m.layer(at)
		l.groups = append(l.groups, &mergeGroup{stmt: &Stmt{SQL: changeSQL(td, c, &pl), Args: pl.args}})
	} else {
		shape, slots := mergedShape(td, c)
		pl := &placer{merged: true, slots: slots, vals: changeValues(c, make([]any, 0, len(slots)))}
		if m.fold(c, writes, shape, pl) {
			return nil
		}
		l := m.layer(at)
		g := l.shapes[shape]
		if g == nil {
			g = &mergeGroup{shape: shape, slots: pl.slots, vals: make([][]any, len(pl.slots))}
			l.shapes[shape] = g
			l.groups = append(l.groups, g)
		}
		for i, v := range pl.vals {
			g.vals[i] = append(g.vals[i], v)
		}
		if ops, ok := foldOps(c); ok {
			m.marks(writes[0]).update = &foldable{g: g, i: len(g.vals[0]) - 1, layer: at, sets: ops}
			for _, r := range writes {
				mk := m.marks(r)
				mk.write = at
			}
			return m.markTests(tests, at)
		}
	}
	for _, r := range writes {
		mk := m.marks(r)
		mk.update = nil
		mk.write = at
		if c.Kind != Update {
			mk.create = at
		}
	}
	return m.markTests(tests, at)
}

func (m *merger) markTests(tests []string, at int) error {
	for _, r := range tests {
		mk := m.marks(r)
		mk.test = max(mk.test, at)
	}
	return nil
}

// foldOps reports whether c is an update a later one may fold into, or be
// folded into an earlier one: by key, every set unconditional, Assign or
// Add of an integer; and its sets' operations.
func foldOps(c Change) ([]SetOp, bool) {
	if c.Kind != Update || c.IfExists != nil {
		return nil, false
	}
	ops := make([]SetOp, len(c.Sets))
	for i, st := range c.Sets {
		if st.When != nil || (st.Op != Assign && st.Op != Add) {
			return nil, false
		}
		if _, ok := asInt64(st.Value); st.Op == Add && !ok {
			return nil, false
		}
		ops[i] = st.Op
	}
	return ops, true
}

// fold folds update c (its merged shape and values) into the row's last
// update, when it can (foldable). The row's last update is its last write:
// any other write of the row forgets it.
func (m *merger) fold(c Change, writes []string, shape string, pl *placer) bool {
	ops, ok := foldOps(c)
	if !ok || len(writes) != 1 {
		return false
	}
	mk := m.rows[writes[0]]
	if mk == nil || mk.update == nil || mk.update.layer < m.floor {
		return false
	}
	u := mk.update
	if shape != u.g.shape || !slices.Equal(ops, u.sets) || len(pl.vals) != len(ops)+1 {
		return false
	}
	for i, op := range ops {
		if op == Assign {
			u.g.vals[i][u.i] = pl.vals[i]
			continue
		}
		a, _ := asInt64(u.g.vals[i][u.i])
		b, _ := asInt64(pl.vals[i])
		u.g.vals[i][u.i] = a + b
	}
	return true
}

func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

func (m *merger) layer(i int) *mergeLayer {
	for len(m.layers) <= i {
		m.layers = append(m.layers, &mergeLayer{shapes: map[string]*mergeGroup{}})
	}
	return m.layers[i]
}

func (m *merger) marks(r string) *rowMarks {
	mk := m.rows[r]
	if mk == nil {
		mk = &rowMarks{write: -1, create: -1, test: -1}
		m.rows[r] = mk
	}
	return mk
}

// footprint names the rows c writes and the rows whose existence it tests,
// or !ok when c is a barrier.
func (m *merger) footprint(c Change) (writes, tests []string, ok bool) {
	td, found := m.schema[c.Table]
	if !found {
		return nil, nil, false
	}
	switch c.Kind {
	case Insert, Upsert:
		key := make([]any, 0, len(td.Key))
		for _, k := range td.Key {
			for _, cl := range c.Cols {
				if cl.Name == k {
					key = append(key, cl.Value)
				}
			}
		}
		if len(key) != len(td.Key) {
			return nil, nil, false
		}
		writes = []string{rowRef(td.Name, key...)}
	case Update:
		if len(td.Key) != 1 || c.Where.Name != td.Key[0] {
			return nil, nil, false
		}
		writes = []string{rowRef(td.Name, c.Where.Value)}
	default:
		return nil, nil, false
	}
	if x := c.IfExists; x != nil {
		parent, found := m.schema[x.Table]
		if !found || len(parent.Key) != 1 || x.Where.Name != parent.Key[0] {
			return nil, nil, false
		}
		tests = []string{rowRef(parent.Name, x.Where.Value)}
	}
	return writes, tests, true
}

func rowRef(table string, key ...any) string {
	var b strings.Builder
	b.WriteString(table)
	for _, k := range key {
		b.WriteByte(0)
		b.WriteString(keyString(k))
	}
	return b.String()
}

// stmts returns the merged statements, layer after layer, and empties m.
func (m *merger) stmts(ctx context.Context, q eventstore.RowsQuerier) ([]Stmt, error) {
	var out []Stmt
	for _, l := range m.layers {
		out = append(out, l.raw...)
		for _, g := range l.groups {
			if g.stmt != nil {
				out = append(out, *g.stmt)
				continue
			}
			from, types, err := unnestClause(ctx, q, g.slots)
			if err != nil {
				return nil, err
			}
			args := make([]any, len(g.vals))
			for i, v := range g.vals {
				if types[i] == "uuid" {
					uuidValues(v)
				}
				args[i] = v
			}
			out = append(out, Stmt{SQL: strings.Replace(g.shape, fromMarker, from, 1), Args: args})
		}
	}
	m.layers, m.floor = nil, 0
	clear(m.rows)
	return out, nil
}

// unnestClause is "unnest($1::type[], ...) AS u(v1, ...)" for slots, and
// the slots' SQL types.
func unnestClause(ctx context.Context, q eventstore.RowsQuerier, slots []slotCol) (string, []string, error) {
	var b strings.Builder
	types := make([]string, len(slots))
	b.WriteString("unnest(")
	for i, s := range slots {
		typ, err := columnType(ctx, q, s.table, s.col)
		if err != nil {
			return "", nil, err
		}
		types[i] = typ
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d::%s[]", i+1, typ)
	}
	b.WriteString(") AS u(")
	for i := range slots {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("v" + strconv.Itoa(i+1))
	}
	b.WriteString(")")
	return b.String(), types, nil
}

// columnTypes caches the SQL types of the columns merged statements carry,
// read from the catalog once per table and process (a projector's tables
// and their shadows in a rebuild have the same columns).
var columnTypes struct {
	sync.Mutex
	m map[string]map[string]string // table -> column -> type
}

func columnType(ctx context.Context, q eventstore.RowsQuerier, table, col string) (string, error) {
	columnTypes.Lock()
	cols, ok := columnTypes.m[table]
	columnTypes.Unlock()
	if !ok {
		cols = map[string]string{}
		err := q.QueryRows(ctx, func(sc eventstore.Scanner) error {
			var name, typ string
			if err := sc.Scan(&name, &typ); err != nil {
				return err
			}
			cols[name] = typ
			return nil
		}, `SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`, table)
		if err != nil {
			return "", fmt.Errorf("reading the column types of %s: %w", table, err)
		}
		if len(cols) > 0 { // a table that does not exist yet is not remembered
			columnTypes.Lock()
			if columnTypes.m == nil {
				columnTypes.m = map[string]map[string]string{}
			}
			columnTypes.m[table] = cols
			columnTypes.Unlock()
		}
	}
	typ, ok := cols[col]
	if !ok {
		return "", fmt.Errorf("projections: table %s has no column %s", table, col)
	}
	return typ, nil
}
