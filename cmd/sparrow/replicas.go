package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/sparrow-coach/sparrow/internal/apibench"
)

// Replicas: several `sparrow serve` processes of one binary on one
// database, as a load-balanced deployment runs them. The replica benchmark
// (bench_replica.go) and the replica acceptance test start them with this.

// replicaProc is one `sparrow serve` child process.
type replicaProc struct {
	bin  string
	env  []string
	port int
	log  *lockedBuffer

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// lockedBuffer collects a child's output.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeLoopbackPort returns a TCP port nothing listens on right now.
func freeLoopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// newReplicaProc prepares (does not start) `bin serve` on databaseURL, with
// its own data directory and loopback port, local sign-in and the write
// rate limit lifted (the load comes from one test user); extra are more
// VAR=value settings.
func newReplicaProc(bin, databaseURL, dataDir string, extra ...string) (*replicaProc, error) {
	port, err := freeLoopbackPort()
	if err != nil {
		return nil, err
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"DATABASE_URL=" + databaseURL, "SPARROW_DATA_DIR=" + dataDir, "HOST=127.0.0.1", "PORT=" + strconv.Itoa(port),
		"LOG_LEVEL=warn", "SPARROW_WRITE_RATE_PER_MIN=1000000"}
	return &replicaProc{bin: bin, env: append(env, extra...), port: port, log: &lockedBuffer{}}, nil
}

// URL is the replica's base URL.
func (p *replicaProc) URL() string { return "http://127.0.0.1:" + strconv.Itoa(p.port) }

// Start starts the process and waits until /api/health answers.
func (p *replicaProc) Start(ctx context.Context) error {
	p.mu.Lock()
	cmd := exec.Command(p.bin, "serve")
	cmd.Env, cmd.Stdout, cmd.Stderr = p.env, p.log, p.log
	if err := cmd.Start(); err != nil {
		p.mu.Unlock()
		return err
	}
	done := make(chan struct{})
	p.cmd, p.done = cmd, done
	p.mu.Unlock()
	go func() { _ = cmd.Wait(); close(done) }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return fmt.Errorf("replica on port %d exited while starting:\n%s", p.port, tail(p.log.String(), 2000))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if r, err := http.Get(p.URL() + "/api/health"); err == nil {
			r.Body.Close()
			return nil
		}
	}
	return fmt.Errorf("replica on port %d did not answer within 60 s:\n%s", p.port, tail(p.log.String(), 2000))
}

// Kill ends the process with SIGKILL (nothing is drained, nothing is
// released but what the kernel and PostgreSQL release) and waits for it.
func (p *replicaProc) Kill() { p.signal(syscall.SIGKILL, 0) }

// Stop asks the process to stop (SIGTERM) and waits up to 30 s, then kills it.
func (p *replicaProc) Stop() { p.signal(syscall.SIGTERM, 30*time.Second) }

func (p *replicaProc) signal(sig syscall.Signal, grace time.Duration) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// replicaClient calls the API of any replica with one user's token.
type replicaClient struct {
	http  *http.Client
	token string
}

func newReplicaClient() *replicaClient {
	return &replicaClient{http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

// errStatus is an answer with an unexpected status.
type errStatus struct {
	status int
	body   string
}

func (e *errStatus) Error() string { return fmt.Sprintf("status %d: %s", e.status, tail(e.body, 300)) }

// call sends method base+path with body as JSON and decodes the answer
// into out (when not nil); any status but want is an *errStatus.
func (c *replicaClient) call(ctx context.Context, method, url string, body, out any, want int) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return &errStatus{status: res.StatusCode, body: string(b)}
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// signIn gets a local sign-in token from base and keeps it.
func (c *replicaClient) signIn(ctx context.Context, base, email string) error {
	var s struct {
		Token string `json:"token"`
	}
	if err := c.call(ctx, http.MethodPost, base+"/api/dev/session", map[string]string{"email": email, "fullName": "Replica Tester"}, &s, http.StatusOK); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	c.token = s.Token
	return nil
}

// presetPersona returns the id of a preset persona, waiting for the presets.
func (c *replicaClient) presetPersona(ctx context.Context, base string) (string, error) {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var l struct {
			Personas []struct {
				ID       string `json:"id"`
				IsPreset bool   `json:"isPreset"`
			} `json:"personas"`
		}
		if err := c.call(ctx, http.MethodGet, base+"/api/personas", nil, &l, http.StatusOK); err != nil {
			return "", err
		}
		for _, p := range l.Personas {
			if p.IsPreset {
				return p.ID, nil
			}
		}
	}
	return "", errors.New("no preset persona listed within 30 s")
}

// createCall creates a pending cold call and returns its id.
func (c *replicaClient) createCall(ctx context.Context, base, personaID string) (string, error) {
	var call struct {
		ID string `json:"id"`
	}
	err := c.call(ctx, http.MethodPost, base+"/api/calls", map[string]any{"mode": "cold_call", "personaId": personaID}, &call, http.StatusCreated)
	return call.ID, err
}

// startCall moves a call to in_progress.
func (c *replicaClient) startCall(ctx context.Context, base, callID string) error {
	return c.call(ctx, http.MethodPatch, base+"/api/calls/"+callID, map[string]any{"status": "in_progress"}, nil, http.StatusOK)
}

// postLine appends one rep line to a call's transcript.
func (c *replicaClient) postLine(ctx context.Context, base, callID, content string, atMs int) error {
	return c.call(ctx, http.MethodPost, base+"/api/calls/"+callID+"/transcript",
		map[string]any{"role": "user", "content": content, "timestampMs": atMs}, nil, http.StatusCreated)
}

// sseLines opens a call's event stream on base and sends the content of
// each transcript line it carries, with the time it arrived, until ctx ends.
// It returns once the stream is open.
func (c *replicaClient) sseLines(ctx context.Context, base, callID string, out chan<- sseLine) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/calls/"+callID+"/stream", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "text/event-stream")
	res, err := (&http.Client{}).Do(req)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return &errStatus{status: res.StatusCode, body: string(b)}
	}
	go func() {
		defer res.Body.Close()
		apibench.EachLineContent(res.Body, func(content string) bool {
			select {
			case out <- sseLine{content: content, at: time.Now()}:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	return nil
}

// sseLine is one transcript line seen on an event stream.
type sseLine struct {
	content string
	at      time.Time
}
