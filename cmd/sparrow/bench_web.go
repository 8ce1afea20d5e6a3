package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sparrow-coach/sparrow/web"
)

// benchWeb measures the browser app: the gzipped size of what the first page
// loads (and of every asset, the voice chunk included), and the time from
// navigation start until the dashboard is interactive with its data (the app
// sets data-ready and data-ready-ms), in the system Chromium against the
// whole server on the scratch database.
func benchWeb(ctx context.Context, url string, o benchOpts, out map[string]any) error {
	initial, all, err := webBundleSizes()
	if err != nil {
		return err
	}
	out["web_bundle_kb_gzip"] = round2(float64(initial) / 1024)
	out["web_all_assets_kb_gzip"] = round2(float64(all) / 1024)

	exe := chromiumPath()
	if exe == "" {
		fmt.Fprintln(o.progress, "bench web: no Chromium (apt-get install chromium): time to interactive not measured")
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir, err := os.MkdirTemp("", "sparrow-bench-web")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	vars := map[string]string{"DATABASE_URL": url, "PORT": strconv.Itoa(port), "HOST": "127.0.0.1", "SPARROW_DATA_DIR": dir, "LOG_LEVEL": "error"}
	getenv := func(k string) string { return vars[k] }
	c, err := configFromEnv(getenv)
	if err != nil {
		return err
	}
	m := &Main{Config: c, Log: newLogger(c, io.Discard)}
	defer m.Close()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	if err := m.Open(runCtx, env{stdout: io.Discard, stderr: io.Discard, getenv: getenv}); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx) }()
	defer func() { stop(); <-done }()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/api/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(start) > 30*time.Second {
			return errors.New("the server did not answer /api/health within 30s")
		}
	}

	actx, cancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.UserDataDir(dir+"/chromium"), chromedp.WindowSize(1440, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 2*time.Minute)
	defer cancel()
	// Sign in and onboard through the API, as the sign-in page would.
	var ok bool
	signIn := `fetch("/api/dev/session", {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({email: "bench-web@example.com"})})
	  .then(() => fetch("/api/user/onboarding", {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({timezone: "UTC"})}))
	  .then(r => r.ok)`
	if err := chromedp.Run(bctx, chromedp.Navigate(base+"/signin"),
		chromedp.Evaluate(signIn, &ok, awaitPromise)); err != nil || !ok {
		return fmt.Errorf("sign in: %v (ok %v)", err, ok)
	}
	var times []float64
	for i := range 11 {
		var ms string
		if err := chromedp.Run(bctx, chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`html[data-ready="/"]`, chromedp.ByQuery),
			chromedp.AttributeValue("html", "data-ready-ms", &ms, nil, chromedp.ByQuery)); err != nil {
			return fmt.Errorf("load the dashboard: %w", err)
		}
		v, err := strconv.ParseFloat(ms, 64)
		if err != nil {
			return fmt.Errorf("data-ready-ms %q: %w", ms, err)
		}
		if i == 0 {
			out["web_time_to_interactive_cold_ms"] = round2(v)
			continue
		}
		times = append(times, v)
	}
	slices.Sort(times)
	out["web_time_to_interactive_ms"] = round2(times[len(times)/2])
	out["web_time_to_interactive_max_ms"] = round2(times[len(times)-1])
	return nil
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

var assetRef = regexp.MustCompile(`/assets/[A-Za-z0-9._-]+`)

// webBundleSizes returns the gzipped bytes of the assets index.html loads and
// of every asset.
func webBundleSizes() (initial, all int, err error) {
	dist, err := web.Dist()
	if err != nil {
		return 0, 0, err
	}
	index, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		return 0, 0, err
	}
	loaded := map[string]bool{}
	for _, ref := range assetRef.FindAllString(string(index), -1) {
		loaded[ref[1:]] = true
	}
	if len(loaded) == 0 {
		return 0, 0, errors.New("index.html loads no assets")
	}
	entries, err := fs.ReadDir(dist, "assets")
	if err != nil {
		return 0, 0, err
	}
	for _, e := range entries {
		b, err := fs.ReadFile(dist, "assets/"+e.Name())
		if err != nil {
			return 0, 0, err
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(b)
		_ = zw.Close()
		all += buf.Len()
		if loaded["assets/"+e.Name()] {
			initial += buf.Len()
		}
	}
	return initial, all, nil
}

// chromiumPath is the system Chromium, or "" when none is installed.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}
