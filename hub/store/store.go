// Package store keeps the hub's state in SQLite: the submissions it has
// decided on, each partner's manifest chain, the accepted records and the
// quarantine log. A submission's records, its decision and the partner's
// chain head change in one transaction, so a hub killed at any point
// either has all of a submission or none of it.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// Store is the hub's SQLite database.
type Store struct {
	db *sql.DB
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
	PRIMARY KEY (partner, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS submissions_seq ON submissions (partner, seq);
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

// Open opens (and creates) the database at path. ":memory:" is not
// supported: the hub's state must survive a restart.
func Open(ctx context.Context, path string) (*Store, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	// One writer at a time is what SQLite allows; one connection keeps
	// the pragmas and avoids busy errors inside the hub.
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, schemaSQL); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

const timeFormat = time.RFC3339Nano

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}
