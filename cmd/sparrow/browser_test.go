package main

// Browser tests: the web app in a real Chromium (Debian's chromium, driven by
// chromedp over the DevTools protocol) against the whole server as `sparrow
// serve` wires it, on a fresh database. Elements are found the way a person
// or a screen reader finds them: by role and accessible name (Chromium's own
// accessibility tree), and they are operated with the keyboard. axe-core
// (vendored in web/testdata) checks every page at 375 and 1440 pixels wide;
// with SPARROW_SCREENSHOTS=1 each page is also saved under docs/screenshots.

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"
)

//go:embed testdata/axe.min.js
var axeSource string

// browser is one Chromium tab on the app.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu         sync.Mutex
	exceptions []string
	ref        int
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	exe := chromiumPath()
	if exe == "" {
		t.Skip("browser tests skipped: no Chromium found (Debian/Ubuntu: apt-get install chromium); .ci/run installs it")
	}
	// Not t.TempDir: Chromium's helper processes may still write to the profile for a moment after the browser
	// exits, and TempDir's cleanup fails the test when the directory is not empty yet.
	profile, err := os.MkdirTemp("", "sparrow-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1440, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		// Voice: a fake microphone, allowed without asking, and audio that may play.
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, base: base}
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			b.mu.Lock()
			b.exceptions = append(b.exceptions, e.ExceptionDetails.Text+" "+describe(e.ExceptionDetails.Exception))
			b.mu.Unlock()
		}
	})
	b.run(runtime.Enable())
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if len(b.exceptions) > 0 {
			t.Errorf("uncaught exceptions in the page:\n%s", strings.Join(b.exceptions, "\n"))
		}
	})
	return b
}

func describe(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	return o.Description
}

func (b *browser) run(actions ...chromedp.Action) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Run(b.ctx, actions...))
}

