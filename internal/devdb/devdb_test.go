package devdb

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireServerBinaries skips tests that start a real cluster on machines
// without PostgreSQL; everything else in this file runs everywhere.
func requireServerBinaries(t *testing.T) {
	t.Helper()
	if _, err := defaultLocator("").find(context.Background()); err != nil {
		t.Skipf("PostgreSQL server binaries not installed: %v", err)
	}
}

// syncBuffer collects progress lines written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// reachableTempDir is a t.TempDir() that the postgres user can enter when the test
// runs as root (t.TempDir() makes 0700 directories).
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o755))
	require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
	return dir
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}

// testConfig is a fresh cluster location on a free port; the cluster is stopped
// when the test ends (before its directory is removed).
func testConfig(t *testing.T, log *syncBuffer) Config {
	t.Helper()
	cfg := Config{
		Dir:      filepath.Join(reachableTempDir(t), "pg"),
		Port:     freePort(t),
		Database: "sparrow_test",
		Log:      log,
	}
	t.Cleanup(func() {
		if err := Stop(context.Background(), cfg); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return cfg
}

func querySelectOne(t *testing.T, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var one int
	require.NoError(t, conn.QueryRow(ctx, "SELECT 1").Scan(&one))
	assert.Equal(t, 1, one)
}

func TestEnsure_createsReusesAndStops(t *testing.T) {
	requireServerBinaries(t)
	t.Parallel()
	ctx := context.Background()
	log := &syncBuffer{}
	cfg := testConfig(t, log)

	first, err := Ensure(ctx, cfg)
	require.NoError(t, err)
	assert.True(t, first.StartedNow)
	assert.Equal(t, "postgres://postgres@127.0.0.1:"+strconv.Itoa(cfg.Port)+"/sparrow_test?sslmode=disable", first.URL)
	assert.Equal(t, cfg.Port, first.Port)
	assert.True(t, filepath.IsAbs(first.Dir))
	assert.FileExists(t, filepath.Join(first.Dir, "PG_VERSION"))
	assert.Contains(t, log.String(), "postgres: initialising cluster in "+cfg.Dir+" (first run)")
	assert.Contains(t, log.String(), "postgres: started on 127.0.0.1:"+strconv.Itoa(cfg.Port))
	assert.Contains(t, log.String(), "postgres: created database sparrow_test")

	conn, err := pgx.Connect(ctx, first.URL)
	require.NoError(t, err)
	var one int
	require.NoError(t, conn.QueryRow(ctx, "SELECT 1").Scan(&one))
	assert.Equal(t, 1, one)
	for setting, want := range map[string]string{
		"fsync":              "on",
		"synchronous_commit": "on",
		"full_page_writes":   "on",
		"listen_addresses":   "127.0.0.1",
		"max_connections":    "200",
		"shared_buffers":     "256MB",
		"max_wal_size":       "4GB",
		"checkpoint_timeout": "15min",
		"server_encoding":    "UTF8",
	} {
		var got string
		require.NoError(t, conn.QueryRow(ctx, "SELECT current_setting($1)", setting).Scan(&got))
		assert.Equal(t, want, got, setting)
	}
	var socketDir string
	require.NoError(t, conn.QueryRow(ctx, "SELECT current_setting('unix_socket_directories')").Scan(&socketDir))
	assert.Equal(t, filepath.Join(first.Dir, "socket"), socketDir)
	require.NoError(t, conn.Close(ctx))

	running, err := Status(ctx, cfg)
	require.NoError(t, err)
	assert.True(t, running)

	second, err := Ensure(ctx, cfg)
	require.NoError(t, err)
	assert.False(t, second.StartedNow, "a running cluster is reused")
	assert.Equal(t, first.URL, second.URL)

	other := cfg
	other.Port = freePort(t)
	_, err = Ensure(ctx, other)
	assert.ErrorIs(t, err, ErrPortMismatch)

	require.NoError(t, Stop(ctx, cfg))
	running, err = Status(ctx, cfg)
	require.NoError(t, err)
	assert.False(t, running)
	_, err = pgx.Connect(ctx, first.URL)
	assert.Error(t, err, "the server no longer accepts connections after Stop")
	require.NoError(t, Stop(ctx, cfg), "stopping a stopped cluster is not an error")

	log.mu.Lock()
	log.buf.Reset()
	log.mu.Unlock()
	third, err := Ensure(ctx, cfg)
	require.NoError(t, err)
	assert.True(t, third.StartedNow)
	assert.NotContains(t, log.String(), "initialising", "an existing cluster is not initialised again")
	querySelectOne(t, third.URL)
}

func TestEnsure_concurrentCallsAgree(t *testing.T) {
	requireServerBinaries(t)
	t.Parallel()
	log := &syncBuffer{}
	cfg := testConfig(t, log)

	const callers = 3
	results := make([]Cluster, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { results[i], errs[i] = Ensure(context.Background(), cfg) })
	}
	wg.Wait()

	started := 0
	for i := range callers {
		require.NoError(t, errs[i], "caller %d", i)
		assert.Equal(t, results[0].URL, results[i].URL)
		if results[i].StartedNow {
			started++
		}
	}
	assert.Equal(t, 1, started, "exactly one caller starts the server")
	assert.Equal(t, 1, strings.Count(log.String(), "initialising cluster"), "exactly one caller runs initdb")
	querySelectOne(t, results[0].URL)
}

func TestEnsure_recoversFromStalePostmasterPid(t *testing.T) {
	requireServerBinaries(t)
	t.Parallel()
	ctx := context.Background()
	cfg := testConfig(t, &syncBuffer{})
	cl, err := Ensure(ctx, cfg)
	require.NoError(t, err)
	pidFile := filepath.Join(cl.Dir, "postmaster.pid")

	tests := []struct {
		name  string
		stale func(t *testing.T)
	}{
		{
			name: "pid reused by an unrelated live process",
			stale: func(t *testing.T) {
				require.NoError(t, Stop(ctx, cfg))
				// Not an ancestor of the new postmaster: PostgreSQL ignores its own
				// parent and grandparent (pg_ctl, this test) when judging the file.
				other := exec.Command("sleep", "60")
				require.NoError(t, other.Start())
				t.Cleanup(func() { _ = other.Process.Kill(); _ = other.Wait() })
				writeStalePidFile(t, pidFile, other.Process.Pid, cfg.Port)
			},
		},
		{
			name: "empty pid file",
			stale: func(t *testing.T) {
				require.NoError(t, Stop(ctx, cfg))
				require.NoError(t, os.WriteFile(pidFile, nil, 0o600))
			},
		},
		{
			name: "server killed with SIGKILL",
			stale: func(t *testing.T) {
				st, err := readServerState(cl.pathsFor(t))
				require.NoError(t, err)
				require.True(t, st.running)
				require.NoError(t, syscall.Kill(st.pid, syscall.SIGKILL))
				require.Eventually(t, func() bool { return !isPostgresProcess(st.pid) }, 10*time.Second, 20*time.Millisecond)
				require.FileExists(t, pidFile, "a crash leaves postmaster.pid behind")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.stale(t)
			running, err := Status(ctx, cfg)
			require.NoError(t, err)
			require.False(t, running)

			got, err := Ensure(ctx, cfg)
			require.NoError(t, err)
			assert.True(t, got.StartedNow)
			querySelectOne(t, got.URL)
		})
	}
}

// pathsFor recomputes the paths of a Cluster for white-box checks.
func (c Cluster) pathsFor(t *testing.T) paths {
	t.Helper()
	p, err := newPaths(c.Dir, c.Port)
	require.NoError(t, err)
	return p
}

// writeStalePidFile writes a postmaster.pid in PostgreSQL's layout naming pid.
func writeStalePidFile(t *testing.T, path string, pid, port int) {
	t.Helper()
	content := strings.Join([]string{
		strconv.Itoa(pid), filepath.Dir(path), "1700000000", strconv.Itoa(port), "/tmp", "127.0.0.1", "  5432001    0", "ready   ", "",
	}, "\n")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

func TestEnsure_longDirUsesShortSocketDir(t *testing.T) {
	requireServerBinaries(t)
	t.Parallel()
	cfg := testConfig(t, &syncBuffer{})
	cfg.Dir = filepath.Join(filepath.Dir(cfg.Dir), strings.Repeat("d", 60), strings.Repeat("e", 60), "pg")
	require.NoError(t, os.MkdirAll(filepath.Dir(cfg.Dir), 0o755))
	require.NoError(t, os.Chmod(filepath.Dir(filepath.Dir(cfg.Dir)), 0o755))
	t.Cleanup(func() { assert.NoError(t, Stop(context.Background(), cfg)) })

	cl, err := Ensure(context.Background(), cfg)
	require.NoError(t, err)
	socketDir := shortSocketDir(cl.Dir)
	t.Cleanup(func() { os.RemoveAll(socketDir) })
	assert.FileExists(t, socketPath(socketDir, cfg.Port), "the socket lives in the short directory")
	info, err := os.Stat(socketDir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm())
	querySelectOne(t, cl.URL)
}

func TestEnsure_refusesNonClusterDir(t *testing.T) {
	requireServerBinaries(t)
	t.Parallel()
	cfg := testConfig(t, &syncBuffer{})
	require.NoError(t, os.MkdirAll(cfg.Dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(cfg.Dir, "notes.txt"), []byte("mine"), 0o644))

	_, err := Ensure(context.Background(), cfg)
	require.ErrorIs(t, err, ErrNotCluster)
	assert.FileExists(t, filepath.Join(cfg.Dir, "notes.txt"), "nothing is deleted")
}

func TestEnsure_missingBinaries(t *testing.T) {
	t.Parallel()
	cfg := Config{Dir: filepath.Join(t.TempDir(), "pg"), BinDir: t.TempDir()}

	_, err := Ensure(context.Background(), cfg)
	require.ErrorIs(t, err, ErrBinariesMissing)
	for _, hint := range []string{
		"initdb, pg_ctl",
		"sudo apt-get install postgresql",
		"sudo dnf install postgresql-server",
		"brew install postgresql@15",
		"DATABASE_URL",
		cfg.BinDir,
	} {
		assert.Contains(t, err.Error(), hint)
	}
	assert.NoDirExists(t, cfg.Dir, "nothing is created when the binaries are missing")
}

// fakeBinDir makes a directory holding executable stand-ins for the server programs.
func fakeBinDir(t *testing.T, dir string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, name := range requiredPrograms {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755))
	}
	return dir
}

