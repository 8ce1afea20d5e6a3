package rubric

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

// scripted is a transcript from testdata, written as readable dialogue:
//
//	# mode: cold_call
//	# expect: strong
//	# timing: auto 140 | none | explicit
//	# persona: priya
//	[0:05] REP: ...        (timestamp only with "timing: explicit")
//	PROSPECT: ...
//
// "auto N" times the lines as speech: the rep at N words per minute, the
// prospect at 160, with 800 ms between turns.
type scripted struct {
	name    string
	mode    domain.Mode
	expect  string
	persona *domain.PersonaProfile
	turns   []domain.TranscriptEntry
}

var testPersonas = map[string]*domain.PersonaProfile{
	"priya": {
		Name: "Priya", Role: "VP Finance", Company: "Northwind Logistics", Industry: "logistics",
		Personality: domain.PersonalityTechnical, Difficulty: domain.DifficultyMedium,
		HiddenPains: []string{
			"Paid duplicate carrier charges last quarter",
			"Auditors flagged late adjustments",
			"The CFO wants weekly cash forecasts the team cannot produce",
		},
	},
}

func loadScripted(t *testing.T, file string) scripted {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	require.NoError(t, err)
	defer f.Close()

	s := scripted{name: strings.TrimSuffix(file, ".txt")}
	timing, repWPM := "none", 0
	var at int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if h, ok := strings.CutPrefix(line, "#"); ok {
			key, val, ok := strings.Cut(strings.TrimSpace(h), ":")
			if !ok {
				continue
			}
			val = strings.TrimSpace(val)
			switch key {
			case "mode":
				s.mode, err = domain.ParseMode(val)
				require.NoError(t, err)
			case "expect":
				s.expect = val
			case "persona":
				s.persona = testPersonas[val]
				require.NotNil(t, s.persona, "unknown persona %q", val)
			case "timing":
				fields := strings.Fields(val)
				timing = fields[0]
				if timing == "auto" {
					repWPM, err = strconv.Atoi(fields[1])
					require.NoError(t, err)
				}
			}
			continue
		}
		var ts int64
		if timing == "explicit" {
			stamp, rest, ok := strings.Cut(strings.TrimPrefix(line, "["), "] ")
			require.True(t, ok, "line without timestamp: %q", line)
			mm, ss, _ := strings.Cut(stamp, ":")
			m, err1 := strconv.Atoi(mm)
			sec, err2 := strconv.Atoi(ss)
			require.NoError(t, err1)
			require.NoError(t, err2)
			ts, line = int64(m*60+sec)*1000, rest
		}
		who, text, ok := strings.Cut(line, ": ")
		require.True(t, ok, "line without speaker: %q", line)
		role := domain.RoleUser
		wpm := repWPM
		switch who {
		case "REP":
		case "PROSPECT":
			role, wpm = domain.RoleAssistant, 160
		default:
			t.Fatalf("unknown speaker %q", who)
		}
		if timing == "auto" {
			ts = at
			at += int64(len(strings.Fields(text)))*60_000/int64(wpm) + 800
		}
		s.turns = append(s.turns, domain.TranscriptEntry{Role: role, Content: text, TimestampMs: ts})
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, s.turns)
	require.NotEmpty(t, s.mode)
	return s
}

func loadAllScripted(t *testing.T) []scripted {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	require.NoError(t, err)
	require.Len(t, files, 9, "three scripted calls (strong, average, weak) per mode")
	out := make([]scripted, 0, len(files))
	for _, f := range files {
		out = append(out, loadScripted(t, filepath.Base(f)))
	}
	return out
}
