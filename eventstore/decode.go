package eventstore

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// decodeOptions make the faster JSON decoder (go-json-experiment/json, the
// design that became encoding/json/v2) read stored payloads and metadata as
// encoding/json did: names matched without regard to case but with their
// underscores and dashes ("event_id" is not eventId), duplicate names and
// invalid UTF-8 accepted. The live consumer groups (once per process,
// between them: readCache), the rebuild and replay decode every event they
// read, so the decoder is a large share of their CPU:
// encoding/json took 8.3 µs and 16 allocations for a transcript line and
// its metadata, this 3.0 µs and 2 (decode_test.go holds them to the same
// results for every event type).
var decodeOptions = jsonv2.JoinOptions(
	jsonv2.MatchCaseInsensitiveNames(true),
	jsonv1.MatchCaseSensitiveDelimiter(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// decodeJSON decodes a stored JSON document into v.
func decodeJSON(b []byte, v any) error { return jsonv2.Unmarshal(b, v, decodeOptions) }
