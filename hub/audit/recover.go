package audit

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/thbx/thbx/certs"
)

// load checks the file's mode and whole chain, takes the lock, and
// resumes seq and hash from the last entry. It repairs a torn last line.
func (l *Log) load() error {
	info, err := l.f.Stat()
	if err != nil {
		return fmt.Errorf("open audit log: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("open audit log: %s is not a regular file", l.path)
	}
	// Windows reports no useful permission bits; its ACLs decide there.
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return fmt.Errorf("open audit log: %s has mode %04o: %w (run: chmod 600 %s)", l.path, perm, ErrInsecureFile, l.path)
	}
	if err := lockFile(l.f); err != nil {
		return fmt.Errorf("open audit log %s: %w", l.path, err)
	}
	if info.Size() == 0 {
		// Perhaps just created: make its name as durable as its entries
		// will be.
		if err := certs.SyncDir(l.dir()); err != nil {
			return fmt.Errorf("open audit log: %w", err)
		}
	}

	size := info.Size()
	lr := newLineReader(io.NewSectionReader(l.f, 0, size))
	var c chain
	for {
		line, start, err := lr.next()
		switch {
		case err == io.EOF:
			l.seq, l.hash, l.size, l.synced = c.seq, c.hash, size, size
			return nil
		case err == errTorn:
			l.seq, l.hash, l.size, l.synced = c.seq, c.hash, start, start
			return l.repairTorn(start, size)
		case err == errTooLong:
			c.line++
			return fmt.Errorf("open audit log %s: %w (keep the file for the auditors and start a new log)", l.path, c.fail(ProblemTooLong))
		case err != nil:
			return fmt.Errorf("open audit log %s: read: %w", l.path, err)
		}
		if _, te := c.add(line); te != nil {
			return fmt.Errorf("open audit log %s: %w (keep the file for the auditors and start a new log)", l.path, te)
		}
	}
}

// repairTorn handles the bytes from start to size that follow the last
// newline. A crash during a write leaves them; the entry they began was
// never acknowledged (Append returns after fsync), so no caller relies on
// it and no checkpoint names it. They are copied to a file beside the log
// before they are cut off, and the repair is logged and appended to the
// chain: nothing is dropped silently.
func (l *Log) repairTorn(start, size int64) error {
	n := size - start
	saved, err := l.saveTorn(start, n)
	if err != nil {
		return fmt.Errorf("open audit log %s: save the torn last line: %w", l.path, err)
	}
	if err := l.f.Truncate(start); err != nil {
		return fmt.Errorf("open audit log %s: cut the torn last line: %w", l.path, err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("open audit log %s: %w", l.path, err)
	}
	l.log.Warn("audit log: removed an incomplete last line, left by a crash during a write",
		"path", l.path, "offset", start, "bytes", n, "saved_to", saved, "last_seq", l.seq)
	_, err = l.Append(Event{
		Actor:    Actor{Kind: KindHub, Subject: "audit"},
		Action:   ActionLogRecovered,
		Decision: Allow,
		Reason:   "torn_line_removed",
		Details: map[string]string{
			"offset":   strconv.FormatInt(start, 10),
			"bytes":    strconv.FormatInt(n, 10),
			"saved_to": filepath.Base(saved),
		},
	})
	if err != nil {
		return fmt.Errorf("open audit log %s: record the repair: %w", l.path, err)
	}
	return nil
}

// saveTorn copies n bytes from start to a new file beside the log.
func (l *Log) saveTorn(start, n int64) (path string, err error) {
	f, err := os.CreateTemp(l.dir(), filepath.Base(l.path)+".torn-*") // mode 0600
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = io.Copy(f, io.NewSectionReader(l.f, start, n)); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return f.Name(), certs.SyncDir(l.dir())
}
