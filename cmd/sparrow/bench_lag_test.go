package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/projections"
)

// A consumer that committed past an event before its appender registered it
// has seen it: the event does not wait for that consumer's next commit
// (which, at the end of a load, never comes).
func TestLagProbeCountsAConsumerThatPassedAnEventBeforeItWasRegistered(t *testing.T) {
	p := newLagProbe(projections.ReadModels())
	p.take(true)
	at := eventstore.Position{TxID: 10, Offset: 5}
	p.committed("calls", eventstore.Position{TxID: 10, Offset: 7}) // past it
	p.committed("user_stats", eventstore.Position{TxID: 9, Offset: 1})
	p.appended(at, time.Now(), domain.StreamCall)
	_, per, left := p.take(true)
	assert.Equal(t, 1, left, "user_stats has not passed it")
	assert.Equal(t, []time.Duration{0}, per["calls"])

	p.committed("user_stats", at)
	samples, per, left := p.take(false)
	assert.Zero(t, left)
	assert.Len(t, samples, 1)
	assert.Len(t, per["user_stats"], 1)

	p.take(true)
	p.appended(eventstore.Position{TxID: 10, Offset: 4}, time.Now(), domain.StreamCall) // both passed it
	samples, _, left = p.take(false)
	assert.Zero(t, left)
	assert.Equal(t, []time.Duration{0}, samples)
}

// A step counts at its rate when the appenders started 99% of its appends
// (the edges of the window), else at what they reached, never more.
func TestSustainedRate(t *testing.T) {
	assert.Equal(t, 5000, sustainedRate(5000, 5006))
	assert.Equal(t, 5000, sustainedRate(5000, 4950))
	assert.Equal(t, 4949, sustainedRate(5000, 4949.9))
}
