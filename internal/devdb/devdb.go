// Package devdb owns the private PostgreSQL cluster Sparrow starts for itself when
// DATABASE_URL is unset, so that `make run` and the tests need nothing but the
// PostgreSQL server binaries installed.
//
// Invariants:
//   - One cluster per Config.Dir. Every operation on it (Ensure, Stop) holds an
//     exclusive flock on "<parent of Dir>/.<base of Dir>.lock" for its whole
//     duration, so concurrent processes (a server and a CLI command, parallel test
//     packages) serialise instead of racing initdb or pg_ctl.
//   - The server listens only on 127.0.0.1:Config.Port and on a Unix socket in a
//     directory inside Dir (or, when that path would exceed the 107-byte socket
//     path limit, in a per-Dir directory under os.TempDir()). Authentication is
//     "trust": it is a development database, never exposed beyond loopback.
//   - Durability settings stay at PostgreSQL's defaults (fsync, synchronous_commit,
//     full_page_writes on): a crash of the dev machine must not corrupt the cluster.
//   - PostgreSQL refuses to run as root. When the caller is root, initdb and pg_ctl
//     run as the "postgres" system user (via runuser, or su as a fallback), and Dir
//     is owned by that user.
//   - The package reads no environment variables; cmd/ maps DATABASE_URL and PG_BIN
//     onto Config.
package devdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Defaults applied by Ensure, Stop and Status to zero Config fields.
const (
	DefaultDir      = ".data/postgres"
	DefaultPort     = 54329
	DefaultDatabase = "sparrow"
)

// Sentinel errors; every error returned by this package that has one of these
// causes wraps it, so callers can test with errors.Is.
var (
	// ErrBinariesMissing: initdb and pg_ctl could not be found. Its message is the
	// installation hint to show the user.
	ErrBinariesMissing = errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found. Install them: " +
		"Debian/Ubuntu: sudo apt-get install postgresql (or postgresql-15); " +
		"Fedora: sudo dnf install postgresql-server; " +
		"macOS: brew install postgresql@15 — " +
		"or point PG_BIN at the directory holding them, or set DATABASE_URL to an existing database")
	// ErrInvalidConfig: a Config field is out of range.
	ErrInvalidConfig = errors.New("invalid devdb config")
	// ErrRootSetup: the caller is root and the cluster cannot be handed to the
	// postgres system user (no such user, no runuser/su, or a parent directory the
	// user cannot traverse).
	ErrRootSetup = errors.New("cannot run PostgreSQL as root")
	// ErrNotCluster: Dir exists, is not empty and is not a PostgreSQL data directory.
	ErrNotCluster = errors.New("directory is not a PostgreSQL cluster")
	// ErrPortMismatch: the cluster in Dir is already running on another port.
	ErrPortMismatch = errors.New("cluster already running on another port")
	// ErrVersionMismatch: the cluster was created by another PostgreSQL major version
	// than the binaries found.
	ErrVersionMismatch = errors.New("cluster and binaries are different PostgreSQL versions")
)

// Config says where the private cluster lives and how to reach it.
type Config struct {
	// Dir is the data directory; relative paths are resolved against the working
	// directory. Default ".data/postgres".
	Dir string
	// Port is the TCP port on 127.0.0.1. Default 54329.
	Port int
	// Database is created if missing and named in Cluster.URL. Default "sparrow".
	Database string
	// BinDir, when set, is the only place searched for initdb and pg_ctl
	// (cmd/ fills it from PG_BIN).
	BinDir string
	// Log receives one line per step ("postgres: started on 127.0.0.1:54329").
	// Default io.Discard.
	Log io.Writer
}

func (c *Config) setDefaults() {
	if c.Dir == "" {
		c.Dir = DefaultDir
	}
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.Database == "" {
		c.Database = DefaultDatabase
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
}

// Validate reports every field that is out of range, joined, each wrapping
// ErrInvalidConfig. Zero fields are valid: they take their defaults.
func (c Config) Validate() error {
	var errs []error
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("%w: Port %d is outside 1..65535", ErrInvalidConfig, c.Port))
	}
	if len(c.Database) > 63 {
		errs = append(errs, fmt.Errorf("%w: Database %q is longer than PostgreSQL's 63-byte limit", ErrInvalidConfig, c.Database))
	}
	if strings.ContainsRune(c.Database, 0) || strings.ContainsRune(c.Dir, 0) || strings.ContainsRune(c.BinDir, 0) {
		errs = append(errs, fmt.Errorf("%w: Dir, Database and BinDir must not contain NUL bytes", ErrInvalidConfig))
	}
	if strings.ContainsAny(c.Dir, "\n\r") {
		errs = append(errs, fmt.Errorf("%w: Dir %q must not contain line breaks", ErrInvalidConfig, c.Dir))
	}
	return errors.Join(errs...)
}

// Cluster describes a running private cluster.
type Cluster struct {
	// URL connects to Database as the superuser "postgres" over 127.0.0.1.
	URL string
	// Dir is the absolute data directory.
	Dir string
	// Port is the TCP port on 127.0.0.1.
	Port int
	// StartedNow is true when this call started the server, false when it reused a
	// running one.
	StartedNow bool
}

