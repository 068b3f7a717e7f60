package audit

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

var (
	// ErrInsecureFile is returned by Open for a log that group or others
	// may read or write.
	ErrInsecureFile = errors.New("audit log is accessible to others")
	// ErrLocked is returned by Open when another Log holds the file.
	ErrLocked = errors.New("audit log is in use by another process")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("audit log is closed")
	// ErrNoKey is returned by Checkpoint when Config.Key is not set.
	ErrNoKey = errors.New("audit log has no checkpoint signing key")
)

// Config says where the log lives and how it signs. Only Path is
// required.
type Config struct {
	// Path is the log file. Open creates it with mode 0600 when it does
	// not exist, and refuses it when group or others may read or write.
	Path string
	// Key signs checkpoints: the hub's own Ed25519 key. Without it the
	// log works but Checkpoint returns ErrNoKey.
	Key ed25519.PrivateKey
	// Now is the clock that stamps entries and checkpoints; nil means
	// time.Now. Times are stored in UTC.
	Now func() time.Time
	// Logger hears about recovery from a crash; nil means slog.Default().
	Logger *slog.Logger
}

// Log is an open audit log. Its methods are safe for concurrent use.
type Log struct {
	f    *os.File
	path string
	key  ed25519.PrivateKey
	now  func() time.Time
	log  *slog.Logger

	mu     sync.Mutex // guards the fields below and the order of writes
	seq    uint64     // of the last entry written
	hash   Hash       // of the last entry written
	size   int64      // bytes of whole lines in the file
	err    error      // once set, Append refuses: closed, or a failed write or fsync
	closed bool

	syncMu  sync.Mutex // held across fsync, so that waiting appends share one
	synced  int64      // bytes known to be on stable storage
	syncErr error
}

// Open opens the log at cfg.Path, creating it if needed, takes an
// exclusive lock on it and checks its whole chain. A last line cut short
// by a crash is saved beside the log, removed and recorded (see the
// package documentation); any other damage is a *TamperError.
func Open(cfg Config) (*Log, error) {
	if cfg.Path == "" {
		return nil, errors.New("open audit log: no path")
	}
	l := &Log{path: cfg.Path, key: cfg.Key, now: cfg.Now, log: cfg.Logger}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	f, err := os.OpenFile(cfg.Path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit log: %w", err)
	}
	l.f = f
	if err := l.load(); err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}

// Append logs ev and returns the entry as written. It returns once the
// entry is on stable storage. An error means the event is not logged, and
// the action it describes must not go ahead.
func (l *Log) Append(ev Event) (Entry, error) {
	if err := ev.validate(); err != nil {
		return Entry{}, err
	}
	l.mu.Lock()
	if l.err != nil {
		err := l.err
		l.mu.Unlock()
		return Entry{}, err
	}
	// The clock is read under the lock, so that times follow seq
	// whenever the clock does.
	e := Entry{Seq: l.seq + 1, Time: l.now().UTC(), Event: ev.clone(), Prev: l.hash}
	line, err := encodeLine(&e)
	if err != nil {
		l.mu.Unlock()
		return Entry{}, err
	}
	if _, err := l.f.Write(line); err != nil {
		// Part of the line may be in the file: only Open can tell, and
		// repair it.
		err = fmt.Errorf("audit log broken, reopen it: write entry %d: %w", e.Seq, err)
		l.err = err
		l.mu.Unlock()
		return Entry{}, err
	}
	l.seq, l.hash = e.Seq, e.Hash
	l.size += int64(len(line))
	end := l.size
	l.mu.Unlock()

	if err := l.syncTo(end); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// syncTo returns once the first end bytes are on stable storage. Appends
// that wait here while another fsyncs are then covered by a single fsync
// of everything written so far: at most one fsync runs at a time, and
// each covers every entry written before it began.
func (l *Log) syncTo(end int64) error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	if l.synced >= end {
		return nil
	}
	if l.syncErr != nil {
		return l.syncErr
	}
	l.mu.Lock()
	target := l.size
	l.mu.Unlock()
	if err := l.f.Sync(); err != nil {
		// After a failed fsync the kernel may have dropped the pages;
		// trying again could report success for data that is gone.
		l.syncErr = fmt.Errorf("audit log broken, reopen it: fsync: %w", err)
		l.mu.Lock()
		if l.err == nil {
			l.err = l.syncErr
		}
		l.mu.Unlock()
		return l.syncErr
	}
	l.synced = target
	return nil
}

// Head returns the seq and hash of the last entry written (0 and the zero
// hash for an empty log).
func (l *Log) Head() (uint64, Hash) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq, l.hash
}

// Checkpoint signs the seq and hash of the last entry, once that entry
// is on stable storage, with Config.Key.
func (l *Log) Checkpoint() (Checkpoint, error) {
	if l.key == nil {
		return Checkpoint{}, ErrNoKey
	}
	l.mu.Lock()
	seq, h, end, err := l.seq, l.hash, l.size, l.err
	l.mu.Unlock()
	if err != nil {
		return Checkpoint{}, err
	}
	if err := l.syncTo(end); err != nil {
		return Checkpoint{}, err
	}
	return signCheckpoint(l.key, seq, h, l.now())
}

// Close waits for appends in flight to reach the disk, then closes the
// file and releases its lock.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	l.closed = true
	l.err = ErrClosed
	size := l.size
	l.mu.Unlock()

	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	var err error
	if l.syncErr == nil && l.synced < size {
		if err = l.f.Sync(); err == nil {
			l.synced = size
		} else {
			l.syncErr = fmt.Errorf("audit log: fsync on close: %w", err)
		}
	}
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (l *Log) dir() string { return filepath.Dir(l.path) }
