package projections

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// The row form (ADR 11): a projector says what an event does to which row
// of which table, as Changes, once. Both engines derive from that one
// definition:
//
//   - live (Apply, through changeStmts): each Change becomes one SQL
//     statement on the live tables;
//   - rebuild (fold.go): Changes are folded into rows in memory and the
//     final rows are COPYed into the shadow tables.
//
// What cannot be said row by row (a value derived from other rows: a call's
// day in the user's zone at its end, user_stats' aggregates) stays SQL, as
// a Derive change (Deriver) or a Finalizer, and both engines run the same
// statements: live per event, the rebuild once over every row after the
// load.

// RowProjector is implemented by projectors with a row form. Rebuilds use
// the in-memory fold when every projector rebuilt has one.
type RowProjector interface {
	// Schema describes the projector's tables (the same list as Tables).
	Schema() []TableDef
	// Changes returns what e does to the projector's rows. It must not do I/O.
	Changes(e eventstore.Event) ([]Change, error)
}

// Deriver is implemented by projectors whose Changes include Derive
// changes: Derive returns the statements that recompute scope for the rows
// whose column col is one of keys, or for every row when col is empty.
type Deriver interface {
	Derive(scope, col string, keys []any) []Stmt
}

// TableDef describes a projector's table for the fold.
type TableDef struct {
	Name string
	// Key is the column (or columns) rows are identified and conflict on.
	Key []string
	// AppendOnly tables only get rows inserted (each under a key no other
	// event uses, such as the event id) and deleted with their parent; the
	// fold streams them to the database as it goes instead of holding them.
	AppendOnly bool
	// Parent is the table whose row this table's rows belong to, through
	// column ParentCol (the parent's key). There is no foreign key: a
	// Delete of parent rows deletes their children in the same
	// transaction (changeStmt), and every write of a child row tests its
	// parent's existence (IfExists) in the same statement.
	Parent, ParentCol string
}

// ChangeKind is what a Change does.
type ChangeKind int

const (
	// Insert adds Cols as a row unless its key exists (ON CONFLICT DO NOTHING).
	Insert ChangeKind = iota + 1
	// Upsert adds Cols as a row, or applies Sets to the row with its key.
	Upsert
	// Update applies Sets to the row whose Where column equals its value.
	Update
	// Delete removes the rows whose Where column equals its value, and
	// their children (ParentCol).
	Delete
	// Derive recomputes a derived scope (Deriver) for the rows where Where holds.
	Derive
)

// Col is a column's value.
type Col struct {
	Name  string
	Value any
}

// SetOp is how a Set combines its value with the column's current one.
type SetOp int

const (
	// Assign sets the column to the value.
	Assign SetOp = iota
	// Add adds the value (an int) to the column.
	Add
	// AtLeast sets the column to the greater of the value and its current
	// one (NULL counting as 0).
	AtLeast
)

// CondKind is a test of a column's current value.
type CondKind int

const (
	// IsNull: the column is NULL.
	IsNull CondKind = iota + 1
	// IsTrue: the boolean column is true.
	IsTrue
	// IsFalse: the boolean column is false.
	IsFalse
	// NullOrBelow: the column is NULL or below Value (an int).
	NullOrBelow
)

// Cond is a test of a column of the row being changed, before the change.
type Cond struct {
	Kind  CondKind
	Col   string
	Value any
}

// Set changes one column, when When (if any) holds for the row.
type Set struct {
	Col   string
	Op    SetOp
	Value any
	When  *Cond
}

// Change is one row-level effect of an event (see ChangeKind).
type Change struct {
	Kind  ChangeKind
	Table string
	Cols  []Col
	Sets  []Set
	Where Col
	// IfExists makes an Insert or Upsert happen only while a row of another
	// table has Where.Name equal to Where.Value (its key).
	IfExists *Exists
	// Scope names what a Derive change recomputes.
	Scope string
}

