package projections

import "github.com/google/uuid"

// Statement arguments for uuid columns go out as their 16 bytes, not as the
// strings events carry: pgx sends array parameters in binary, a Go string
// has no binary form as a uuid, and pgx then formats an error that prints
// the whole slice before it falls back to text (a twentieth of the live
// projectors' CPU, measured with bench --cpuprofile). Plain [16]byte, not
// uuid.UUID: that is a driver.Valuer whose value is a string again. A
// string that is not a canonical UUID is left as it is, so PostgreSQL
// reports it as before.

// uuidValues replaces, in place, each string in vs that is a UUID by its
// bytes.
func uuidValues(vs []any) {
	for i, v := range vs {
		if s, ok := v.(string); ok {
			if u, ok := canonicalUUID(s); ok {
				vs[i] = u
			}
		}
	}
}

// uuidArray is ids as a uuid[] argument: their bytes, or ids themselves if
// one is not a UUID.
func uuidArray(ids []string) any {
	out := make([][16]byte, len(ids))
	for i, s := range ids {
		u, ok := canonicalUUID(s)
		if !ok {
			return ids
		}
		out[i] = u
	}
	return out
}

// canonicalUUID is s's bytes when s is a UUID in its canonical 36-character
// form. uuid.Parse also takes forms PostgreSQL refuses ("urn:uuid:...", any
// 38-character string with its ends dropped), which would then be accepted
// here and refused by a rebuild's COPY.
func canonicalUUID(s string) ([16]byte, bool) {
	if len(s) != 36 {
		return [16]byte{}, false
	}
	u, err := uuid.Parse(s)
	return [16]byte(u), err == nil
}