// eval evaluates a JavaScript expression (awaiting a promise) into out.
func (b *browser) eval(js string, out any) {
	b.t.Helper()
	b.run(chromedp.Evaluate(js, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
}

// waitFor polls a JavaScript condition until it is true.
func (b *browser) waitFor(what, js string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var ok bool
		b.eval("!!("+js+")", &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var body string
			b.eval("document.querySelector('main')?.innerText ?? document.body.innerText", &body)
			b.t.Fatalf("timed out waiting for %s (%s); the page says:\n%s", what, js, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitReady waits until the app has rendered the page at path with its data.
func (b *browser) waitReady(path string) {
	b.t.Helper()
	b.waitFor("page "+path+" to be ready", fmt.Sprintf("document.documentElement.dataset.ready === %q", path), 20*time.Second)
}

// follow presses a link and waits for the page at path.
func (b *browser) follow(name, path string) {
	b.t.Helper()
	b.press("link", name)
	b.waitReady(path)
}

// find returns a CSS selector for the first element with this role whose
// accessible name is name (or starts with name when prefix is set), waiting
// for it to appear.
func (b *browser) find(role, name string, prefix bool) string {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		sel, err := b.tryFind(role, name, prefix)
		if err == nil {
			return sel
		}
		if time.Now().After(deadline) {
			var body string
			b.eval("document.body.innerText", &body)
			b.t.Fatalf("no %s named %q: %v; the page says:\n%s", role, name, err, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var errNoElement = errors.New("not on the page")

func (b *browser) tryFind(role, name string, prefix bool) (string, error) {
	b.ref++
	ref := fmt.Sprintf("t%d", b.ref)
	err := chromedp.Run(b.ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		// The root by object id: DOM.getDocument would reset the node ids
		// chromedp tracks.
		doc, exc, err := runtime.Evaluate("document.body").Do(ctx)
		if err != nil {
			return err
		}
		if exc != nil {
			return errors.New(exc.Text)
		}
		q := accessibility.QueryAXTree().WithObjectID(doc.ObjectID).WithRole(role)
		if !prefix {
			q = q.WithAccessibleName(name)
		}
		nodes, err := q.Do(ctx)
		if err != nil {
			return err
		}
		for _, n := range nodes {
			if n.Ignored || n.BackendDOMNodeID == 0 || n.Name == nil {
				continue
			}
			var got string
			_ = json.Unmarshal([]byte(n.Name.Value), &got)
			if got != name && !(prefix && strings.HasPrefix(got, name)) {
				continue
			}
			obj, err := dom.ResolveNode().WithBackendNodeID(n.BackendDOMNodeID).Do(ctx)
			if err != nil {
				return err
			}
			_, exc, err := runtime.CallFunctionOn(fmt.Sprintf(`function() { this.setAttribute("data-testref", %q) }`, ref)).
				WithObjectID(obj.ObjectID).Do(ctx)
			if err != nil {
				return err
			}
			if exc != nil {
				return errors.New(exc.Text)
			}
			return nil
		}
		return errNoElement
	}))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`[data-testref=%q]`, ref), nil
}

// press activates a control with the keyboard: focus, then Enter (Space for
// radio buttons and check boxes).
func (b *browser) press(role, name string) {
	b.t.Helper()
	sel := b.find(role, name, false)
	key := kb.Enter
	if role == "radio" || role == "checkbox" {
		key = " "
	}
	b.run(chromedp.Focus(sel, chromedp.ByQuery), chromedp.KeyEvent(key))
}

// pressPrefix is press for a control whose name starts with name.
func (b *browser) pressPrefix(role, name string) {
	b.t.Helper()
	sel := b.find(role, name, true)
	b.run(chromedp.Focus(sel, chromedp.ByQuery), chromedp.KeyEvent(kb.Enter))
}

// fill types text into the text box labelled label.
func (b *browser) fill(label, text string) {
	b.t.Helper()
	sel := b.find("textbox", label, false)
	b.run(chromedp.Focus(sel, chromedp.ByQuery), chromedp.SendKeys(sel, text, chromedp.ByQuery))
}

// choose selects an option of the drop-down labelled label by typing the
// start of its text, as a keyboard user does, and checks its value.
func (b *browser) choose(label, typed, value string) {
	b.t.Helper()
	sel := b.find("combobox", label, false)
	b.run(chromedp.Focus(sel, chromedp.ByQuery), chromedp.SendKeys(sel, typed, chromedp.ByQuery))
	b.waitFor(label+" = "+value, fmt.Sprintf(`document.querySelector(%q).value === %q`, sel, value), 5*time.Second)
}

// text is the text of the first element matching a CSS selector.
func (b *browser) text(css string) string {
	b.t.Helper()
	var s string
	b.eval(fmt.Sprintf(`document.querySelector(%q)?.textContent ?? ""`, css), &s)
	return s
}

// checkpoint checks the page with axe-core at both widths and, with
// SPARROW_SCREENSHOTS=1, saves a screenshot at each.
func (b *browser) checkpoint(name string) {
	b.t.Helper()
	for _, w := range []int64{375, 1440} {
		b.run(emulation.SetDeviceMetricsOverride(w, 900, 1, w < 600))
		time.Sleep(150 * time.Millisecond) // layout and transitions
		b.axe(fmt.Sprintf("%s at %d px", name, w))
		if os.Getenv("SPARROW_SCREENSHOTS") == "1" {
			var png []byte
			b.run(chromedp.FullScreenshot(&png, 100)) // quality 100: PNG
			dir := filepath.Join("..", "..", "docs", "screenshots")
			require.NoError(b.t, os.MkdirAll(dir, 0o755))
			require.NoError(b.t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), png, 0o644))
		}
	}
	b.run(emulation.ClearDeviceMetricsOverride())
}

// axe runs axe-core on the page and fails on serious or critical violations.
func (b *browser) axe(where string) {
	b.t.Helper()
	var loaded bool
	b.eval(`typeof window.axe === "object"`, &loaded)
	if !loaded {
		var ignored any
		b.eval(axeSource+";true", &ignored)
	}
	var violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	}
	b.eval(`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical"))`, &violations)
	for _, v := range violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		b.t.Errorf("axe on %s: %s (%s): %s at %s", where, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
	}
}

// navigateTo loads a URL in the tab (a fresh page load).
func navigateTo(url string) chromedp.Action { return chromedp.Navigate(url) }

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
