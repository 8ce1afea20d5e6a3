package eventstore

import (
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTxID(t *testing.T) {
	for _, n := range []uint64{0, 7, 1 << 32, math.MaxUint64} {
		got, err := parseTxID([]byte(strconv.FormatUint(n, 10)))
		require.NoError(t, err)
		assert.Equal(t, n, got)
	}
	for _, bad := range []string{"", "-1", "12a", " 1", "18446744073709551616", "99999999999999999999"} {
		_, err := parseTxID([]byte(bad))
		assert.Error(t, err, "%q", bad)
	}
}
