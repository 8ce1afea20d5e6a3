package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/prospect"
)

// easyPreset is the first easy preset persona: the one the rep picks.
func easyPreset(t *testing.T) personas.Preset {
	t.Helper()
	for _, p := range personas.Presets() {
		if p.Profile.Difficulty == domain.DifficultyEasy {
			return p
		}
	}
	t.Fatal("no easy preset persona")
	return personas.Preset{}
}

// signInAndOnboard goes through the sign-in and onboarding pages.
func (b *browser) signInAndOnboard(email, name string, check bool) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.base + "/"))
	b.waitReady("/")
	b.find("heading", "Practise sales calls with AI prospects", false)
	if check {
		b.checkpoint("signin")
	}
	b.fill("Email", email)
	b.fill("Your name", name)
	b.press("button", "Sign in")

	b.waitReady("/onboarding")
	tz := b.find("combobox", "Time zone", false) // a text box with a list of suggestions
	var zone string
	b.eval(fmt.Sprintf(`document.querySelector(%q).value`, tz), &zone)
	assert.NotEmpty(b.t, zone, "the time zone is prefilled from the browser")
	b.choose("Your role", "Account", "ae")
	if check {
		b.checkpoint("onboarding")
	}
	b.press("button", "Continue")
	b.waitReady("/")
}

// TestBrowserPracticeFlow is a new rep's first session: sign in, onboard,
// pick a persona, hold a text call of at least six turns with the built-in
// prospect (lines arrive by SSE), end it, read the quick score and then the
// deep analysis, find the call in history, and see a streak of one day.
func TestBrowserPracticeFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	t.Parallel()
	if chromiumPath() == "" {
		t.Skip("browser tests skipped: no Chromium found (Debian/Ubuntu: apt-get install chromium); .ci/run installs it")
	}
	srv := startServer(t, nil)
	b := newBrowser(t, srv.url)
	persona := easyPreset(t)

	b.signInAndOnboard("ada@example.com", "Ada Lovelace", true)

	// Dashboard, empty: the way to a first call.
	b.find("heading", "No calls yet", false)
	b.checkpoint("dashboard-empty")
	b.press("link", "Start your first call")

	// Practice setup: mode, filters, persona, detail.
	b.waitReady("/practice")
	b.press("radio", "Discovery")
	b.choose("Difficulty", "easy", "easy")
	b.pressPrefix("link", persona.Profile.Name+" ")
	b.find("heading", persona.Profile.Name, false)
	b.find("heading", "Backstory", false)
	var detail string
	b.eval(`document.querySelector("aside").innerText`, &detail)
	for _, pain := range persona.Profile.HiddenPains {
		assert.NotContains(t, detail, pain, "hidden pains stay hidden before the call")
	}
	b.checkpoint("practice")
	b.press("checkbox", "Coach me during the call (live hints)")
	b.press("button", "Start text call")

	// The call: type like a person; every line arrives through the stream.
	b.waitFor("the call page", `/^\/calls\/[0-9a-f-]{36}$/.test(location.pathname)`, 15*time.Second)
	var path string
	b.eval(`location.pathname`, &path)
	callID := strings.TrimPrefix(path, "/calls/")
	b.find("textbox", "What you say", false)

	// A shadow of the server's built-in prospect (same persona, mode and
	// seed) tells the test what the prospect will answer; a scripted good
	// rep decides what to type.
	shadow := prospect.New(persona.Profile, domain.ModeDiscovery, app.ProspectSeed(callID))
	rep, err := prospect.NewRep(string(prospect.RepGood), 7)
	require.NoError(t, err)
	history := []domain.TranscriptEntry{{Role: domain.RoleAssistant, Content: shadow.Opening()}}
	turns, ended := 0, false
	for turns < 12 && !ended {
		line := rep.Next(history, shadow.State())
		reply := shadow.Respond(line)
		history = append(history, domain.TranscriptEntry{Role: domain.RoleUser, Content: line},
			domain.TranscriptEntry{Role: domain.RoleAssistant, Content: reply.Text})
		turns++
		b.fill("What you say", line)
		b.run(chromedp.KeyEvent(kb.Enter))
		want := len(history)
		b.waitFor(fmt.Sprintf("turn %d's reply on the stream", turns), fmt.Sprintf(
			`(() => { const ls = [...document.querySelectorAll(".transcript .line p")].map(p => p.textContent);
			  return ls.length === %d && ls[ls.length-1] === %q })()`, want, strings.TrimSpace(reply.Text)), 20*time.Second)
		ended = reply.Ended
		if turns == 3 {
			var patience string
			b.eval(`document.querySelector("#g-patience").value + ""`, &patience)
			assert.NotEqual(t, "0", patience, "the patience gauge shows the prospect's state")
			b.checkpoint("call")
		}
		if turns >= 6 && !ended {
			break
		}
	}
	require.GreaterOrEqual(t, turns, 6, "the prospect stayed on the line for six turns")
	b.find("region", "Coaching hints", false) // asked for at the start: the coach panel is there
	var ids []string
	b.eval(`[...document.querySelectorAll(".transcript .line")].map(l => l.id)`, &ids)
	assert.Len(t, ids, len(history), "every line once, none twice")

	if !ended {
		b.press("button", "End call")
	}

	// Debrief: the quick score at once, the deep analysis when it arrives.
	b.waitReady("/calls/" + callID + "/debrief")
	require.NotEmpty(t, b.text(`[data-testid="overall"]`), "the quick score shows at once")
	b.find("heading", "Categories", false) // the deep analysis, pushed by score:ready
	b.find("heading", "Metrics", false)
	b.find("heading", "Hidden pains", false)
	if sel, err := b.tryFind("button", "Show in transcript at ", true); err == nil {
		_ = sel
		b.pressPrefix("button", "Show in transcript at ")
		b.waitFor("the key moment's line to be highlighted and focused", `document.activeElement?.classList.contains("hl")`, 5*time.Second)
	}
	b.checkpoint("debrief")

	// History: the call, newest first, linking to its debrief.
	b.follow("History", "/history")
	b.checkpoint("history")
	b.pressPrefix("link", "Discovery with "+persona.Profile.Name)
	b.waitReady("/calls/" + callID + "/debrief")
	// It opens at the score, not scrolled to the transcript's end (it did,
	// through the live call's follow-the-newest-line scrolling).
	time.Sleep(300 * time.Millisecond) // the transcript's effects have run
	var scroll []float64               // scrollY, how far the page could scroll
	b.eval(`[window.scrollY, document.documentElement.scrollHeight - window.innerHeight]`, &scroll)
	require.Greater(t, scroll[1], 200.0, "the debrief is taller than the window (else this proves nothing)")
	assert.Zero(t, scroll[0], "the debrief opens at its top, with the score in view")

	// Dashboard: a streak of one day.
	b.follow("Dashboard", "/")
	assert.Equal(t, "1", b.text(`[data-testid="current-streak"]`))
	suggest := b.text(`.suggest p`) // "... A cold call works on it most." / "An objection gauntlet ..."
	assert.Contains(t, suggest, " works on it most.")
	assert.NotRegexp(t, `\bA [aeiou]`, suggest)
	assert.NotRegexp(t, `\bAn [^aeiou]`, suggest)
	t.Logf("dashboard suggestion: %s", suggest)
	b.find("heading", "Scores over time", false)
	b.checkpoint("dashboard")
}
