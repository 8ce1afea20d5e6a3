package devdb

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: checks how the cluster is handed to the postgres user")
	}
}

func TestRootRunner_switchesToPostgresUser(t *testing.T) {
	requireRoot(t)
	t.Parallel()
	hide := func(hidden string) func(string) (string, error) {
		return func(name string) (string, error) {
			if name == hidden {
				return "", exec.ErrNotFound
			}
			return exec.LookPath(name)
		}
	}
	tests := []struct {
		name      string
		lookPath  func(string) (string, error)
		wantViaSu bool
	}{
		{name: "runuser", lookPath: exec.LookPath},
		{name: "su when runuser is missing", lookPath: hide("runuser"), wantViaSu: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := rootRunner(serverUser, tt.lookPath)
			if errors.Is(err, ErrRootSetup) {
				t.Skipf("no postgres user here: %v", err)
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantViaSu, r.viaSu)

			out, err := r.run(context.Background(), "/bin/sh", "-c", `id -un; printf '%s\n' "$1"`, "sh", "it's a 'quoted' arg")
			require.NoError(t, err, out)
			assert.Equal(t, "postgres\nit's a 'quoted' arg", out)
		})
	}
}

func TestRootRunner_errors(t *testing.T) {
	t.Parallel()
	notFound := func(string) (string, error) { return "", exec.ErrNotFound }
	tests := []struct {
		name     string
		user     string
		lookPath func(string) (string, error)
		wantText string
	}{
		{name: "no such user", user: "sparrow-no-such-user", lookPath: exec.LookPath, wantText: "useradd"},
		{name: "neither runuser nor su", user: "root", lookPath: notFound, wantText: "neither runuser nor su"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rootRunner(tt.user, tt.lookPath)
			require.ErrorIs(t, err, ErrRootSetup)
			assert.Contains(t, err.Error(), tt.wantText)
			assert.Contains(t, err.Error(), "normal user")
		})
	}
}

func TestMayEnter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	info := func(t *testing.T, mode os.FileMode) os.FileInfo {
		t.Helper()
		require.NoError(t, os.Chmod(dir, mode))
		fi, err := os.Stat(dir)
		require.NoError(t, err)
		return fi
	}
	owner := os.Geteuid()
	group := os.Getegid()
	stranger, otherGroup := 54321, 54321
	tests := []struct {
		name string
		mode os.FileMode
		uid  int
		gids []int
		want bool
	}{
		{name: "owner with u+x", mode: 0o700, uid: owner, want: true},
		{name: "group member with g+x only", mode: 0o710, uid: stranger, gids: []int{group}, want: true},
		{name: "group member without g+x", mode: 0o701, uid: stranger, gids: []int{group}, want: false},
		{name: "other with o+x", mode: 0o711, uid: stranger, gids: []int{otherGroup}, want: true},
		{name: "other without o+x", mode: 0o770, uid: stranger, gids: []int{otherGroup}, want: false},
		{name: "root always", mode: 0o000, uid: 0, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if owner == 0 && tt.uid == owner && tt.name != "root always" {
				t.Skip("owner case is the root case when running as root")
			}
			assert.Equal(t, tt.want, mayEnter(info(t, tt.mode), tt.uid, tt.gids))
		})
	}
}

// As root, a checkout the server user cannot reach (under /root, say) gets
// its cluster in a directory of its own under the temp directory instead.
func TestEnsure_rootRelocatesAnUnreachableDir(t *testing.T) {
	requireRoot(t)
	requireServerBinaries(t)
	t.Parallel()
	dir := t.TempDir()
	private := filepath.Dir(dir) // t.TempDir() makes both levels 0700, owned by root
	require.NoError(t, os.Chmod(dir, 0o755))
	cfg := Config{Dir: filepath.Join(dir, "pg"), Port: freePort(t)}
	var log bytes.Buffer
	cfg.Log = &log

	cl, err := Ensure(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = Stop(context.Background(), cfg)
		_ = os.RemoveAll(cl.Dir)
	})
	assert.True(t, strings.HasPrefix(cl.Dir, os.TempDir()), "relocated: %s", cl.Dir)
	assert.NotContains(t, cl.Dir, private)
	assert.Contains(t, log.String(), "cannot enter the directories above")
	again, err := Ensure(context.Background(), Config{Dir: cfg.Dir, Port: cfg.Port})
	require.NoError(t, err)
	assert.Equal(t, cl.Dir, again.Dir, "the same checkout finds the same cluster")
	assert.False(t, again.StartedNow)
	running, err := Status(context.Background(), cfg)
	require.NoError(t, err)
	assert.True(t, running)
	_, err = os.Stat(cfg.Dir)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing was made in the unreachable place")
	_ = private
}

func TestEnsure_rootHandsDirToPostgres(t *testing.T) {
	requireRoot(t)
	requireServerBinaries(t)
	t.Parallel()
	cfg := testConfig(t, &syncBuffer{})
	cl, err := Ensure(context.Background(), cfg)
	require.NoError(t, err)

	run, err := newRunner()
	require.NoError(t, err)
	for _, path := range []string{cl.Dir, filepath.Join(cl.Dir, "socket"), filepath.Join(cl.Dir, "server.log"), filepath.Join(cl.Dir, settingsFile)} {
		info, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, uint32(run.uid), info.Sys().(*syscall.Stat_t).Uid, path)
	}
}

// A Dir whose parents do not exist yet is not moved when the nearest existing
// one is reachable: Ensure makes the rest (a fresh checkout's first run).
func TestEffectiveDir_keepsADirWhoseParentsAreNotMadeYet(t *testing.T) {
	requireRoot(t)
	base, err := os.MkdirTemp("", "devdb-fresh-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	require.NoError(t, os.Chmod(base, 0o755))
	dir := filepath.Join(base, "checkout", ".data", "postgres")
	assert.Equal(t, dir, EffectiveDir(Config{Dir: dir}))

	private := t.TempDir() // 0700 parents: moved
	assert.NotEqual(t, filepath.Join(private, ".data", "postgres"), EffectiveDir(Config{Dir: filepath.Join(private, ".data", "postgres")}))
}
