// Package store keeps the hub's state in SQLite: the submissions it has
// decided on, each partner's manifest chain, the accepted records and the
// quarantine log.
//
// It guarantees that:
//   - a submission's records, its decision and the partner's chain head
//     change in one transaction, so a hub killed at any point either has
//     all of a submission or none of it;
//   - the database, which holds decrypted records, and SQLite's -wal and
//     -shm files beside it are readable by their owner only: Open creates
//     the database with mode 0600 and refuses one that group or others
//     may read;
//   - one process at a time uses a store (on Unix, through an advisory
//     lock on a .lock file beside the database);
//   - listings and exports read through their own connections, so a
//     client reading an export slowly does not hold up the intake;
//   - Records and MergedRecords give each record's classification, for
//     the caller's access policy to decide on.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

var (
	// ErrNotFound is returned when a row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrLocked is returned by Open when another process has the store
	// open.
	ErrLocked = errors.New("store in use")
	// ErrInsecureFile is returned by Open when group or others may read
	// or write the database or SQLite's files beside it.
	ErrInsecureFile = errors.New("store open to group or others")
	// ErrBadCursor is returned for a page cursor the store did not make.
	ErrBadCursor = errors.New("invalid cursor")
)

// Store is the hub's SQLite database.
type Store struct {
	w       *sql.DB       // the one writer, and the reads the intake decides on
	r       *sql.DB       // query_only readers for listings and exports
	exports chan struct{} // a slot per running export
	lock    *os.File      // held while open; nil where there is no lock

	closeOnce sync.Once
	closeErr  error
}

const schemaSQL = `
CREATE TABLE IF NOT EXISTS submissions (
	partner        TEXT NOT NULL,
	id             TEXT NOT NULL,
	seq            INTEGER NOT NULL,
	manifest_hash  TEXT NOT NULL,
	manifest       BLOB NOT NULL,
	kid            TEXT NOT NULL,
	dataset        TEXT NOT NULL,
	period         TEXT NOT NULL,
	schema_version TEXT NOT NULL,
	classification TEXT NOT NULL,
	created        TEXT NOT NULL,
	status         TEXT NOT NULL,
	reason         TEXT NOT NULL DEFAULT '',
	detail         TEXT NOT NULL DEFAULT '',
	records        INTEGER NOT NULL DEFAULT 0,
	decided        TEXT NOT NULL,
	settled        INTEGER NOT NULL DEFAULT 0,
	withdraw       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (partner, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS submissions_seq ON submissions (partner, seq);
CREATE INDEX IF NOT EXISTS submissions_decided ON submissions (decided, partner, seq);
CREATE TABLE IF NOT EXISTS chain (
	partner TEXT PRIMARY KEY,
	seq     INTEGER NOT NULL,
	hash    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
	partner    TEXT NOT NULL,
	submission TEXT NOT NULL,
	n          INTEGER NOT NULL,
	dataset    TEXT NOT NULL,
	period     TEXT NOT NULL,
	data       TEXT NOT NULL,
	PRIMARY KEY (partner, submission, n)
);
CREATE INDEX IF NOT EXISTS records_dataset ON records (dataset, period);
CREATE TABLE IF NOT EXISTS quarantine (
	n          INTEGER PRIMARY KEY AUTOINCREMENT,
	object     TEXT NOT NULL,
	partner    TEXT NOT NULL,
	submission TEXT NOT NULL,
	manifest_hash TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL,
	detail     TEXT NOT NULL,
	at         TEXT NOT NULL,
	settled    INTEGER NOT NULL DEFAULT 0
);
`

// Connection limits. The writer is one connection: SQLite allows one
// writer at a time, and one connection keeps the intake's reads and
// writes in order. Readers serve listings and exports beside it (WAL
// lets them read while the writer writes); exports, which hold a
// connection for as long as a client reads, may take only maxExports of
// them, so that listings, including the intake's own, always find one.
const (
	maxExports    = 4
	readerConns   = maxExports + 2
	busyTimeoutMS = 10000
)

// Open opens the database at path, creating it with mode 0600 if it does
// not exist. It refuses a database that group or others may read, and
// one that another process has open through Open: the store holds
// decrypted records and its chains assume a single intake. Close
// releases it.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("open store: no path")
	}
	lock, err := lockStore(path)
	if err != nil {
		return nil, err
	}
	s, err := open(ctx, path)
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, err
	}
	s.lock = lock
	return s, nil
}

func open(ctx context.Context, path string) (*Store, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	if err := checkPrivate(path); err != nil {
		return nil, err
	}
	uri, err := fileURI(path)
	if err != nil {
		return nil, err
	}
	busy := fmt.Sprintf("_pragma=busy_timeout(%d)", busyTimeoutMS)
	w, err := sql.Open("sqlite", uri+"?"+busy+"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=journal_size_limit(67108864)")
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	w.SetMaxOpenConns(1)
	if _, err := w.ExecContext(ctx, schemaSQL+mergeSchemaSQL); err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", uri+"?"+busy+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	r.SetMaxOpenConns(readerConns)
	r.SetMaxIdleConns(readerConns)
	s := &Store{w: w, r: r, exports: make(chan struct{}, maxExports)}
	// SQLite made its -wal and -shm files by now, with the mode of the
	// database; check rather than trust it.
	err = s.r.PingContext(ctx)
	if err == nil {
		err = checkPrivate(path)
	}
	if err != nil {
		s.closeDBs()
		return nil, err
	}
	return s, nil
}

// migrate brings a database made by an earlier version up to date:
// schemaSQL creates what is missing but adds no column to a table that
// exists.
func migrate(ctx context.Context, w *sql.DB) error {
	var n int
	err := w.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('submissions') WHERE name = 'withdraw'`).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	_, err = w.ExecContext(ctx, `ALTER TABLE submissions ADD COLUMN withdraw INTEGER NOT NULL DEFAULT 0`)
	return err
}

// Close closes the database and releases the store for another process.
// Closing twice does no harm.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closeErr = s.closeDBs()
		if s.lock != nil {
			s.closeErr = errors.Join(s.closeErr, s.lock.Close())
		}
	})
	return s.closeErr
}

func (s *Store) closeDBs() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// Ping checks that the database answers. It asks a reader, so a long
// intake transaction does not make the hub look dead.
func (s *Store) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

const timeFormat = time.RFC3339Nano

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}
