package devdb

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// settingsFile holds the settings devdb manages; postgresql.conf includes it.
// It is rewritten before every start, so a changed Config.Port takes effect.
const settingsFile = "sparrow.conf"

const includeLine = "include_if_exists = '" + settingsFile + "'\t# added by sparrow devdb"

// settings are development values. Durability settings (fsync,
// synchronous_commit, full_page_writes) are deliberately left at their safe
// defaults.
func settings(port int, socketDir string) string {
	return fmt.Sprintf(`# Managed by sparrow devdb (internal/devdb): rewritten before every start.
# Put your own settings in postgresql.auto.conf (ALTER SYSTEM), which wins over this file.
listen_addresses = '127.0.0.1'
port = %d
unix_socket_directories = %s
max_connections = 200
shared_buffers = 256MB
# Checkpoints: at the default max_wal_size (1GB) PostgreSQL checkpoints after
# about 540 MB of WAL, which a few thousand events a second write in a
# minute; after each checkpoint the first change to every page logs the whole
# page, so the log's own writes and the projectors' commits slow down at once
# (make bench: one such checkpoint in every capacity run). Any write-heavy
# PostgreSQL is given more room; docker-compose.yml sets the same.
max_wal_size = 4GB
checkpoint_timeout = '15min'
# Event consumers read only below the oldest running transaction id of the
# whole cluster: a session forgotten inside a transaction would stall them all.
idle_in_transaction_session_timeout = '60s'
`, port, confQuote(socketDir))
}

// confQuote quotes a postgresql.conf string value.
func confQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// writeSettings writes settingsFile, makes postgresql.conf include it, and
// creates the socket directory.
func (m manager) writeSettings() error {
	if err := m.makeSocketDir(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(m.p.dir, settingsFile), []byte(settings(m.cfg.Port, m.p.socketDir)), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", settingsFile, err)
	}
	conf := filepath.Join(m.p.dir, "postgresql.conf")
	data, err := os.ReadFile(conf)
	if err != nil {
		return fmt.Errorf("read postgresql.conf: %w", err)
	}
	if bytes.Contains(data, []byte(includeLine)) {
		return nil
	}
	f, err := os.OpenFile(conf, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("open postgresql.conf: %w", err)
	}
	_, err = fmt.Fprintf(f, "\n%s\n", includeLine)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("append to postgresql.conf: %w", err)
	}
	return nil
}

// makeSocketDir creates the socket directory with mode 0700. One outside Dir (in
// os.TempDir()) must be a real directory owned by us or the server user, so that
// nobody else can plant it.
func (m manager) makeSocketDir() error {
	if isWithin(m.p.socketDir, m.p.dir) {
		if err := os.MkdirAll(m.p.socketDir, 0o700); err != nil {
			return fmt.Errorf("create socket directory: %w", err)
		}
		return nil
	}
	err := os.Mkdir(m.p.socketDir, 0o700)
	if err == nil || !errors.Is(err, os.ErrExist) {
		if err != nil {
			return fmt.Errorf("create socket directory: %w", err)
		}
		return nil
	}
	info, err := os.Lstat(m.p.socketDir)
	if err != nil {
		return fmt.Errorf("stat socket directory: %w", err)
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !info.IsDir() || (ok && int(st.Uid) != os.Geteuid() && int(st.Uid) != m.run.uid) {
		return fmt.Errorf("socket directory %s exists but is not a directory owned by you; remove it", m.p.socketDir)
	}
	return nil
}

// shortSocketDir is the socket directory used when one inside dir would make the
// socket path too long: one directory per cluster, named by a hash of dir.
func shortSocketDir(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join(os.TempDir(), "sparrow-pg-"+hex.EncodeToString(sum[:6]))
}
