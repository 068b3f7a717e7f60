package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/thbx/thbx/submission"
)

// Record is one accepted record as stored.
type Record struct {
	Partner    string
	Submission string
	N          int64
	Data       string
	// Classification is the submission's: standard or restricted. The
	// reader decides, by its access policy, who may see which.
	Classification string
}

// Records calls fn for each record in force of a dataset and period (of
// each partner's submission in force: its last accepted one, none after
// a withdrawal; see InForce) in a stable order, without holding them all
// in memory, with its submission's classification: the caller must
// decide by its access policy which it may pass on. A submission
// classified anything but standard or restricted, which the intake never
// accepts, yields none.
//
// An export reads through its own connection for as long as fn takes, so
// a slow client holds up no write; at most maxExports run at once, and
// one more waits for a slot or for ctx.
func (s *Store) Records(ctx context.Context, dataset, period string, fn func(Record) error) error {
	select {
	case s.exports <- struct{}{}:
		defer func() { <-s.exports }()
	case <-ctx.Done():
		return ctx.Err()
	}
	rows, err := s.r.QueryContext(ctx, `SELECT r.partner, r.submission, r.n, r.data, s.classification FROM records r
		JOIN submissions s ON s.partner = r.partner AND s.id = r.submission
			AND s.status = 'accepted' AND s.withdraw = 0 AND s.classification IN (?, ?)
			AND s.seq = (SELECT max(t.seq) FROM submissions t WHERE t.partner = s.partner AND t.dataset = s.dataset
				AND t.period = s.period AND t.status = 'accepted')
		WHERE r.dataset = ? AND r.period = ? ORDER BY r.partner, r.submission, r.n`,
		submission.Standard, submission.Restricted, dataset, period)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.Partner, &r.Submission, &r.N, &r.Data, &r.Classification); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountRecords counts accepted records per partner, of every
// classification: it reports what the intake took in, not what may be
// exported.
func (s *Store) CountRecords(ctx context.Context) (map[string]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.partner, count(*) FROM records r
		JOIN submissions s ON s.partner = r.partner AND s.id = r.submission AND s.status = 'accepted'
		GROUP BY r.partner`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var p string
		var n int64
		if err := rows.Scan(&p, &n); err != nil {
			return nil, err
		}
		out[p] = n
	}
	return out, rows.Err()
}

// Quarantined is an object the hub refused without deciding on a
// submission: it was not authentic, did not fit the partner's chain, or
// was damaged in transit.
type Quarantined struct {
	N            int64     `json:"n"`
	Object       string    `json:"object"`
	Partner      string    `json:"partner"`
	Submission   string    `json:"submission"`
	ManifestHash string    `json:"manifest_hash,omitempty"`
	Reason       string    `json:"reason"`
	Detail       string    `json:"detail"`
	At           time.Time `json:"at"`
	Settled      bool      `json:"settled"`
}

// AddQuarantine records a refusal before the objects are moved, so that a
// restart finishes the move.
func (s *Store) AddQuarantine(ctx context.Context, q *Quarantined) error {
	res, err := s.w.ExecContext(ctx, `INSERT INTO quarantine (object, partner, submission, manifest_hash, reason, detail, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, q.Object, q.Partner, q.Submission, q.ManifestHash, q.Reason, q.Detail, formatTime(q.At))
	if err != nil {
		return err
	}
	q.N, err = res.LastInsertId()
	return err
}

// Quarantine lists refusals, oldest first; unsettled only when asked.
func (s *Store) Quarantine(ctx context.Context, unsettled bool) ([]Quarantined, error) {
	qs, _, err := s.QuarantinePage(ctx, unsettled, Page{})
	return qs, err
}

// QuarantinePage lists a page of refusals, oldest first, unsettled only
// when asked, and the cursor of the next page, "" after the last.
func (s *Store) QuarantinePage(ctx context.Context, unsettled bool, p Page) (qs []Quarantined, next string, err error) {
	if p.Limit < 0 {
		return nil, "", fmt.Errorf("list quarantine: negative limit %d", p.Limit)
	}
	var after int64
	if p.After != "" {
		// The cursor is the row number n, in its one decimal spelling.
		after, err = strconv.ParseInt(p.After, 10, 64)
		if err != nil || after < 0 || strconv.FormatInt(after, 10) != p.After {
			return nil, "", ErrBadCursor
		}
	}
	q := `SELECT n, object, partner, submission, manifest_hash, reason, detail, at, settled FROM quarantine WHERE n > ?`
	args := []any{after}
	if unsettled {
		q += ` AND settled = 0`
	}
	q += ` ORDER BY n`
	qs, more, err := queryPage(ctx, s.r, q, args, p.Limit, func(rows *sql.Rows) (Quarantined, error) {
		var r Quarantined
		var at string
		if err := rows.Scan(&r.N, &r.Object, &r.Partner, &r.Submission, &r.ManifestHash, &r.Reason, &r.Detail, &at, &r.Settled); err != nil {
			return Quarantined{}, err
		}
		r.At = parseTime(at)
		return r, nil
	})
	if err != nil {
		return nil, "", err
	}
	if more {
		next = strconv.FormatInt(qs[len(qs)-1].N, 10)
	}
	return qs, next, nil
}

// MarkQuarantineSettled notes that a refusal's objects were moved.
func (s *Store) MarkQuarantineSettled(ctx context.Context, n int64) error {
	_, err := s.w.ExecContext(ctx, `UPDATE quarantine SET settled = 1 WHERE n = ?`, n)
	return err
}

// HasQuarantine reports whether an object key was already recorded. It
// reads through the writer, as the intake decides on it.
func (s *Store) HasQuarantine(ctx context.Context, object string) (bool, error) {
	var n int
	err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM quarantine WHERE object = ?`, object).Scan(&n)
	return n > 0, err
}
