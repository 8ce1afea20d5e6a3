package rubric

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDiscoveryRanking holds discovery scoring to issue 11 on calls written
// for this test and never used to tune the rubric (testdata/ranking): in
// every mode, a call that asks several questions about the prospect's
// situation and learns numbers before it pitches scores at least 10 above
// the same call that only pitches.
func TestDiscoveryRanking(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "ranking", "*_learns.txt"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 6, "at least two pairs per mode")
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(strings.TrimSuffix(name, "_learns.txt"), func(t *testing.T) {
			t.Parallel()
			learns := loadScripted(t, filepath.Join("ranking", name))
			pitch := loadScripted(t, filepath.Join("ranking", strings.Replace(name, "_learns", "_pitch", 1)))
			require.Equal(t, learns.mode, pitch.mode)
			a := Score(domain.ScoreInput{Mode: learns.mode, Transcript: learns.turns})
			b := Score(domain.ScoreInput{Mode: pitch.mode, Transcript: pitch.turns})
			t.Logf("%s: learns %d (discovery %d), pitch %d (discovery %d), gap %d", learns.mode, a.Overall, a.Discovery, b.Overall, b.Discovery, a.Overall-b.Overall)
			assert.GreaterOrEqual(t, a.Overall-b.Overall, 10, "learning about the prospect must be worth 10 points")
			assert.Greater(t, a.Discovery, b.Discovery)
		})
	}
}
