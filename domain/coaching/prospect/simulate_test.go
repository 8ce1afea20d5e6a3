package prospect_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/prospect"
)

func TestSimulate_ProducesARealisticTranscript(t *testing.T) {
	t.Parallel()
	for _, rep := range prospect.ScriptedReps() {
		for _, m := range domain.Modes {
			p := preset(t, "Frank Dolan")
			res, err := prospect.Simulate(p, m, string(rep), 8, prospect.DefaultMaxTurns)
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(res.Turns), 3)

			assert.Equal(t, domain.RoleAssistant, res.Turns[0].Role, "the prospect picks up")
			assert.Equal(t, p.FirstMessageFor(m), res.Turns[0].Content)
			for i, e := range res.Turns {
				assert.NoError(t, e.Validate())
				if i == 0 {
					continue
				}
				prev := res.Turns[i-1]
				assert.NotEqual(t, prev.Role, e.Role, "speakers alternate")
				// At least the previous line's speaking time (>= 60 wpm... far faster in practice) plus a pause.
				gap := e.TimestampMs - prev.TimestampMs
				assert.Greater(t, gap, int64(300), "line %d starts after the previous one was spoken", i)
				assert.Less(t, gap, int64(90_000), "no minute-long silences")
			}
			last := res.Turns[len(res.Turns)-1]
			assert.Equal(t, domain.RoleAssistant, last.Role, "the prospect has the last word")
			assert.Equal(t, res.Final.EndReason, res.EndReason)
			assert.Equal(t, res.Final.MeetingBooked, res.MeetingBooked)
			assert.Equal(t, res.MeetingBooked, res.EndReason == prospect.EndMeetingBooked)
		}
	}
}

func TestSimulate_ASecondOfSpeechPerFewWords(t *testing.T) {
	t.Parallel()
	res, err := prospect.Simulate(preset(t, "Maya Chen"), domain.ModeDiscovery, "bad", 1, 5)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(res.Turns), 3)
	// The bad rep's opening monologue (90+ words) takes more than 30 s to say at ~150 wpm.
	assert.Greater(t, res.Turns[2].TimestampMs-res.Turns[1].TimestampMs, int64(30_000))
}

func TestSimulate_IsDeterministicPerSeed(t *testing.T) {
	t.Parallel()
	p := preset(t, "Elena Vasquez")
	a, err := prospect.Simulate(p, domain.ModeDiscovery, "good", 99, prospect.DefaultMaxTurns)
	require.NoError(t, err)
	b, err := prospect.Simulate(p, domain.ModeDiscovery, "good", 99, prospect.DefaultMaxTurns)
	require.NoError(t, err)
	assert.Equal(t, a, b)

	c, err := prospect.Simulate(p, domain.ModeDiscovery, "good", 100, prospect.DefaultMaxTurns)
	require.NoError(t, err)
	assert.NotEqual(t, a.Turns, c.Turns)
}

func TestSimulate_StopsAtMaxTurns(t *testing.T) {
	t.Parallel()
	res, err := prospect.Simulate(preset(t, "Maya Chen"), domain.ModeDiscovery, "good", 1, 2)
	require.NoError(t, err)
	assert.Equal(t, prospect.EndMaxTurns, res.EndReason)
	assert.False(t, res.MeetingBooked)
	assert.Len(t, res.Turns, 5, "opening + 2 rep lines + 2 replies")
}

func TestSimulate_RejectsInvalidInput(t *testing.T) {
	t.Parallel()
	valid := preset(t, "Maya Chen")
	broken := valid
	broken.Name = ""
	tests := []struct {
		name      string
		p         domain.PersonaProfile
		mode      domain.Mode
		rep       string
		maxTurns  int
		wantField string
	}{
		{name: "invalid persona", p: broken, mode: domain.ModeColdCall, rep: "good", maxTurns: 10, wantField: "name"},
		{name: "unknown mode", p: valid, mode: "role_play", rep: "good", maxTurns: 10, wantField: "mode"},
		{name: "unknown rep", p: valid, mode: domain.ModeColdCall, rep: "mediocre", maxTurns: 10, wantField: "rep"},
		{name: "no turns", p: valid, mode: domain.ModeColdCall, rep: "good", maxTurns: 0, wantField: "maxTurns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := prospect.Simulate(tt.p, tt.mode, tt.rep, 1, tt.maxTurns)
			require.Error(t, err)
			assert.True(t, errors.Is(err, domain.ErrInvalid))
			var fe *domain.FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, tt.wantField, fe.Field)
		})
	}
}

func TestSimulateAll_Summarises(t *testing.T) {
	t.Parallel()
	presets := personas.Presets()[:3]
	s, err := prospect.SimulateAll("good", domain.ModeColdCall, 4, 1, presets)
	require.NoError(t, err)
	assert.Equal(t, "good", s.Rep)
	assert.Equal(t, domain.ModeColdCall, s.Mode)
	assert.Equal(t, 12, s.Runs)
	require.Len(t, s.PerPersona, 3)

	meetings, byDifficulty := 0, map[domain.Difficulty]prospect.Tally{}
	for i, pt := range s.PerPersona {
		assert.Equal(t, presets[i].ID, pt.ID)
		assert.Equal(t, 4, pt.Runs)
		ends := 0
		for _, n := range pt.EndReasons {
			ends += n
		}
		assert.Equal(t, 4, ends)
		assert.Equal(t, pt.Meetings, pt.EndReasons[prospect.EndMeetingBooked])
		meetings += pt.Meetings
		d := byDifficulty[pt.Difficulty]
		d.Runs, d.Meetings = d.Runs+pt.Runs, d.Meetings+pt.Meetings
		byDifficulty[pt.Difficulty] = d
	}
	assert.Equal(t, meetings, s.Meetings)
	assert.Equal(t, byDifficulty, s.ByDifficulty)
	assert.Equal(t, "meetings booked: "+itoa(s.Meetings)+" of 12", s.String())

	again, err := prospect.SimulateAll("good", domain.ModeColdCall, 4, 1, presets)
	require.NoError(t, err)
	assert.Equal(t, s, again, "reproducible")
}

func TestSimulateAll_RejectsInvalidInput(t *testing.T) {
	t.Parallel()
	_, err := prospect.SimulateAll("good", domain.ModeColdCall, 0, 1, personas.Presets())
	assert.True(t, errors.Is(err, domain.ErrInvalid))
	_, err = prospect.SimulateAll("good", domain.ModeColdCall, 1, 1, nil)
	assert.True(t, errors.Is(err, domain.ErrInvalid))
	_, err = prospect.SimulateAll("nobody", domain.ModeColdCall, 1, 1, personas.Presets())
	assert.True(t, errors.Is(err, domain.ErrInvalid))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
