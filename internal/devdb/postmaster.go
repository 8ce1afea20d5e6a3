package devdb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// serverState is what postmaster.pid says about the cluster.
type serverState struct {
	pidFile bool   // postmaster.pid exists
	pid     int    // its first line
	port    int    // its fourth line
	status  string // its eighth line: starting, ready, stopping, standby
	running bool   // pid is a live postgres process
}

// postmaster.pid line numbers (PostgreSQL's LOCK_FILE_LINE_* minus one).
const (
	pidLinePID    = 0
	pidLinePort   = 3
	pidLineStatus = 7
)

func readServerState(p paths) (serverState, error) {
	data, err := os.ReadFile(filepath.Join(p.dir, "postmaster.pid"))
	if errors.Is(err, os.ErrNotExist) {
		return serverState{}, nil
	}
	if err != nil {
		return serverState{}, fmt.Errorf("read postmaster.pid: %w", err)
	}
	lines := strings.Split(string(data), "\n")
	st := serverState{pidFile: true}
	field := func(i int) string {
		if i < len(lines) {
			return strings.TrimSpace(lines[i])
		}
		return ""
	}
	st.pid, _ = strconv.Atoi(field(pidLinePID))
	st.port, _ = strconv.Atoi(field(pidLinePort))
	st.status = field(pidLineStatus)
	// An empty or garbled file (a crash while it was written) has no pid and is
	// stale: PostgreSQL itself refuses to start while it exists.
	st.running = isPostgresProcess(st.pid)
	return st, nil
}

// isPostgresProcess reports whether pid is alive and, where /proc can tell, runs
// the postgres (or postmaster) program. A crash can leave a postmaster.pid whose
// pid has since been reused by an unrelated process; that file is stale.
func isPostgresProcess(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		// Without /proc (macOS) the live process is assumed to be the server; with
		// /proc, a missing entry means it exited since the kill.
		_, noProc := os.Stat("/proc/self")
		return noProc != nil
	}
	name := strings.TrimSpace(string(comm))
	return (name == "postgres" || name == "postmaster") && !isZombie(pid)
}

// isZombie reports whether pid has exited but not been reaped (state Z or X in
// /proc/PID/stat): a killed postmaster whose parent does not reap it still
// answers kill(pid, 0).
func isZombie(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 || i+2 >= len(stat) {
		return false
	}
	state := stat[i+2]
	return state == 'Z' || state == 'X'
}

// removeStaleLocks deletes a postmaster.pid whose process is gone, and socket lock
// files in the socket directory likewise left behind, so that a start after a
// crash is not refused because the recorded pid now belongs to someone else.
func removeStaleLocks(p paths, port int) (removed []string, err error) {
	pidFile := filepath.Join(p.dir, "postmaster.pid")
	st, err := readServerState(p)
	if err != nil {
		return nil, err
	}
	if st.pidFile && !st.running {
		if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("remove stale postmaster.pid: %w", err)
		}
		removed = append(removed, fmt.Sprintf("postmaster.pid (pid %d is not a running postgres)", st.pid))
	}
	sockLock := socketPath(p.socketDir, port) + ".lock"
	if data, err := os.ReadFile(sockLock); err == nil {
		pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0]))
		if !isPostgresProcess(pid) {
			if err := os.Remove(sockLock); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("remove stale socket lock: %w", err)
			}
			removed = append(removed, filepath.Base(sockLock))
		}
	}
	return removed, nil
}
