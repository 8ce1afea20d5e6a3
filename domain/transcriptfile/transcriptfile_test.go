package transcriptfile_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/transcriptfile"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

func TestParseVTT(t *testing.T) {
	lines, f, err := transcriptfile.Parse(read(t, "discovery.vtt"), transcriptfile.FormatAuto)
	require.NoError(t, err)
	assert.Equal(t, transcriptfile.FormatVTT, f)
	require.Len(t, lines, 6)
	assert.Equal(t, []string{"Sam Rivera", "Dana Cole"}, transcriptfile.Speakers(lines))
	assert.Equal(t, "How do you plan driver schedules today, and what happens when a driver calls in sick?", lines[2].Text)
	assert.Equal(t, "Mostly spreadsheets. When someone's out we lose about three hours re-routing & calling customers.", lines[3].Text)
	assert.Equal(t, int64(11_400), lines[3].StartMs)
	assert.True(t, lines[3].Timed)

	entries, err := transcriptfile.Entries(lines, " sam rivera ")
	require.NoError(t, err)
	require.Len(t, entries, 6)
	assert.Equal(t, domain.RoleUser, entries[0].Role)
	assert.Equal(t, domain.RoleAssistant, entries[1].Role)
	assert.Equal(t, int64(20_200), entries[4].TimestampMs)
	for _, e := range entries {
		require.NoError(t, e.Validate())
	}
}

func TestParseSRT(t *testing.T) {
	lines, f, err := transcriptfile.Parse(read(t, "cold_call.srt"), transcriptfile.FormatAuto)
	require.NoError(t, err)
	assert.Equal(t, transcriptfile.FormatSRT, f)
	require.Len(t, lines, 5)
	assert.Equal(t, "We help finance teams close the month two days faster. Can I ask how long your close takes today?", lines[2].Text)
	entries, err := transcriptfile.Entries(lines, "Rep")
	require.NoError(t, err)
	assert.Equal(t, []domain.Role{domain.RoleUser, domain.RoleAssistant, domain.RoleUser, domain.RoleAssistant, domain.RoleUser},
		[]domain.Role{entries[0].Role, entries[1].Role, entries[2].Role, entries[3].Role, entries[4].Role})
	assert.Equal(t, int64(14_400), entries[4].TimestampMs)
}

func TestParsePlainAndJSON(t *testing.T) {
	plain := "Rep: Hi, this is Sam.\nProspect: Who?\n[00:00:05] Rep: Sam, from Routewise.\nWe route trucks.\n\nProspect: 10:30 works for me.\n"
	lines, f, err := transcriptfile.Parse([]byte(plain), transcriptfile.FormatAuto)
	require.NoError(t, err)
	assert.Equal(t, transcriptfile.FormatPlain, f)
	require.Len(t, lines, 4)
	assert.Equal(t, "Sam, from Routewise. We route trucks.", lines[2].Text)
	assert.Equal(t, int64(5000), lines[2].StartMs)
	assert.Equal(t, "10:30 works for me.", lines[3].Text, "a time in the text is not a speaker")

	entries, err := transcriptfile.Entries(lines, "rep")
	require.NoError(t, err)
	for i := 1; i < len(entries); i++ {
		assert.GreaterOrEqual(t, entries[i].TimestampMs, entries[i-1].TimestampMs, "untimed turns are paced, never backwards")
	}
	assert.Greater(t, entries[1].TimestampMs, int64(0))

	js := `{"entries":[{"role":"user","content":"Hi","timestampMs":0},{"role":"assistant","content":"Hello","timestampMs":900}]}`
	lines, f, err = transcriptfile.Parse([]byte(js), transcriptfile.FormatAuto)
	require.NoError(t, err)
	assert.Equal(t, transcriptfile.FormatJSON, f)
	entries, err = transcriptfile.Entries(lines, "user")
	require.NoError(t, err)
	assert.Equal(t, []domain.TranscriptEntry{{Role: "user", Content: "Hi"}, {Role: "assistant", Content: "Hello", TimestampMs: 900}}, entries)
}

