package projections

import (
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The point of uuidArray and uuidValues: what they return has a binary
// encoding as uuid[], so pgx never takes its error-formatting fallback. A
// uuid.UUID (a driver.Valuer of a string) or a string would fail here.
func TestUUIDArgumentsEncodeInBinary(t *testing.T) {
	m := pgtype.NewMap()
	id := "0190b6a4-8f2e-7c1d-9a3b-5e6f7a8b9c0d"

	arr := uuidArray([]string{id, id})
	_, err := m.Encode(pgtype.UUIDArrayOID, pgtype.BinaryFormatCode, arr, nil)
	require.NoError(t, err)

	vals := []any{id, nil, "not-a-uuid"}
	uuidValues(vals)
	_, err = m.Encode(pgtype.UUIDArrayOID, pgtype.BinaryFormatCode, vals[:2], nil)
	require.NoError(t, err)
	assert.Equal(t, "not-a-uuid", vals[2], "a value that is not a UUID is left for PostgreSQL to refuse")

	// Forms uuid.Parse takes and PostgreSQL refuses stay strings.
	for _, odd := range []string{"urn:uuid:" + id, "x" + id + "x"} {
		vals := []any{odd}
		uuidValues(vals)
		assert.Equal(t, odd, vals[0])
		assert.Equal(t, []string{odd}, uuidArray([]string{odd}))
	}

	// Not UUIDs: the strings are kept, and PostgreSQL reports them.
	assert.Equal(t, []string{id, "x"}, uuidArray([]string{id, "x"}))
	_, err = m.Encode(pgtype.UUIDArrayOID, pgtype.BinaryFormatCode, []string{id}, nil)
	assert.Error(t, err, "pgx has no binary form for a string as a uuid (if it gains one, uuidArray can go)")
}
