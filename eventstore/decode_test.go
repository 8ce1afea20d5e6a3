package eventstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

// TestDecodeJSONReadsAsEncodingJSONDid holds decodeJSON to encoding/json's
// results: for every domain event type and the metadata, values filled at
// random (every field set, strings with escapes and non-ASCII) are encoded
// by encoding/json (as Append does), in compact and in PostgreSQL's jsonb
// spacing, and decoded both ways.
func TestDecodeJSONReadsAsEncodingJSONDid(t *testing.T) {
	type target struct {
		name     string
		newValue func() any
	}
	targets := []target{{"Metadata", func() any { return &Metadata{} }}}
	for _, et := range domain.EventTypes() {
		targets = append(targets, target{et.Name, func() any { return et.New() }})
	}
	for ti, tg := range targets {
		name, newValue := tg.name, tg.newValue
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(12, uint64(ti))) // its own seed: a failure reproduces alone
			for i := range 50 {
				v := newValue()
				fill(t, rng, reflect.ValueOf(v).Elem(), 0)
				doc, err := json.Marshal(v)
				require.NoError(t, err)
				for j, form := range [][]byte{doc, jsonbSpacing(t, doc)} {
					want, got := newValue(), newValue()
					require.NoError(t, json.Unmarshal(form, want))
					require.NoError(t, decodeJSON(form, got), "%s", form)
					require.Equal(t, want, got, "value %d: %s", i, form)
					if j == 0 { // (jsonb's spaces stay in a RawMessage)
						require.Equal(t, v, got, "the round trip keeps the value: %s", form)
					}
				}
			}
		})
	}
}

// TestDecodeJSONEdgeCasesAsEncodingJSON: what a hand-edited or old payload
// may hold reads as encoding/json read it.
func TestDecodeJSONEdgeCasesAsEncodingJSON(t *testing.T) {
	for _, doc := range []string{
		`{"ROLE": "rep", "Content": "hi", "timestampms": 5}`,   // names in another case
		`{"role": "rep", "role": "prospect"}`,                  // a duplicate name: the last wins
		"{\"role\": \"rep\", \"content\": \"bad \xff byte\"}",  // invalid UTF-8 becomes U+FFFD
		`{"role": null, "content": null, "timestampMs": null}`, // null leaves the zero value
		`{"role": "rep", "unknown": {"deep": [1, 2, {"x": null}]}}`,
		`{"content": "\u00e9\ud83d\ude00 \"q\" \\ \/ \n"}`,
		`{"timestamp_ms": 5, "time-stamp-ms": 6}`, // underscores and dashes are not ignored
		`{"role": "rep", "ROLE": "prospect"}`,     // another case of the same name comes later: it wins
	} {
		want, got := &domain.TranscriptChunkAdded{}, &domain.TranscriptChunkAdded{}
		require.NoError(t, json.Unmarshal([]byte(doc), want))
		require.NoError(t, decodeJSON([]byte(doc), got), doc)
		require.Equal(t, want, got, doc)
	}
	for _, doc := range []string{`{"event_id": "x", "occurred_at": "2024-01-01T00:00:00Z", "schema-version": 3}`,
		`{"eventId": "a", "event_id": "b"}`, `{"EVENTID": "a", "actor": "user:1"}`} {
		want, got := &Metadata{}, &Metadata{}
		require.NoError(t, json.Unmarshal([]byte(doc), want))
		require.NoError(t, decodeJSON([]byte(doc), got), doc)
		require.Equal(t, want, got, doc)
	}
	for _, doc := range []string{`{"metrics": {"filler": {"a": 1},  "pace": [1, 2]}}`, `{"metrics": null}`} {
		want, got := &domain.CallDeepScored{}, &domain.CallDeepScored{}
		require.NoError(t, json.Unmarshal([]byte(doc), want))
		require.NoError(t, decodeJSON([]byte(doc), got), doc)
		require.Equal(t, want, got, doc)
	}
	for _, doc := range []string{`{"role": 5}`, `{"timestampMs": "5"}`, `{"timestampMs": 1.5}`, `[1]`, `{"role": "rep"`} {
		require.Error(t, json.Unmarshal([]byte(doc), &domain.TranscriptChunkAdded{}), doc)
		require.Error(t, decodeJSON([]byte(doc), &domain.TranscriptChunkAdded{}), doc)
	}
}

// jsonbSpacing re-spaces a compact document as PostgreSQL prints jsonb: a
// space after every colon and comma outside strings.
func jsonbSpacing(t *testing.T, doc []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	inString, escaped := false, false
	for _, c := range doc {
		out.WriteByte(c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ':' || c == ','):
			out.WriteByte(' ')
		}
	}
	require.True(t, json.Valid(out.Bytes()), "%s", out.Bytes())
	return out.Bytes()
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// fill sets every settable field of v to a random value. It fails on a kind
// it does not know, so a new kind of field in an event cannot go untested.
func fill(t *testing.T, rng *rand.Rand, v reflect.Value, depth int) {
	t.Helper()
	switch {
	case v.Type() == rawMessageType:
		s, err := json.Marshal(randomString(rng))
		require.NoError(t, err)
		v.SetBytes(fmt.Appendf(nil, `{"filler":{"n":%d,"s":%s},"list":[1,2.5,null,true]}`, rng.IntN(100), s))
		return
	case v.Type() == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)).UTC()))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(randomString(rng))
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 1)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(rng.Int64N(1<<31) - 1<<30)
	case reflect.Float64, reflect.Float32:
		v.SetFloat(float64(rng.IntN(10000)) / 100)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, rng, v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		n := 1 + rng.IntN(3)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(t, rng, s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 1 + rng.IntN(3) {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(t, rng, k, depth+1)
			fill(t, rng, e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, rng, p.Elem(), depth+1)
		v.Set(p)
	default:
		t.Fatalf("fill: no rule for %s (%s)", v.Type(), v.Kind())
	}
}

func randomString(rng *rand.Rand) string {
	parts := []string{"a", "Zz", " ", "é", "😀", `"`, `\`, "\n", "\t", "<b>", "&", "\u2028", "0", "/"}
	var b []byte
	for range rng.IntN(12) {
		b = append(b, parts[rng.IntN(len(parts))]...)
	}
	return string(b)
}
