package store

import (
	"context"
	"time"
)

// Record is one accepted record as stored.
type Record struct {
	Partner    string
	Submission string
	N          int64
	Data       string
}

// Records calls fn for each accepted record of a dataset and period in a
// stable order, without holding them all in memory.
func (s *Store) Records(ctx context.Context, dataset, period string, fn func(Record) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT r.partner, r.submission, r.n, r.data FROM records r
		JOIN submissions s ON s.partner = r.partner AND s.id = r.submission AND s.status = 'accepted'
		WHERE r.dataset = ? AND r.period = ? ORDER BY r.partner, r.submission, r.n`, dataset, period)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.Partner, &r.Submission, &r.N, &r.Data); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountRecords counts accepted records per partner.
func (s *Store) CountRecords(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.partner, count(*) FROM records r
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
	res, err := s.db.ExecContext(ctx, `INSERT INTO quarantine (object, partner, submission, manifest_hash, reason, detail, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, q.Object, q.Partner, q.Submission, q.ManifestHash, q.Reason, q.Detail, formatTime(q.At))
	if err != nil {
		return err
	}
	q.N, err = res.LastInsertId()
	return err
}

// Quarantine lists refusals, oldest first; unsettled only when asked.
func (s *Store) Quarantine(ctx context.Context, unsettled bool) ([]Quarantined, error) {
	q := `SELECT n, object, partner, submission, manifest_hash, reason, detail, at, settled FROM quarantine`
	if unsettled {
		q += ` WHERE settled = 0`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY n`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Quarantined
	for rows.Next() {
		var r Quarantined
		var at string
		if err := rows.Scan(&r.N, &r.Object, &r.Partner, &r.Submission, &r.ManifestHash, &r.Reason, &r.Detail, &at, &r.Settled); err != nil {
			return nil, err
		}
		r.At = parseTime(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// MarkQuarantineSettled notes that a refusal's objects were moved.
func (s *Store) MarkQuarantineSettled(ctx context.Context, n int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE quarantine SET settled = 1 WHERE n = ?`, n)
	return err
}

// HasQuarantine reports whether an object key was already recorded.
func (s *Store) HasQuarantine(ctx context.Context, object string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM quarantine WHERE object = ?`, object).Scan(&n)
	return n > 0, err
}
