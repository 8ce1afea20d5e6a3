package transcriptfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sparrow-coach/sparrow/domain"
)

type jsonFile struct {
	Entries []jsonEntry `json:"entries"`
}

type jsonEntry struct {
	Role        *domain.Role `json:"role"`
	Content     *string      `json:"content"`
	TimestampMs *int64       `json:"timestampMs"`
}

// parseJSON reads the API's transcript JSON: {"entries": [...]} or the bare array. The speakers are the roles
// themselves ("user" is the rep).
func parseJSON(data []byte) ([]Line, error) {
	var entries []jsonEntry
	trimmed := bytes.TrimSpace(data)
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	var err error
	if len(trimmed) > 0 && trimmed[0] == '[' {
		err = dec.Decode(&entries)
	} else {
		var f jsonFile
		err = dec.Decode(&f)
		entries = f.Entries
	}
	if err != nil {
		return nil, jsonError(trimmed, err)
	}
	if dec.More() {
		return nil, parseErr(lineAt(trimmed, dec.InputOffset()), "unexpected data after the transcript")
	}
	out := make([]Line, 0, len(entries))
	for i, e := range entries {
		where := fmt.Sprintf("entries[%d]", i)
		if e.Role == nil || e.Content == nil {
			return nil, parseErr(0, "%s needs a role and content", where)
		}
		entry := domain.TranscriptEntry{Role: *e.Role, Content: *e.Content}
		if e.TimestampMs != nil {
			entry.TimestampMs = *e.TimestampMs
		}
		if err := entry.Validate(); err != nil {
			var fe *domain.FieldError
			if errors.As(err, &fe) {
				return nil, parseErr(0, "%s.%s: %v", where, fe.Field, fe.Err)
			}
			return nil, parseErr(0, "%s: %v", where, err)
		}
		out = append(out, Line{Speaker: string(entry.Role), Text: entry.Content, StartMs: entry.TimestampMs, Timed: e.TimestampMs != nil})
	}
	return out, nil
}

func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return parseErr(lineAt(data, syn.Offset), "not valid JSON: %v", syn)
	case errors.As(err, &typ):
		return parseErr(lineAt(data, typ.Offset), "%s must be %s", typ.Field, typ.Type)
	}
	return parseErr(0, "not a transcript: %v; expected %s", err, expected(FormatJSON))
}

func lineAt(data []byte, offset int64) int {
	if offset < 0 {
		offset = 0
	}
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}
