package devdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockPoll is how often a blocked lockDir retries; flock itself cannot be
// cancelled by a context, so the lock is taken non-blocking in a loop.
const lockPoll = 50 * time.Millisecond

// lockDir takes the exclusive flock that serialises every operation on one
// cluster, across goroutines and processes (flock locks belong to the open file,
// so two opens in one process also exclude each other). The returned func
// releases it.
func lockDir(ctx context.Context, p paths, log io.Writer, shownDir string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(p.lock), 0o755); err != nil {
		return nil, fmt.Errorf("create parent of Dir: %w%s", err, permissionHint(err))
	}
	f, err := os.OpenFile(p.lock, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w%s", err, permissionHint(err))
	}
	waiting := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", p.lock, err)
		}
		if !waiting {
			logf(log, "postgres: waiting for another process using the cluster in %s", shownDir)
			waiting = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", p.lock, ctx.Err())
		case <-time.After(lockPoll):
		}
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}

// permissionHint explains the usual cause of a permission error here: the
// project directory (or a cluster made by root) belongs to another user.
func permissionHint(err error) string {
	if !errors.Is(err, fs.ErrPermission) {
		return ""
	}
	return " (the directory belongs to another user: run Sparrow as that user, set Dir to a directory you own, or set DATABASE_URL to an existing database)"
}
