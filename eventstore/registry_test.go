package eventstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
)

// noteAdded is a test event at schema version 3: v1 had "text", v2 renamed
// it to "body", v3 added "lang" (default "en").
type noteAdded struct {
	Body string `json:"body"`
	Lang string `json:"lang"`
}

func (noteAdded) EventType() string { return "NoteAdded" }

func testRegistry(t *testing.T) *eventstore.Registry {
	t.Helper()
	r, err := eventstore.NewRegistry(append(domain.EventTypes(),
		domain.EventType{Name: "NoteAdded", Stream: "note", SchemaVersion: 3, New: func() domain.Event { return &noteAdded{} }}),
		[]domain.Upcaster{
			{EventType: "NoteAdded", FromVersion: 1, Up: func(p json.RawMessage) (json.RawMessage, error) {
				var v1 struct{ Text string }
				if err := json.Unmarshal(p, &v1); err != nil {
					return nil, err
				}
				return json.Marshal(map[string]string{"body": v1.Text})
			}},
			{EventType: "NoteAdded", FromVersion: 2, Up: func(p json.RawMessage) (json.RawMessage, error) {
				var m map[string]any
				if err := json.Unmarshal(p, &m); err != nil {
					return nil, err
				}
				if m["body"] == "boom" {
					return nil, errors.New("cannot upcast boom")
				}
				m["lang"] = "en"
				return json.Marshal(m)
			}},
		})
	require.NoError(t, err)
	return r
}

func TestUpcastersBringOldPayloadsToTheCurrentSchemaOnEveryReadPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	s, err := eventstore.NewStore(pool, eventstore.StoreConfig{Registry: testRegistry(t)})
	require.NoError(t, err)
	stream := uuid.NewString()
	for v, row := range []struct {
		schema  int
		payload string
	}{{1, `{"Text":"from v1"}`}, {2, `{"body":"from v2"}`}, {3, `{"body":"from v3","lang":"fr"}`}} {
		_, err := pool.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
			VALUES ($1, $2, 'note', $3, 'NoteAdded', $4, $5, '{"actor":"system"}')`, uuid.NewString(), stream, v+1, row.schema, row.payload)
		require.NoError(t, err)
	}
	want := []noteAdded{{"from v1", "en"}, {"from v2", "en"}, {"from v3", "fr"}}
	loaded, err := s.Load(ctx, stream)
	require.NoError(t, err)
	require.Len(t, loaded, 3)
	for i, e := range loaded {
		assert.Equal(t, want[i], *e.Data.(*noteAdded), "Load, version %d", i+1)
		assert.Equal(t, i+1, e.SchemaVersion, "the stored schema version is kept")
	}
	var scanned []eventstore.Event
	require.Eventually(t, func() bool {
		scanned, err = s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 10, eventstore.Filter{StreamID: stream})
		return err == nil && len(scanned) == 3
	}, 10e9, 10e6)
	for i, e := range scanned {
		assert.Equal(t, want[i], *e.Data.(*noteAdded), "ReadBatch (rebuild, export), version %d", i+1)
	}

	// A payload that cannot be upcast is an error naming its position, not a skip.
	_, err = pool.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
		VALUES ($1, $2, 'note', 4, 'NoteAdded', 2, '{"body":"boom"}', '{"actor":"system"}')`, uuid.NewString(), stream)
	require.NoError(t, err)
	_, err = s.Load(ctx, stream)
	assert.ErrorIs(t, err, eventstore.ErrDecode)
	assert.Contains(t, err.Error(), "position")
}

func TestRegistryRejectsInconsistentDefinitions(t *testing.T) {
	t.Parallel()
	note := domain.EventType{Name: "NoteAdded", Stream: "note", SchemaVersion: 2, New: func() domain.Event { return &noteAdded{} }}
	_, err := eventstore.NewRegistry([]domain.EventType{note}, nil)
	assert.Error(t, err, "schema v2 without an upcaster from v1")
	_, err = eventstore.NewRegistry([]domain.EventType{note, note}, []domain.Upcaster{{EventType: "NoteAdded", FromVersion: 1, Up: nil}})
	assert.Error(t, err, "registered twice")
	_, err = eventstore.NewRegistry(domain.EventTypes(), []domain.Upcaster{{EventType: "Nope", FromVersion: 1}})
	assert.Error(t, err, "upcaster for an unknown type")
	_, err = eventstore.NewRegistry(domain.EventTypes(), domain.Upcasters())
	assert.NoError(t, err, "the domain's own lists are consistent")
}
