package eventstore

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/sparrow-coach/sparrow/domain"
)

// Registry knows every event type the store may hold, and how to bring old
// payloads up to date. Build it once, explicitly; it is read-only afterwards.
type Registry struct {
	types     map[string]domain.EventType
	upcasters map[string]map[int]domain.Upcaster
}

// NewRegistry registers event types and upcasters. Duplicate names, an upcaster
// for an unknown type, or a gap in a type's upcaster chain are errors.
func NewRegistry(types []domain.EventType, upcasters []domain.Upcaster) (*Registry, error) {
	r := &Registry{types: map[string]domain.EventType{}, upcasters: map[string]map[int]domain.Upcaster{}}
	for _, t := range types {
		if t.Name == "" || t.New == nil || t.SchemaVersion < 1 || t.Stream == "" {
			return nil, fmt.Errorf("eventstore: event type %q is incomplete", t.Name)
		}
		if _, dup := r.types[t.Name]; dup {
			return nil, fmt.Errorf("eventstore: event type %q registered twice", t.Name)
		}
		if got := t.New().EventType(); got != t.Name {
			return nil, fmt.Errorf("eventstore: event type %q makes values of type %q", t.Name, got)
		}
		r.types[t.Name] = t
	}
	for _, u := range upcasters {
		t, ok := r.types[u.EventType]
		if !ok {
			return nil, fmt.Errorf("eventstore: upcaster for unknown event type %q", u.EventType)
		}
		if u.FromVersion < 1 || u.FromVersion >= t.SchemaVersion {
			return nil, fmt.Errorf("eventstore: upcaster %s v%d is outside 1..%d", u.EventType, u.FromVersion, t.SchemaVersion-1)
		}
		if r.upcasters[u.EventType] == nil {
			r.upcasters[u.EventType] = map[int]domain.Upcaster{}
		}
		r.upcasters[u.EventType][u.FromVersion] = u
	}
	for name, t := range r.types {
		for v := 1; v < t.SchemaVersion; v++ {
			if _, ok := r.upcasters[name][v]; !ok {
				return nil, fmt.Errorf("eventstore: %s is at schema v%d but has no upcaster from v%d", name, t.SchemaVersion, v)
			}
		}
	}
	return r, nil
}

// DomainRegistry is the registry of every domain event. It fails only if the
// domain's own lists are inconsistent, which a test catches.
func DomainRegistry() (*Registry, error) {
	return NewRegistry(domain.EventTypes(), domain.Upcasters())
}

// typeOf returns the registration of a domain event value.
func (r *Registry) typeOf(e domain.Event) (domain.EventType, error) {
	t, ok := r.types[e.EventType()]
	if !ok {
		return domain.EventType{}, fmt.Errorf("%w: %q (%s)", ErrUnknownEventType, e.EventType(), reflect.TypeOf(e))
	}
	return t, nil
}

// StreamTypeOf returns the stream kind an event type belongs to.
func (r *Registry) StreamTypeOf(eventType string) (string, bool) {
	t, ok := r.types[eventType]
	return t.Stream, ok
}

// Decode upcasts a stored payload to the current schema and decodes it.
// Errors name the position so an operator can find the event.
func (r *Registry) Decode(pos Position, eventType string, schemaVersion int, payload []byte) (domain.Event, json.RawMessage, error) {
	t, ok := r.types[eventType]
	if !ok {
		return nil, nil, fmt.Errorf("%w: %q at position %s", ErrUnknownEventType, eventType, pos)
	}
	if schemaVersion < 1 || schemaVersion > t.SchemaVersion {
		return nil, nil, fmt.Errorf("%w: %s at position %s has schema v%d, this build knows up to v%d",
			ErrDecode, eventType, pos, schemaVersion, t.SchemaVersion)
	}
	raw := json.RawMessage(payload)
	for v := schemaVersion; v < t.SchemaVersion; v++ {
		up, err := r.upcasters[eventType][v].Up(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: upcasting %s v%d at position %s: %v", ErrDecode, eventType, v, pos, err)
		}
		raw = up
	}
	e := t.New()
	if err := decodeJSON(raw, e); err != nil {
		return nil, nil, fmt.Errorf("%w: %s at position %s: %v", ErrDecode, eventType, pos, err)
	}
	return e, raw, nil
}