func TestBinLocator_find(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	debian := filepath.Join(root, "usr/lib/postgresql")
	fakeBinDir(t, filepath.Join(debian, "9.6/bin"))
	fakeBinDir(t, filepath.Join(debian, "15/bin"))
	fakeBinDir(t, filepath.Join(debian, "16/bin"))
	require.NoError(t, os.MkdirAll(filepath.Join(debian, "17/bin"), 0o755)) // client-only: no initdb
	onPath := fakeBinDir(t, filepath.Join(root, "path/bin"))
	empty := t.TempDir()
	noPath := func(string) (string, error) { return "", errors.New("not found") }
	pathLookup := func(name string) (string, error) {
		if _, err := os.Stat(filepath.Join(onPath, name)); err != nil {
			return "", err
		}
		return filepath.Join(onPath, name), nil
	}

	tests := []struct {
		name    string
		loc     binLocator
		wantDir string
		wantErr error
	}{
		{
			name:    "explicit BinDir wins",
			loc:     binLocator{binDir: filepath.Join(debian, "15/bin"), globs: []string{debian + "/*/bin"}, lookPath: pathLookup},
			wantDir: filepath.Join(debian, "15/bin"),
		},
		{
			name:    "explicit BinDir without the programs is an error, not a fallback",
			loc:     binLocator{binDir: empty, globs: []string{debian + "/*/bin"}, lookPath: pathLookup},
			wantErr: ErrBinariesMissing,
		},
		{
			name:    "highest complete versioned directory",
			loc:     binLocator{globs: []string{debian + "/*/bin"}, lookPath: pathLookup},
			wantDir: filepath.Join(debian, "16/bin"),
		},
		{
			name:    "PATH when no versioned directory matches",
			loc:     binLocator{globs: []string{empty + "/*/bin"}, lookPath: pathLookup},
			wantDir: onPath,
		},
		{
			name:    "nothing anywhere",
			loc:     binLocator{pgConfig: "pg_config", globs: []string{empty + "/*/bin"}, lookPath: noPath},
			wantErr: ErrBinariesMissing,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.loc.find(context.Background())
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Contains(t, err.Error(), "sudo apt-get install postgresql")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantDir, got.dir)
		})
	}
}

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{name: "zero config takes defaults", cfg: Config{}},
		{name: "explicit values", cfg: Config{Dir: "x/pg", Port: 5433, Database: "db", BinDir: "/opt/pg/bin"}},
		{name: "port too high", cfg: Config{Port: 70000}, wantErr: true},
		{name: "negative port", cfg: Config{Port: -1}, wantErr: true},
		{name: "database name too long", cfg: Config{Database: strings.Repeat("a", 64)}, wantErr: true},
		{name: "dir with a newline", cfg: Config{Dir: "a\nb"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if !tt.wantErr {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrInvalidConfig)
		})
	}
}

