// Package web is Sparrow's browser app: TypeScript sources under src/, built
// by esbuild into dist/, which is committed and embedded here so `go build`
// needs no Node.js. Handler serves it: hashed assets cached for a year,
// index.html never cached and served for every page route (the app routes in
// the browser), and security headers on every page.
//
// The app talks only to the public API (/api, same origin). It learns how the
// server is configured (local sign-in or Clerk, voice on or off) from a
// <meta name="sparrow-config"> tag Handler writes into index.html, so no
// inline script is needed and no extra request is made before the first paint.
package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Options are what the app must know about the server, and what the page
// security policy must allow.
type Options struct {
	// LocalSignIn: the server signs its own tokens (POST /api/dev/session).
	LocalSignIn bool
	// ClerkPublishableKey and ClerkFrontendAPI (a host such as
	// "clerk.example.com") turn on Clerk's sign-in: ClerkJS is loaded from
	// the Frontend API, which the CSP then allows.
	ClerkPublishableKey string
	ClerkFrontendAPI    string
	// Voice: POST /api/calls/start returns signed URLs (ElevenLabs is configured).
	Voice bool
	// VoiceOrigins are the WebSocket origins of voice conversations
	// ("wss://api.elevenlabs.io"), allowed by connect-src when Voice is set.
	VoiceOrigins []string
}

// Dist is the built app: index.html and assets/ (for the benchmark).
func Dist() (fs.FS, error) { return fs.Sub(dist, "dist") }

// config is the JSON the app reads from its meta tag.
type config struct {
	LocalSignIn         bool   `json:"localSignIn"`
	ClerkPublishableKey string `json:"clerkPublishableKey,omitempty"`
	ClerkFrontendAPI    string `json:"clerkFrontendApi,omitempty"`
	Voice               bool   `json:"voice"`
}

// Cache lifetimes.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheNone      = "no-cache"
)

// Handler serves the app. It fails when the embedded build is missing or
// an option is malformed.
func Handler(opts Options) (http.Handler, error) {
	index, err := fs.ReadFile(dist, "dist/index.html")
	if err != nil {
		return nil, fmt.Errorf("web: the built app is missing (run `make web`): %w", err)
	}
	cfg, err := json.Marshal(config{LocalSignIn: opts.LocalSignIn, ClerkPublishableKey: opts.ClerkPublishableKey,
		ClerkFrontendAPI: opts.ClerkFrontendAPI, Voice: opts.Voice})
	if err != nil {
		return nil, err
	}
	const placeholder = `<meta name="sparrow-config" content="{}">`
	if !bytes.Contains(index, []byte(placeholder)) {
		return nil, errors.New("web: dist/index.html has no sparrow-config meta tag")
	}
	index = bytes.Replace(index, []byte(placeholder),
		[]byte(`<meta name="sparrow-config" content="`+html.EscapeString(string(cfg))+`">`), 1)
	csp, err := policy(opts)
	if err != nil {
		return nil, err
	}
	assets, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	return &handler{index: index, csp: csp, assets: http.FileServerFS(assets), files: assets}, nil
}

type handler struct {
	index  []byte
	csp    string
	assets http.Handler
	files  fs.FS
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "same-origin")
	p := path.Clean("/" + r.URL.Path)
	if strings.HasPrefix(p, "/assets/") {
		if _, err := fs.Stat(h.files, strings.TrimPrefix(p, "/")); err != nil {
			http.NotFound(w, r)
			return
		}
		hdr.Set("Cache-Control", cacheImmutable)
		h.assets.ServeHTTP(w, r)
		return
	}
	if path.Ext(p) != "" && p != "/index.html" {
		// A file that does not exist (favicon.ico, a stale asset): not the app.
		http.NotFound(w, r)
		return
	}
	// Every page route is the app, which routes in the browser.
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", cacheNone)
	hdr.Set("Content-Security-Policy", h.csp)
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
	hdr.Set("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(h.index)
	}
}

// policy is the page's Content-Security-Policy: the app's own scripts and
// styles only (no inline script), plus Clerk and the voice service when
// they are configured.
func policy(opts Options) (string, error) {
	script := []string{"'self'"}
	connect := []string{"'self'"}
	frame := []string{}
	img := []string{"'self'", "data:"}
	style := []string{"'self'"}
	if opts.ClerkFrontendAPI != "" {
		host := opts.ClerkFrontendAPI
		if strings.ContainsAny(host, " ;,'/") {
			return "", fmt.Errorf("web: clerk frontend API %q must be a host name", host)
		}
		o := "https://" + host
		script = append(script, o)
		connect = append(connect, o)
		frame = append(frame, o)
		img = append(img, "https://img.clerk.com")
		// ClerkJS styles its components with injected style elements.
		style = append(style, "'unsafe-inline'")
	}
	if opts.Voice {
		// The voice SDK loads its audio worklets from blob: URLs.
		script = append(script, "blob:")
		for _, o := range opts.VoiceOrigins {
			u, err := url.Parse(o)
			if err != nil || u.Host == "" || (u.Scheme != "wss" && u.Scheme != "ws" && u.Scheme != "https") {
				return "", fmt.Errorf("web: voice origin %q must be wss://host", o)
			}
			connect = append(connect, u.Scheme+"://"+u.Host)
		}
	}
	parts := []string{
		"default-src 'self'",
		"script-src " + strings.Join(script, " "),
		"style-src " + strings.Join(style, " "),
		"img-src " + strings.Join(img, " "),
		"connect-src " + strings.Join(connect, " "),
		"media-src 'self' blob:",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}
	if len(frame) > 0 {
		parts = append(parts, "frame-src "+strings.Join(frame, " "))
	}
	return strings.Join(parts, "; "), nil
}