// Exists names a row that must exist, by its key.
type Exists struct {
	Table string
	Where Col
}

func insert(table string, cols ...Col) Change { return Change{Kind: Insert, Table: table, Cols: cols} }
func update(table string, where Col, sets ...Set) Change {
	return Change{Kind: Update, Table: table, Where: where, Sets: sets}
}
func del(table string, where Col) Change    { return Change{Kind: Delete, Table: table, Where: where} }
func derive(scope string, where Col) Change { return Change{Kind: Derive, Scope: scope, Where: where} }
func col(name string, v any) Col            { return Col{Name: name, Value: v} }
func set(name string, v any) Set            { return Set{Col: name, Value: v} }

// ifExists returns c restricted to the existence of a row.
func (c Change) ifExists(table string, where Col) Change {
	c.IfExists = &Exists{Table: table, Where: where}
	return c
}

// applyRows is Apply for a RowProjector: its Changes as statements.
func applyRows(p RowProjector, e eventstore.Event) ([]Stmt, error) {
	cs, err := p.Changes(e)
	if err != nil {
		return nil, err
	}
	return changeStmts(p, cs)
}

// changeStmts turns changes into SQL statements (the live engine).
func changeStmts(p RowProjector, cs []Change) ([]Stmt, error) {
	out := make([]Stmt, 0, len(cs))
	for _, c := range cs {
		s, err := changeStmt(p, c)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// placer puts a change's values into its statement: as parameters ($n), or
// for a merged statement (merge.go) as columns of its unnest (u.vn), one
// slot per value, in the same order for every change of a shape.
type placer struct {
	merged bool
	args   []any // not merged: the parameters
	slots  []slotCol
	vals   []any // merged: each slot's value
}

// place returns the reference to v, a value of table.col.
func (pl *placer) place(table, col string, v any) string {
	if !pl.merged {
		pl.args = append(pl.args, v)
		return "$" + strconv.Itoa(len(pl.args))
	}
	pl.slots = append(pl.slots, slotCol{table, col})
	pl.vals = append(pl.vals, v)
	return "u.v" + strconv.Itoa(len(pl.vals))
}

func tableDef(p RowProjector, name string) (TableDef, bool) {
	for _, t := range p.Schema() {
		if t.Name == name {
			return t, true
		}
	}
	return TableDef{}, false
}

func changeStmt(p RowProjector, c Change) ([]Stmt, error) {
	if c.Kind == Derive {
		d, ok := p.(Deriver)
		if !ok {
			return nil, fmt.Errorf("projections: a Derive change from a projector that is not a Deriver")
		}
		return d.Derive(c.Scope, c.Where.Name, []any{c.Where.Value}), nil
	}
	td, ok := tableDef(p, c.Table)
	if !ok {
		return nil, fmt.Errorf("projections: a change on %s, which is not in the projector's schema", c.Table)
	}
	switch c.Kind {
	case Insert, Upsert, Update, Delete:
	default:
		return nil, fmt.Errorf("projections: unknown change kind %d", c.Kind)
	}
	var out []Stmt
	if c.Kind == Delete {
		// The rows' children first, while the rows still name them.
		for _, child := range p.Schema() {
			if child.Parent == td.Name {
				out = append(out, stmt(fmt.Sprintf("DELETE FROM %s WHERE %s IN (SELECT %s FROM %s WHERE %s = $1)",
					child.Name, child.ParentCol, td.Key[0], td.Name, c.Where.Name), c.Where.Value))
			}
		}
	}
	var pl placer
	sql := changeSQL(td, c, &pl)
	return append(out, Stmt{SQL: sql, Args: pl.args}), nil
}

// changeSQL is the statement of c (Insert, Upsert, Update or Delete), its
// values placed by pl. Merged, the statement reads them from fromMarker
// (merge.go puts the unnest there); an Upsert that updates cannot be merged
// (ON CONFLICT DO UPDATE sees only the table and excluded).
func changeSQL(td TableDef, c Change, pl *placer) string {
	var b strings.Builder
	switch c.Kind {
	case Insert, Upsert:
		names := make([]string, len(c.Cols))
		vals := make([]string, len(c.Cols))
		for i, cl := range c.Cols {
			names[i], vals[i] = cl.Name, pl.place(td.Name, cl.Name, cl.Value)
		}
		fmt.Fprintf(&b, "INSERT INTO %s AS t (%s) ", c.Table, strings.Join(names, ", "))
		var exists string
		if c.IfExists != nil {
			exists = fmt.Sprintf(" WHERE EXISTS (SELECT 1 FROM %s WHERE %s = %s)", c.IfExists.Table, c.IfExists.Where.Name,
				pl.place(c.IfExists.Table, c.IfExists.Where.Name, c.IfExists.Where.Value))
		}
		switch {
		case pl.merged:
			fmt.Fprintf(&b, "SELECT %s FROM %s%s", strings.Join(vals, ", "), fromMarker, exists)
		case exists != "":
			fmt.Fprintf(&b, "SELECT %s%s", strings.Join(vals, ", "), exists)
		default:
			fmt.Fprintf(&b, "VALUES (%s)", strings.Join(vals, ", "))
		}
		fmt.Fprintf(&b, " ON CONFLICT (%s) DO ", strings.Join(td.Key, ", "))
		if c.Kind == Insert || len(c.Sets) == 0 {
			b.WriteString("NOTHING")
		} else {
			b.WriteString("UPDATE SET ")
			writeSets(&b, pl, td.Name, c.Sets)
		}
	case Update:
		fmt.Fprintf(&b, "UPDATE %s AS t SET ", c.Table)
		writeSets(&b, pl, td.Name, c.Sets)
		if pl.merged {
			b.WriteString(" FROM " + fromMarker)
		}
		fmt.Fprintf(&b, " WHERE t.%s = %s", c.Where.Name, pl.place(td.Name, c.Where.Name, c.Where.Value))
	case Delete:
		fmt.Fprintf(&b, "DELETE FROM %s WHERE %s = %s", c.Table, c.Where.Name, pl.place(td.Name, c.Where.Name, c.Where.Value))
	}
	return b.String()
}

func writeSets(b *strings.Builder, pl *placer, table string, sets []Set) {
	for i, s := range sets {
		if i > 0 {
			b.WriteString(", ")
		}
		var expr string
		switch s.Op {
		case Add:
			expr = "t." + s.Col + " + " + pl.place(table, s.Col, s.Value)
		case AtLeast:
			expr = "greatest(coalesce(t." + s.Col + ", 0), " + pl.place(table, s.Col, s.Value) + ")"
		default:
			expr = pl.place(table, s.Col, s.Value)
		}
		if s.When != nil {
			var cond string
			switch s.When.Kind {
			case IsNull:
				cond = "t." + s.When.Col + " IS NULL"
			case IsTrue:
				cond = "t." + s.When.Col
			case IsFalse:
				cond = "NOT t." + s.When.Col
			case NullOrBelow:
				cond = "(t." + s.When.Col + " IS NULL OR t." + s.When.Col + " < " + pl.place(table, s.When.Col, s.When.Value) + ")"
			}
			expr = "CASE WHEN " + cond + " THEN " + expr + " ELSE t." + s.Col + " END"
		}
		b.WriteString(s.Col + " = " + expr)
	}
}

// keyString identifies a key value in memory.
func keyString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case time.Time:
		return strconv.FormatInt(x.UnixMicro(), 10)
	case nil:
		return "\x00null"
	}
	return fmt.Sprint(v)
}

// jsonValues encodes values as jsonb column values.
func jsonValues(vs ...any) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(vs))
	for i, v := range vs {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("encoding a jsonb value: %w", err)
		}
		out[i] = b
	}
	return out, nil
}
