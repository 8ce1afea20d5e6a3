package devdb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverUser is the system account the server runs as when the caller is root.
const serverUser = "postgres"

// runner runs the PostgreSQL programs that refuse to run as root (initdb, pg_ctl
// and the postgres it starts): directly for a normal user, as serverUser for root.
type runner struct {
	// switchUser is empty for a normal user, else "runuser" or "su" (their path).
	switchUser string
	viaSu      bool
	name       string // the account's user name
	uid, gid   int    // the account the programs run as
	gids       []int  // its groups, for permission checks
}

func newRunner() (runner, error) {
	if os.Geteuid() != 0 {
		return runner{uid: os.Geteuid(), gid: os.Getegid(), gids: currentGroups(), name: "current user"}, nil
	}
	return rootRunner(serverUser, exec.LookPath)
}

func currentGroups() []int {
	gids, err := os.Getgroups()
	if err != nil {
		gids = nil
	}
	return append(gids, os.Getegid())
}

func rootRunner(name string, lookPath func(string) (string, error)) (runner, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return runner{}, fmt.Errorf("%w: PostgreSQL refuses to run as root and there is no %q user to run it as (%v); "+
			"create one (sudo useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh %s) "+
			"or run Sparrow as a normal user", ErrRootSetup, name, err, name)
	}
	r := runner{name: u.Username}
	r.uid, _ = strconv.Atoi(u.Uid)
	r.gid, _ = strconv.Atoi(u.Gid)
	r.gids = []int{r.gid}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.Atoi(id); err == nil {
				r.gids = append(r.gids, g)
			}
		}
	}
	if p, err := lookPath("runuser"); err == nil {
		r.switchUser = p
		return r, nil
	}
	if p, err := lookPath("su"); err == nil {
		r.switchUser, r.viaSu = p, true
		return r, nil
	}
	return runner{}, fmt.Errorf("%w: PostgreSQL refuses to run as root and neither runuser nor su is installed to run it as %q; "+
		"install util-linux or run Sparrow as a normal user", ErrRootSetup, name)
}

func (r runner) asOtherUser() bool { return r.switchUser != "" }

// command builds the exec.Cmd for prog args, switching user when needed. Every
// path passed is absolute, so the working directory is "/" (which the server user
// can always enter, unlike root's home).
func (r runner) command(ctx context.Context, prog string, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	switch {
	case !r.asOtherUser():
		cmd = exec.CommandContext(ctx, prog, args...)
	case r.viaSu:
		cmd = exec.CommandContext(ctx, r.switchUser, r.name, "-s", "/bin/sh", "-c", shellJoin(append([]string{"exec", prog}, args...)))
	default:
		cmd = exec.CommandContext(ctx, r.switchUser, append([]string{"-u", r.name, "--", prog}, args...)...)
	}
	cmd.Dir = "/"
	cmd.Env = serverEnv(os.Environ())
	// pg_ctl start leaves the postmaster running; should it ever hold our output
	// pipe open, do not wait for it forever.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run executes prog and returns its combined output.
func (r runner) run(ctx context.Context, prog string, args ...string) (string, error) {
	out, err := r.command(ctx, prog, args...).CombinedOutput()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil
	}
	return strings.TrimSpace(string(out)), err
}

// serverEnv drops the libpq/server variables (PGDATA, PGPORT, ...) of the caller so
// the cluster is configured only by its files and flags, and forces messages in
// English so errors can be recognised.
func serverEnv(env []string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_MESSAGES=") || strings.HasPrefix(kv, "LC_ALL=") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "LC_MESSAGES=C")
}

// shellJoin quotes words for /bin/sh.
func shellJoin(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(quoted, " ")
}

// prepareOwnership makes dir (and extra directories such as a socket directory
// outside it) owned by the server user, and checks that user can reach dir. It is
// a no-op for a normal user, who owns what they create.
func (r runner) prepareOwnership(dir string, extra ...string) error {
	if !r.asOtherUser() {
		return nil
	}
	if err := r.checkTraversable(filepath.Dir(dir)); err != nil {
		return err
	}
	for _, d := range append([]string{dir}, extra...) {
		err := filepath.WalkDir(d, func(path string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := os.Lstat(path)
			if err != nil {
				return err
			}
			if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) == r.uid && int(st.Gid) == r.gid {
				return nil
			}
			return os.Lchown(path, r.uid, r.gid)
		})
		if err != nil {
			return fmt.Errorf("hand %s to user %s: %w", d, r.name, err)
		}
	}
	return nil
}

// checkTraversable returns ErrRootSetup naming the first directory on the way to
// dir (inclusive) that the server user may not enter.
func (r runner) checkTraversable(dir string) error {
	var chain []string
	for d := dir; ; d = filepath.Dir(d) {
		chain = append(chain, d)
		if d == filepath.Dir(d) {
			break
		}
	}
	slices.Reverse(chain)
	for _, d := range chain {
		info, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("stat %s: %w", d, err)
		}
		if !mayEnter(info, r.uid, r.gids) {
			return fmt.Errorf("%w: PostgreSQL refuses to run as root, so the cluster runs as user %q, "+
				"but that user cannot enter %s (mode %#o, owner uid %d): "+
				"run `chmod o+x %s`, choose a Dir outside it, or run Sparrow as a normal user",
				ErrRootSetup, r.name, d, uint32(info.Mode().Perm()), ownerUID(info), d)
		}
	}
	return nil
}

// mayEnter applies the Unix permission rules for search (x) permission.
func mayEnter(info fs.FileInfo, uid int, gids []int) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	perm := info.Mode().Perm()
	switch {
	case uid == 0:
		return true
	case int(st.Uid) == uid:
		return perm&0o100 != 0
	case slices.Contains(gids, int(st.Gid)):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

func ownerUID(info fs.FileInfo) int {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}
