package devdb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// manager runs one Ensure while holding the cluster lock.
type manager struct {
	cfg  Config
	p    paths
	bins binaries
	run  runner
}

func (m manager) ensure(ctx context.Context) (Cluster, error) {
	if err := m.initIfNeeded(ctx); err != nil {
		return Cluster{}, err
	}
	st, err := readServerState(m.p)
	if err != nil {
		return Cluster{}, err
	}
	startedNow := false
	switch {
	case st.running && st.port != 0 && st.port != m.cfg.Port:
		return Cluster{}, fmt.Errorf("%w: the cluster in %s runs on port %d, not %d: stop it first or use port %d",
			ErrPortMismatch, m.cfg.Dir, st.port, m.cfg.Port, st.port)
	case st.running:
		logf(m.cfg.Log, "postgres: reusing server already running on 127.0.0.1:%d", m.cfg.Port)
	default:
		if err := m.start(ctx); err != nil {
			return Cluster{}, err
		}
		startedNow = true
		logf(m.cfg.Log, "postgres: started on 127.0.0.1:%d", m.cfg.Port)
	}
	created, err := ensureDatabase(ctx, m.cfg.Port, m.cfg.Database, m.p.logFile)
	if err != nil {
		return Cluster{}, err
	}
	if created {
		logf(m.cfg.Log, "postgres: created database %s", m.cfg.Database)
	}
	return Cluster{
		URL:        clusterURL(m.cfg.Port, m.cfg.Database),
		Dir:        m.p.dir,
		Port:       m.cfg.Port,
		StartedNow: startedNow,
	}, nil
}

func clusterURL(port int, database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", port, url.PathEscape(database))
}

// initIfNeeded runs initdb when Dir holds no cluster yet, and checks an existing
// cluster matches the binaries' major version.
func (m manager) initIfNeeded(ctx context.Context) error {
	version, err := os.ReadFile(filepath.Join(m.p.dir, "PG_VERSION"))
	switch {
	case err == nil:
		want, err := m.bins.majorVersion(ctx)
		if err != nil {
			return err
		}
		if have := strings.TrimSpace(string(version)); have != want {
			return fmt.Errorf("%w: %s was created by PostgreSQL %s but the binaries in %s are PostgreSQL %s: "+
				"point PG_BIN at PostgreSQL %s, or delete %s to start afresh",
				ErrVersionMismatch, m.cfg.Dir, have, m.bins.dir, want, have, m.cfg.Dir)
		}
		return nil
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("read PG_VERSION: %w", err)
	}

	entries, err := os.ReadDir(m.p.dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read Dir: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("%w: %s is not empty and has no PG_VERSION; move it away or choose another Dir", ErrNotCluster, m.cfg.Dir)
	}
	logf(m.cfg.Log, "postgres: initialising cluster in %s (first run)", m.cfg.Dir)
	if err := os.MkdirAll(m.p.dir, 0o700); err != nil {
		return fmt.Errorf("create Dir: %w", err)
	}
	if err := m.run.prepareOwnership(m.p.dir); err != nil {
		return err
	}
	initdb := func(locale string) (string, error) {
		return m.run.run(ctx, m.bins.path("initdb"),
			"-D", m.p.dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale="+locale, "--no-instructions")
	}
	out, err := initdb("C.UTF-8")
	if err != nil && strings.Contains(strings.ToLower(out), "locale") {
		logf(m.cfg.Log, "postgres: locale C.UTF-8 unavailable, using C")
		out, err = initdb("C")
	}
	if err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return nil
}

// start writes the managed settings and runs pg_ctl start.
func (m manager) start(ctx context.Context) error {
	removed, err := removeStaleLocks(m.p, m.cfg.Port)
	if err != nil {
		return err
	}
	for _, r := range removed {
		logf(m.cfg.Log, "postgres: removed stale %s left by a crash", r)
	}
	if err := m.writeSettings(); err != nil {
		return err
	}
	var extra []string
	if !isWithin(m.p.socketDir, m.p.dir) {
		extra = append(extra, m.p.socketDir)
	}
	if err := m.run.prepareOwnership(m.p.dir, extra...); err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		out, err := m.run.run(ctx, m.bins.path("pg_ctl"), "start", "-D", m.p.dir, "-l", m.p.logFile, "-w", "-t", "60")
		if err == nil {
			return nil
		}
		tail := tailFile(m.p.logFile, 15)
		// After a crash the old server's children may take a moment to exit and
		// release its shared memory; PostgreSQL refuses to start until they have.
		if attempt < 5 && strings.Contains(tail, "pre-existing shared memory block") {
			logf(m.cfg.Log, "postgres: waiting for processes of a crashed server to exit")
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Second):
			}
			continue
		}
		return fmt.Errorf("pg_ctl start: %w\n%s\n--- last lines of %s ---\n%s", err, out, m.p.logFile, tail)
	}
}

func isWithin(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// tailFile returns up to n last lines of path, for error messages.
func tailFile(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
