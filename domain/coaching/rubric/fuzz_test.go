package rubric

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/domain"
)

// FuzzScore checks the invariants on arbitrary text: run with
// go test -fuzz FuzzScore ./domain/coaching/rubric/ (the seeds run in every go test).
func FuzzScore(f *testing.F) {
	f.Add("Hi, this is Sam from Ledgerly. How have you been?", "Not interested, send me an email.", int64(0), int64(3000))
	f.Add("How does Tuesday at 2pm look?", "Tuesday at 2 works.", int64(5000), int64(1000))
	f.Add("", "", int64(-1), int64(1<<62))
	f.Add("um, like, you know\x00\xff", "？？？。。。", int64(7), int64(7))
	f.Add(strings.Repeat("at 2 ", 300), strings.Repeat("it's ", 300), int64(1), int64(2))
	f.Fuzz(func(t *testing.T, repLine, prospectLine string, repTs, prospectTs int64) {
		turns := []domain.TranscriptEntry{
			{Role: domain.RoleUser, Content: repLine, TimestampMs: repTs},
			{Role: domain.RoleAssistant, Content: prospectLine, TimestampMs: prospectTs},
			{Role: domain.RoleUser, Content: prospectLine + " " + repLine, TimestampMs: repTs / 2},
		}
		for _, mode := range domain.Modes {
			in := domain.ScoreInput{Mode: mode, Transcript: turns}
			r := scored(in)
			requireValidResult(t, in, r)
			assert.Less(t, r.Overall, 60, "three lines are never a strong call")
		}
	})
}
