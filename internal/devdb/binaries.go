package devdb

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// binaries is a directory holding a matching set of PostgreSQL server programs.
type binaries struct {
	dir string
}

func (b binaries) path(name string) string { return filepath.Join(b.dir, name) }

// requiredPrograms must all be in one directory: pg_ctl starts the postgres found
// next to it, so taking them from one place keeps the versions matched.
var requiredPrograms = []string{"initdb", "pg_ctl", "postgres"}

// binLocator searches for the server binaries in order: the explicit binDir (which,
// when set, is the only place searched), `pg_config --bindir`, the highest
// versioned directory matching one of globs, then PATH.
type binLocator struct {
	binDir   string
	pgConfig string   // program asked for --bindir; "" skips the step
	globs    []string // versioned install locations
	lookPath func(string) (string, error)
}

func defaultLocator(binDir string) binLocator {
	return binLocator{
		binDir:   binDir,
		pgConfig: "pg_config",
		globs: []string{
			"/usr/lib/postgresql/*/bin",          // Debian, Ubuntu
			"/usr/pgsql-*/bin",                   // PGDG RPMs
			"/opt/homebrew/opt/postgresql@*/bin", // Homebrew on Apple silicon (keg-only)
			"/usr/local/opt/postgresql@*/bin",    // Homebrew on Intel
		},
		lookPath: exec.LookPath,
	}
}

func (l binLocator) find(ctx context.Context) (binaries, error) {
	if l.binDir != "" {
		if hasPrograms(l.binDir) {
			return binaries{dir: l.binDir}, nil
		}
		return binaries{}, fmt.Errorf("%w (BinDir %s lacks %s)", ErrBinariesMissing, l.binDir, strings.Join(requiredPrograms, ", "))
	}
	var looked []string
	if l.pgConfig != "" {
		looked = append(looked, l.pgConfig+" --bindir")
		if dir := pgConfigBinDir(ctx, l.pgConfig, l.lookPath); dir != "" && hasPrograms(dir) {
			return binaries{dir: dir}, nil
		}
	}
	looked = append(looked, l.globs...)
	if dir := highestVersionDir(l.globs); dir != "" {
		return binaries{dir: dir}, nil
	}
	looked = append(looked, "PATH")
	if l.lookPath != nil {
		if initdb, err := l.lookPath("initdb"); err == nil {
			if dir := filepath.Dir(initdb); hasPrograms(dir) {
				return binaries{dir: dir}, nil
			}
		}
	}
	return binaries{}, fmt.Errorf("%w (looked in: %s)", ErrBinariesMissing, strings.Join(looked, "; "))
}

func pgConfigBinDir(ctx context.Context, pgConfig string, lookPath func(string) (string, error)) string {
	if lookPath == nil {
		return ""
	}
	prog, err := lookPath(pgConfig)
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, prog, "--bindir").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func hasPrograms(dir string) bool {
	for _, name := range requiredPrograms {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || info.IsDir() || info.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

var versionInPath = regexp.MustCompile(`(\d+)(?:\.(\d+))?`)

// highestVersionDir returns the match of globs with the highest PostgreSQL version
// in its path (so 16 beats 15 beats 9.6) that holds every required program.
func highestVersionDir(globs []string) string {
	type candidate struct {
		dir          string
		major, minor int
	}
	var cands []candidate
	for _, g := range globs {
		matches, _ := filepath.Glob(g)
		for _, m := range matches {
			if !hasPrograms(m) {
				continue
			}
			c := candidate{dir: m}
			if v := versionInPath.FindAllStringSubmatch(filepath.Dir(m), -1); len(v) > 0 {
				last := v[len(v)-1]
				c.major, _ = strconv.Atoi(last[1])
				c.minor, _ = strconv.Atoi(last[2])
			}
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return ""
	}
	best := slices.MaxFunc(cands, func(a, b candidate) int {
		if a.major != b.major {
			return a.major - b.major
		}
		return a.minor - b.minor
	})
	return best.dir
}

var versionOutput = regexp.MustCompile(`\(PostgreSQL\) (\d+)(?:\.(\d+))?`)

// majorVersion runs `postgres --version` and returns the major version in the form
// PG_VERSION uses ("15", or "9.6" before PostgreSQL 10).
func (b binaries) majorVersion(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, b.path("postgres"), "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", b.path("postgres"), err)
	}
	m := versionOutput.FindStringSubmatch(string(out))
	if m == nil {
		return "", fmt.Errorf("%s --version: unrecognised output %q", b.path("postgres"), strings.TrimSpace(string(out)))
	}
	if major, _ := strconv.Atoi(m[1]); major < 10 && m[2] != "" {
		return m[1] + "." + m[2], nil
	}
	return m[1], nil
}
