package rubric

import (
	"testing"

	"github.com/sparrow-coach/sparrow/domain"
)

// benchInput is a 60-minute, 600-turn call: the size the spec's 5 ms budget is set for.
func benchInput() Input {
	return Input{Mode: domain.ModeDiscovery, Turns: BenchTranscript(600, 60*60*1000)}
}

func BenchmarkQuick600(b *testing.B) {
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		Quick(in)
	}
}

func BenchmarkScore600(b *testing.B) {
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		Score(in)
	}
}

func BenchmarkComputeMetrics600(b *testing.B) {
	turns := BenchTranscript(600, 60*60*1000)
	b.ReportAllocs()
	for b.Loop() {
		ComputeMetrics(turns)
	}
}