func TestBadFilesNameTheLine(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		format transcriptfile.Format
		line   int
		issue  string
	}{
		{"empty", "  \n\n", transcriptfile.FormatAuto, 0, "empty"},
		{"no speaker on the first line", "hello there\nRep: hi", transcriptfile.FormatPlain, 1, `expected "Speaker: text"`},
		{"speaker says nothing", "Rep: hi\nProspect:   \n", transcriptfile.FormatPlain, 2, "says nothing"},
		{"nul", "Rep: hi\nProspect: a\x00b\n", transcriptfile.FormatPlain, 2, "NUL"},
		{"invalid utf-8", "Rep: hi\nRep: ok\nProspect: \xff\xfe\n", transcriptfile.FormatPlain, 3, "UTF-8"},
		{"vtt without header", "00:00:00.000 --> 00:00:01.000\nRep: hi\n", transcriptfile.FormatVTT, 1, "WEBVTT"},
		{"vtt bad timing", "WEBVTT\n\n00:00:0x.000 --> 00:00:01.000\nRep: hi\n", transcriptfile.FormatVTT, 3, "timing line"},
		{"vtt cue without speaker", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nhello\n", transcriptfile.FormatVTT, 3, "names no speaker"},
		{"srt bad index", "1\n00:00:00,000 --> 00:00:01,000\nRep: hi\n\nabc\n", transcriptfile.FormatSRT, 5, "cue number"},
		{"srt ends before it starts", "1\n00:00:05,000 --> 00:00:01,000\nRep: hi\n", transcriptfile.FormatSRT, 2, "ends before"},
		{"json syntax", "{\"entries\": [\n{\"role\": \"user\",\n\"content\": }]}", transcriptfile.FormatJSON, 3, "not valid JSON"},
		{"json bad role", `[{"role":"rep","content":"hi"}]`, transcriptfile.FormatJSON, 0, "entries[0].role"},
		{"json unknown field", `{"entries":[],"extra":1}`, transcriptfile.FormatJSON, 0, "extra"},
		{"no turns", "WEBVTT\n\nNOTE nothing\n", transcriptfile.FormatVTT, 0, "no turn found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := transcriptfile.Parse([]byte(tt.data), tt.format)
			require.Error(t, err)
			assert.ErrorIs(t, err, domain.ErrInvalid)
			var pe *transcriptfile.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.line, pe.Line, pe.Error())
			assert.Contains(t, pe.Issue, tt.issue)
		})
	}
}

func TestLimits(t *testing.T) {
	big := strings.Repeat("Rep: hello there\n", transcriptfile.MaxBytes/17+1)
	_, _, err := transcriptfile.Parse([]byte(big), transcriptfile.FormatPlain)
	assert.ErrorContains(t, err, "the limit is")
	_, _, err = transcriptfile.Parse([]byte("Rep: hi"), "docx")
	assert.ErrorIs(t, err, transcriptfile.ErrUnknownFormat)
}

func TestEntriesNeedTheRepAndSomeoneElse(t *testing.T) {
	lines, _, err := transcriptfile.Parse([]byte("Rep: hi\nRep: anyone?"), transcriptfile.FormatPlain)
	require.NoError(t, err)
	_, err = transcriptfile.Entries(lines, "Prospect")
	var fe *domain.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "repSpeaker", fe.Field)
	_, err = transcriptfile.Entries(lines, "rep")
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "file", fe.Field)
}

func TestLongTurnsAreSplit(t *testing.T) {
	long := strings.Repeat("word ", domain.MaxTranscriptContent/5+100)
	lines, _, err := transcriptfile.Parse([]byte("Rep: "+long+"\nProspect: ok"), transcriptfile.FormatPlain)
	require.NoError(t, err)
	entries, err := transcriptfile.Entries(lines, "Rep")
	require.NoError(t, err)
	require.Len(t, entries, 3)
	for _, e := range entries {
		require.NoError(t, e.Validate())
	}
	assert.Greater(t, entries[1].TimestampMs, entries[0].TimestampMs)
}

// FuzzParse: any input either parses into entries that validate, or fails with a ParseError or a FieldError; it
// never panics.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"discovery.vtt", "cold_call.srt"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("Rep: hi\nProspect: hello\n[00:01] Rep: ok"))
	f.Add([]byte(`[{"role":"user","content":"hi"},{"role":"assistant","content":"yo","timestampMs":5}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, _, err := transcriptfile.Parse(data, transcriptfile.FormatAuto)
		if err != nil {
			var pe *transcriptfile.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a ParseError", err)
			}
			return
		}
		sp := transcriptfile.Speakers(lines)
		entries, err := transcriptfile.Entries(lines, sp[0])
		if err != nil {
			var fe *domain.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a FieldError", err)
			}
			return
		}
		for i, e := range entries {
			if err := e.Validate(); err != nil {
				t.Fatalf("entry %d: %v", i, err)
			}
			if i > 0 && e.TimestampMs < entries[i-1].TimestampMs {
				t.Fatalf("timestamps go backwards at %d", i)
			}
		}
	})
}