func TestConfig_defaults(t *testing.T) {
	t.Parallel()
	cfg := Config{}
	cfg.setDefaults()
	assert.Equal(t, ".data/postgres", cfg.Dir)
	assert.Equal(t, 54329, cfg.Port)
	assert.Equal(t, "sparrow", cfg.Database)
	assert.NotNil(t, cfg.Log)
}

func TestNewPaths_socketDir(t *testing.T) {
	t.Parallel()
	short, err := newPaths("/srv/sparrow/.data/postgres", 54329)
	require.NoError(t, err)
	assert.Equal(t, "/srv/sparrow/.data/postgres/socket", short.socketDir)
	assert.Equal(t, "/srv/sparrow/.data/.postgres.lock", short.lock)

	longDir := "/" + strings.Repeat("x", 100) + "/postgres"
	long, err := newPaths(longDir, 54329)
	require.NoError(t, err)
	assert.Equal(t, os.TempDir(), filepath.Dir(long.socketDir))
	assert.True(t, strings.HasPrefix(filepath.Base(long.socketDir), "sparrow-pg-"))
	assert.LessOrEqual(t, len(socketPath(long.socketDir, 54329)), maxSocketPath)
	other, err := newPaths(longDir+"2", 54329)
	require.NoError(t, err)
	assert.NotEqual(t, long.socketDir, other.socketDir, "each cluster gets its own short socket dir")
}

func TestConfQuote(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `'/tmp/it''s'`, confQuote("/tmp/it's"))
	assert.Equal(t, `'C:\\x'`, confQuote(`C:\x`))
}

func TestStatus_missingDir(t *testing.T) {
	t.Parallel()
	cfg := Config{Dir: filepath.Join(t.TempDir(), "absent")}
	running, err := Status(context.Background(), cfg)
	require.NoError(t, err)
	assert.False(t, running)
	require.NoError(t, Stop(context.Background(), cfg))
}
