package eventstore

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

// deliveries are events at positions (tx, tx) for tx in from+1..to.
func deliveries(from, to uint64) []Delivery {
	var out []Delivery
	for tx := from + 1; tx <= to; tx++ {
		out = append(out, Delivery{Event: Event{Position: Position{TxID: tx, Offset: int64(tx)}, StreamType: "call", Type: "CallCreated"}})
	}
	return out
}

func pos(tx uint64) Position { return Position{TxID: tx, Offset: int64(tx)} }

func positions(ds []Delivery) []uint64 {
	var out []uint64
	for _, d := range ds {
		out = append(out, d.Position.TxID)
	}
	return out
}

func TestReadCache(t *testing.T) {
	var c readCache
	_, ok := c.after(Position{}, 10)
	assert.False(t, ok, "an empty stretch covers nothing")

	c.add(pos(10), deliveries(10, 15))
	got, ok := c.after(pos(10), 10)
	require.True(t, ok, "its start")
	assert.Equal(t, []uint64{11, 12, 13, 14, 15}, positions(got))
	got, ok = c.after(pos(12), 2)
	require.True(t, ok)
	assert.Equal(t, []uint64{13, 14}, positions(got), "up to the limit")
	got, ok = c.after(pos(15), 10)
	assert.True(t, ok, "its last event: covered, nothing after it")
	assert.Empty(t, got)
	assert.True(t, c.isEnd(pos(15)))
	for _, p := range []Position{pos(9), pos(16), {TxID: 12, Offset: 99}} {
		_, ok = c.after(p, 10)
		assert.False(t, ok, "%s: before, after or between its events", p)
	}

	c.add(pos(13), deliveries(13, 18)) // starts inside: only what is past the end
	got, _ = c.after(pos(10), 100)
	assert.Equal(t, []uint64{11, 12, 13, 14, 15, 16, 17, 18}, positions(got), "no event twice, none missing")
	c.add(pos(5), deliveries(5, 20)) // starts before: the part past the end
	got, _ = c.after(pos(10), 100)
	assert.Equal(t, []uint64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, positions(got))
	c.add(pos(12), deliveries(12, 16)) // older than the end: nothing new
	got, _ = c.after(pos(10), 100)
	assert.Len(t, got, 10)

	c.add(pos(30), deliveries(30, 32)) // after a gap: it becomes the stretch
	_, ok = c.after(pos(20), 10)
	assert.False(t, ok, "the events between 20 and 30 were never read: not covered")
	got, ok = c.after(pos(30), 10)
	require.True(t, ok)
	assert.Equal(t, []uint64{31, 32}, positions(got))

	got[0].StreamID = "changed" // what after returns is the caller's
	again, _ := c.after(pos(30), 10)
	assert.Empty(t, again[0].StreamID)

	c.add(pos(32), deliveries(32, 32+readCacheMax)) // bounded: the oldest go
	_, ok = c.after(pos(30), 10)
	assert.False(t, ok, "trimmed away")
	assert.LessOrEqual(t, len(c.evs), readCacheMax)
	assert.LessOrEqual(t, c.bytes, readCacheMaxBytes)
	got, ok = c.after(c.from, 1)
	require.True(t, ok, "the new start")
	assert.Equal(t, c.from.TxID+1, got[0].Position.TxID, "nothing missing after it")
	assert.True(t, c.isEnd(pos(32+readCacheMax)))
	assert.True(t, c.before(pos(33+readCacheMax)))
	assert.False(t, c.before(pos(32+readCacheMax)))

	c.reset()
	assert.True(t, c.before(pos(1)), "forgotten")
	_, ok = c.after(pos(40), 1)
	assert.False(t, ok)
}

func TestBelow(t *testing.T) {
	ds := deliveries(10, 15)
	assert.Equal(t, []uint64{11, 12}, positions(below(ds, 13)), "what the snapshot surely sees")
	assert.Len(t, below(ds, 16), 5)
	assert.Empty(t, below(ds, 11))
}

func TestForGroup(t *testing.T) {
	d := Delivery{Event: Event{Position: pos(3), StreamID: "s", StreamType: "call", Version: 2, Type: "CallStarted", SchemaVersion: 1,
		Data: &domain.CallStarted{}, Payload: []byte(`{}`), Metadata: Metadata{EventID: "e", Actor: "a"}}, Err: ErrDecode}
	assert.Equal(t, d, forGroup(d, nil), "a group that decodes every kind")
	assert.Equal(t, d, forGroup(d, []string{"user", "call"}))
	other := forGroup(d, []string{"user"})
	assert.Equal(t, Delivery{Event: Event{Position: pos(3), StreamID: "s", StreamType: "call", Version: 2, Type: "CallStarted", SchemaVersion: 1}}, other,
		"another kind: position, stream, version and type only; no data, payload, metadata or decoding error")
}

func TestReadCacheBytes(t *testing.T) {
	var c readCache
	big := deliveries(0, 100)
	for i := range big {
		big[i].Payload = make([]byte, readCacheMaxBytes/20)
	}
	c.add(Position{}, big)
	assert.LessOrEqual(t, c.bytes, readCacheMaxBytes, "bounded by memory as well as by count")
	assert.Less(t, len(c.evs), 11)
	assert.Greater(t, len(c.evs), 5)
	assert.True(t, c.isEnd(pos(100)), "the newest are kept")
	got, ok := c.after(c.from, 100)
	require.True(t, ok)
	assert.Equal(t, len(c.evs), len(got))
	huge := deliveries(100, 101)
	huge[0].Payload = make([]byte, 2*readCacheMaxBytes)
	c.add(pos(100), huge)
	assert.Len(t, c.evs, 1, "one event larger than the bound is still kept: the stretch's end")
	assert.True(t, c.isEnd(pos(101)))
	c.add(pos(101), deliveries(101, 103))
	assert.Equal(t, 2, len(c.evs), "and dropped when newer ones come")
	assert.Equal(t, 2*512+2*len("CallCreated"), c.bytes)
}