// Ensure makes the cluster in cfg.Dir exist and run, creates cfg.Database in it if
// missing, and returns how to connect. It initialises the cluster on first use,
// starts the server if it is not running (removing a postmaster.pid left by a
// crash), and reuses a running server otherwise.
func Ensure(ctx context.Context, cfg Config) (cl Cluster, err error) {
	cfg.setDefaults()
	defer wrapErr(&err, "devdb.Ensure(%q)", cfg.Dir)
	cfg.Dir = reachableDir(cfg.Dir, cfg.Log)
	if err := cfg.Validate(); err != nil {
		return Cluster{}, err
	}
	p, err := newPaths(cfg.Dir, cfg.Port)
	if err != nil {
		return Cluster{}, err
	}
	bins, err := defaultLocator(cfg.BinDir).find(ctx)
	if err != nil {
		return Cluster{}, err
	}
	run, err := newRunner()
	if err != nil {
		return Cluster{}, err
	}
	unlock, err := lockDir(ctx, p, cfg.Log, cfg.Dir)
	if err != nil {
		return Cluster{}, err
	}
	defer unlock()

	m := manager{cfg: cfg, p: p, bins: bins, run: run}
	return m.ensure(ctx)
}

// Stop shuts the cluster in cfg.Dir down (pg_ctl stop -m fast) and waits for it to
// exit. Stopping a cluster that is not running, or does not exist, is not an error.
func Stop(ctx context.Context, cfg Config) (err error) {
	cfg.setDefaults()
	defer wrapErr(&err, "devdb.Stop(%q)", cfg.Dir)
	cfg.Dir = reachableDir(cfg.Dir, io.Discard)
	if err := cfg.Validate(); err != nil {
		return err
	}
	p, err := newPaths(cfg.Dir, cfg.Port)
	if err != nil {
		return err
	}
	if _, err := os.Stat(p.dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	unlock, err := lockDir(ctx, p, cfg.Log, cfg.Dir)
	if err != nil {
		return err
	}
	defer unlock()

	st, err := readServerState(p)
	if err != nil {
		return err
	}
	if !st.running {
		return nil
	}
	bins, err := defaultLocator(cfg.BinDir).find(ctx)
	if err != nil {
		return err
	}
	run, err := newRunner()
	if err != nil {
		return err
	}
	if out, err := run.run(ctx, bins.path("pg_ctl"), "stop", "-D", p.dir, "-m", "fast", "-w", "-t", "60"); err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
	}
	logf(cfg.Log, "postgres: stopped cluster in %s", cfg.Dir)
	return nil
}

// Status reports whether a server is running on the cluster in cfg.Dir, judged by
// its postmaster.pid naming a live postgres process.
func Status(ctx context.Context, cfg Config) (running bool, err error) {
	cfg.setDefaults()
	defer wrapErr(&err, "devdb.Status(%q)", cfg.Dir)
	cfg.Dir = reachableDir(cfg.Dir, io.Discard)
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := cfg.Validate(); err != nil {
		return false, err
	}
	p, err := newPaths(cfg.Dir, cfg.Port)
	if err != nil {
		return false, err
	}
	st, err := readServerState(p)
	if err != nil {
		return false, err
	}
	return st.running, nil
}

// paths are the absolute locations derived from Config.Dir.
type paths struct {
	dir       string // data directory
	lock      string // flock file next to dir
	socketDir string // unix_socket_directories
	logFile   string // pg_ctl -l
}

// maxSocketPath is the longest Unix socket path the kernel accepts (sun_path is
// 108 bytes including the terminating NUL).
const maxSocketPath = 107

func newPaths(dir string, port int) (paths, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return paths{}, fmt.Errorf("resolve Dir: %w", err)
	}
	p := paths{
		dir:       abs,
		lock:      filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".lock"),
		socketDir: filepath.Join(abs, "socket"),
		logFile:   filepath.Join(abs, "server.log"),
	}
	if len(socketPath(p.socketDir, port)) > maxSocketPath {
		p.socketDir = shortSocketDir(abs)
	}
	if len(socketPath(p.socketDir, port)) > maxSocketPath {
		return paths{}, fmt.Errorf("%w: socket path %s is longer than %d bytes even under os.TempDir(); use a shorter TMPDIR",
			ErrInvalidConfig, socketPath(p.socketDir, port), maxSocketPath)
	}
	return p, nil
}

func socketPath(dir string, port int) string {
	return filepath.Join(dir, fmt.Sprintf(".s.PGSQL.%d", port))
}

func logf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, format+"\n", args...)
}

// wrapErr prefixes a non-nil *errp with the operation that failed, keeping the
// chain for errors.Is.
func wrapErr(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

// reachableDir returns dir, or, when the server has to run as another user
// (we are root) who cannot enter one of dir's parents (a checkout under
// /root, say), a directory of this checkout's own under the system's temp
// directory, which that user can reach. Same dir in, same dir out, so every
// command of one checkout finds the same cluster.
func reachableDir(dir string, log io.Writer) string {
	run, err := newRunner()
	if err != nil || !run.asOtherUser() {
		return dir // a normal user owns what it creates; errors surface later
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	// Directories not made yet will be made traversable; check the nearest one that exists.
	existing := filepath.Dir(abs)
	for {
		if _, err := os.Stat(existing); err == nil || existing == filepath.Dir(existing) {
			break
		}
		existing = filepath.Dir(existing)
	}
	if run.checkTraversable(existing) == nil {
		return dir
	}
	sum := sha256.Sum256([]byte(abs))
	alt := filepath.Join(os.TempDir(), "sparrow-postgres-"+hex.EncodeToString(sum[:6]))
	fmt.Fprintf(log, "postgres: user %s cannot enter the directories above %s; this checkout's cluster lives in %s instead\n", run.name, abs, alt)
	return alt
}

// EffectiveDir is where the cluster of cfg really lives (see Ensure: as root,
// an unreachable Dir is moved under the temp directory).
func EffectiveDir(cfg Config) string {
	cfg.setDefaults()
	return reachableDir(cfg.Dir, io.Discard)
}
