package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
	"github.com/sparrow-coach/sparrow/integrations/gemini/geminifake"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat/openaifake"
	"github.com/sparrow-coach/sparrow/internal/historygen"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
	"github.com/sparrow-coach/sparrow/projections"
)

// sparrow runs the command line in-process with the given environment.
func sparrow(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = run(ctx, args, &out, &errOut, func(k string) string { return vars[k] })
	return out.String(), errOut.String(), err
}

func exitCode(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	if err != nil {
		return 1
	}
	return 0
}

// The analyst and operator commands against a database holding real histories.
func TestOperatorAndAnalystCommands(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"DATABASE_URL": pgtest.NewURL(t), "SPARROW_DATA_DIR": t.TempDir()}
	out, _, err := sparrow(t, vars, "migrate")
	require.NoError(t, err)
	files, err := fs.Glob(os.DirFS("../../migrations"), "*.sql")
	require.NoError(t, err)
	latest := len(files) // numbered 1..n
	assert.Contains(t, out, fmt.Sprintf("schema at version %d of %d", latest, latest), "every migration applied")

	// Seed a history through the store, as the server would have.
	d, err := openDatabase(context.Background(), Config{DatabaseURL: vars["DATABASE_URL"]}, &bytes.Buffer{}, 4)
	require.NoError(t, err)
	h := historygen.Generate(historygen.Config{Seed: 3, Users: 2, CallsPerUser: 2, ChunksPerCall: 4})
	n, err := appendHistory(context.Background(), d.store, h, 2)
	require.NoError(t, err)
	var call string
	for _, a := range h {
		if _, ok := a.Events[0].(*domain.CallCreated); ok {
			call = a.StreamID
			break
		}
	}
	d.Close()

	// export: every event once, as NDJSON, in log order; filters narrow it.
	var lines []map[string]any
	require.Eventually(t, func() bool {
		out, _, err = sparrow(t, vars, "events", "export")
		require.NoError(t, err)
		lines = nil
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var l map[string]any
			require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
			lines = append(lines, l)
		}
		return len(lines) == n
	}, 20*time.Second, 50*time.Millisecond, "every event is exported once the horizon passes it")
	for i := 1; i < len(lines); i++ { // the export is in log order
		prev, err := eventstore.ParsePosition(lines[i-1]["position"].(string))
		require.NoError(t, err)
		cur, err := eventstore.ParsePosition(lines[i]["position"].(string))
		require.NoError(t, err)
		require.True(t, prev.Less(cur), "positions increase: %s then %s", prev, cur)
	}
	out, _, err = sparrow(t, vars, "events", "export", "--type", "CallEnded")
	require.NoError(t, err)
	assert.Equal(t, 4, strings.Count(out, "\n"))
	out, _, err = sparrow(t, vars, "events", "export", "--stream", call)
	require.NoError(t, err)
	assert.Equal(t, 9, strings.Count(out, "\n"), "created, started, 4 chunks, ended, quick and deep scored")
	out, _, err = sparrow(t, vars, "events", "export", "--since-position", lines[n-3]["position"].(string))
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(out, "\n"))
	_, _, err = sparrow(t, vars, "events", "export", "--type", "Nope")
	assert.Equal(t, 2, exitCode(err))
	_, _, err = sparrow(t, vars, "events", "export", "--since-position", "banana")
	assert.Equal(t, 2, exitCode(err))

	// replay: the timeline and the state as of a version.
	out, _, err = sparrow(t, vars, "replay", "--call", call)
	require.NoError(t, err)
	assert.Contains(t, out, "CallCreated")
	assert.Contains(t, out, "CallDeepScored")
	assert.Contains(t, out, `"status": "completed"`)
	out, _, err = sparrow(t, vars, "replay", "--call", call, "--as-of-version", "2", "--json")
	require.NoError(t, err)
	var rep struct {
		Timeline []map[string]any `json:"timeline"`
		State    map[string]any   `json:"state"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Len(t, rep.Timeline, 2)
	assert.Equal(t, "in_progress", rep.State["status"])
	_, _, err = sparrow(t, vars, "replay", "--call", uuid.NewString())
	assert.Equal(t, 1, exitCode(err), "an unknown call")
	_, _, err = sparrow(t, vars, "replay", "--call", "not-a-uuid")
	assert.Equal(t, 2, exitCode(err))

	// projections: verify brings the (absent) live consumers up and compares; rebuild swaps; status shows no lag.
	out, _, err = sparrow(t, vars, "projections", "verify")
	require.NoError(t, err, out)
	assert.Contains(t, out, "match a fresh rebuild of")
	_, errOut, err := sparrow(t, vars, "projections", "rebuild", "--only", "user_stats,calls")
	require.NoError(t, err)
	assert.Contains(t, errOut, "swapped in user_stats, calls")
	out, _, err = sparrow(t, vars, "projections", "status")
	require.NoError(t, err)
	// Every projector the server runs has a row (startServer checks the
	// server runs exactly projections.All()), the scoring jobs included.
	var rows []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		rows = append(rows, strings.Fields(l)[0])
	}
	assert.Equal(t, projections.Names(), rows)
	assert.Contains(t, rows, "scoring_jobs")
	out, _, err = sparrow(t, vars, "projections", "status", "--only", "scoring_jobs")
	require.NoError(t, err)
	assert.Contains(t, out, "scoring_jobs")
	_, _, err = sparrow(t, vars, "projections", "rebuild", "--only", "nope")
	assert.Equal(t, 2, exitCode(err))

	// quarantine: nothing is quarantined; resolving a stream that is not is an error.
	out, _, err = sparrow(t, vars, "projections", "quarantine", "list")
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(out, "\n"), "the header only: %s", out)
	assert.Contains(t, out, "PROJECTOR")
	_, _, err = sparrow(t, vars, "projections", "quarantine", "retry", call)
	assert.Equal(t, 1, exitCode(err))
	_, _, err = sparrow(t, vars, "projections", "quarantine", "skip")
	assert.Equal(t, 2, exitCode(err))
	_, _, err = sparrow(t, vars, "projections", "quarantine", "skip", call, "--only", "nope")
	assert.Equal(t, 2, exitCode(err))

	// rescore appends a new deep score per completed call and keeps the old ones.
	out, _, err = sparrow(t, vars, "rescore", "--call", call)
	require.NoError(t, err)
	assert.Contains(t, out, "rescored 1 calls")
	require.Eventually(t, func() bool {
		out, _, err = sparrow(t, vars, "events", "export", "--stream", call, "--type", "CallDeepScored")
		require.NoError(t, err)
		return strings.Count(out, "\n") == 2
	}, 20*time.Second, 50*time.Millisecond, "the new score is exported once the horizon (cluster-wide) passes it: %s", out)
	_, _, err = sparrow(t, vars, "rescore", "--call", call, "--provider", "gemini")
	assert.Equal(t, 2, exitCode(err), "gemini is not configured")
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"nope"}, {"replay"}, {"rescore"}, {"simulate", "--rep", "good"}, {"token"}, {"projections"}, {"db", "dance"},
		{"bench", "--only", "lag", "--lag-rate", "0"}} {
		_, _, err := sparrow(t, map[string]string{}, args...)
		assert.Equal(t, 2, exitCode(err), "%v", args)
	}
	out, _, err := sparrow(t, nil, "help")
	require.NoError(t, err)
	assert.Contains(t, out, "projections rebuild")
}

func TestSimulateAndToken(t *testing.T) {
	t.Parallel()
	out, _, err := sparrow(t, nil, "simulate", "--rep", "bad", "--mode", "cold_call", "--runs", "3")
	require.NoError(t, err)
	assert.Contains(t, out, "meetings booked: 0 of 45")
	out, _, err = sparrow(t, nil, "simulate", "--table", "--mode", "discovery", "--runs", "4")
	require.NoError(t, err, out)
	assert.Contains(t, out, "NATURAL REP MEETINGS")
	assert.Regexp(t, `discovery\s+easy\s+\d+ of 20 \(\d+%\)\s+>= 50%\s+0 of 40`, out)
	assert.Contains(t, out, "targets: all met")
	vars := map[string]string{"SPARROW_DATA_DIR": t.TempDir()}
	tok, _, err := sparrow(t, vars, "token", "--email", "ada@example.com")
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(strings.TrimSpace(tok), "."), "a JWT")
	vars["NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"] = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"
	_, _, err = sparrow(t, vars, "token", "--email", "ada@example.com")
	assert.Equal(t, 2, exitCode(err), "no local tokens when Clerk is configured")
}

// doctor against fake services: configured ones are checked for real.
func TestDoctorChecksEachConfiguredProvider(t *testing.T) {
	t.Parallel()
	gem := geminifake.New()
	defer gem.Close()
	gem.SetDefault(geminifake.JSON("gemini-test", map[string]any{"score": 61, "summary": "Fine opener."}))
	groq := openaifake.New()
	defer groq.Close()
	groq.SetDefault(openaifake.Reply("llama-test", `{"score": 58, "summary": "Short call."}`))
	el := elevenlabsfake.New()
	defer el.Close()
	el.AddAgent("agent-1")
	vars := map[string]string{
		"GEMINI_API_KEY": "k", "GOOGLE_GEMINI_BASE_URL": gem.URL, "GROQ_API_KEY": "g", "GROQ_BASE_URL": groq.URL,
		"ELEVENLABS_API_KEY": "e", "ELEVENLABS_BASE_URL": el.URL, "NEXT_PUBLIC_ELEVENLABS_AGENT_ID": "agent-1",
	}
	out, _, err := sparrow(t, vars, "doctor", "--skip-db")
	require.NoError(t, err, out)
	assert.Regexp(t, `gemini\s+ok\s+model gemini-test answered a quick score \(61\)`, out)
	assert.Regexp(t, `openai-compatible\s+ok`, out)
	assert.Regexp(t, `elevenlabs\s+ok\s+signed URL issued for agent agent-1`, out)

	groq.SetDefault(openaifake.Response{Status: 500, Body: `{"error":{"message":"down"}}`})
	out, _, err = sparrow(t, vars, "doctor", "--skip-db")
	assert.Equal(t, 1, exitCode(err))
	assert.Regexp(t, `openai-compatible\s+FAILED`, out)
}

// sparrow import scores a call held elsewhere, and says which line of a bad file is wrong.
func TestImportCommand(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"DATABASE_URL": pgtest.NewURL(t), "SPARROW_DATA_DIR": t.TempDir()}
	out, _, err := sparrow(t, vars, "import", "--file", "../../domain/transcriptfile/testdata/discovery.vtt",
		"--email", "ada@example.com", "--rep", "Sam Rivera", "--mode", "discovery")
	require.NoError(t, err)
	assert.Contains(t, out, "6 lines (vtt), speakers Sam Rivera, Dana Cole")
	assert.Contains(t, out, "quick score: ")
	assert.Contains(t, out, "deep score: ")
	assert.Contains(t, out, "builtin")

	bad := t.TempDir() + "/bad.srt"
	require.NoError(t, os.WriteFile(bad, []byte("1\n00:00:00,000 --> 00:00:01,000\nRep: hi\n\nnot a cue\n"), 0o600))
	_, _, err = sparrow(t, vars, "import", "--file", bad, "--email", "ada@example.com", "--rep", "Rep", "--mode", "cold_call")
	assert.Equal(t, 2, exitCode(err))
	assert.ErrorContains(t, err, "line 5")

	_, _, err = sparrow(t, vars, "import", "--file", bad, "--mode", "cold_call")
	assert.Equal(t, 2, exitCode(err), "a user is required")
}

// The server's collector target applies unless GOGC is set, and is undone
// when the server returns (tests run servers in this process).
func TestServerGCUnlessGOGCIsSet(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	restore := serverGC(func(string) string { return "" })
	assert.Equal(t, serverGCPercent, debug.SetGCPercent(serverGCPercent))
	restore()
	assert.Equal(t, 100, debug.SetGCPercent(100))

	restore = serverGC(func(k string) string { return map[string]string{"GOGC": "50"}[k] })
	assert.Equal(t, 100, debug.SetGCPercent(100), "GOGC set: left to the runtime")
	restore()
}
