package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Submission is a decided submission.
type Submission struct {
	Partner        string    `json:"partner"`
	ID             string    `json:"id"`
	Sequence       uint64    `json:"seq"`
	ManifestHash   string    `json:"manifest_hash"`
	Manifest       []byte    `json:"-"`
	KeyID          string    `json:"kid"`
	Dataset        string    `json:"dataset"`
	Period         string    `json:"period"`
	Schema         string    `json:"schema"`
	Classification string    `json:"classification"`
	Created        time.Time `json:"created"`
	Status         string    `json:"status"`
	Reason         string    `json:"reason,omitempty"`
	Detail         string    `json:"detail,omitempty"`
	Records        int64     `json:"records"`
	Decided        time.Time `json:"decided"`
	Settled        bool      `json:"settled"`
	// Withdraw marks an accepted withdrawal (submission.Manifest.Withdraw).
	Withdraw bool `json:"withdraw,omitempty"`
}

// Chain is a partner's chain head: the last decided manifest.
type Chain struct {
	Sequence uint64
	Hash     string
}

// Tx stages one submission's decision.
type Tx struct {
	tx   *sql.Tx
	ins  *sql.Stmt
	sub  *Submission
	done bool
}

// Begin starts the transaction that will record sub's decision and, for
// an accepted one, its records.
func (s *Store) Begin(ctx context.Context, sub *Submission) (*Tx, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO records (partner, submission, n, dataset, period, data) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{tx: tx, ins: ins, sub: sub}, nil
}

// AddRecord stages record n (from 1) of the submission.
func (t *Tx) AddRecord(ctx context.Context, n int64, data []byte) error {
	_, err := t.ins.ExecContext(ctx, t.sub.Partner, t.sub.ID, n, t.sub.Dataset, t.sub.Period, string(data))
	if err != nil {
		return fmt.Errorf("stage record %d: %w", n, err)
	}
	return nil
}

// Commit records the decision and advances the partner's chain to this
// submission, all at once. A rejected submission's staged records are
// dropped.
func (t *Tx) Commit(ctx context.Context) error {
	if t.done {
		return errors.New("commit: transaction already finished")
	}
	t.done = true
	defer t.ins.Close()
	sub := t.sub
	if sub.Status != "accepted" {
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM records WHERE partner = ? AND submission = ?`, sub.Partner, sub.ID); err != nil {
			t.tx.Rollback()
			return fmt.Errorf("commit: %w", err)
		}
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO submissions
		(partner, id, seq, manifest_hash, manifest, kid, dataset, period, schema_version, classification, created, status, reason, detail, records, decided, withdraw)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sub.Partner, sub.ID, sub.Sequence, sub.ManifestHash, sub.Manifest, sub.KeyID, sub.Dataset, sub.Period,
		sub.Schema, sub.Classification, formatTime(sub.Created), sub.Status, sub.Reason, sub.Detail, sub.Records, formatTime(sub.Decided), sub.Withdraw)
	if err == nil {
		_, err = t.tx.ExecContext(ctx, `INSERT INTO chain (partner, seq, hash) VALUES (?, ?, ?)
			ON CONFLICT (partner) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
			sub.Partner, sub.Sequence, sub.ManifestHash)
	}
	if err != nil {
		t.tx.Rollback()
		return fmt.Errorf("commit submission %s/%s: %w", sub.Partner, sub.ID, err)
	}
	return t.tx.Commit()
}

// Rollback abandons the transaction; after Commit it does nothing.
func (t *Tx) Rollback() {
	if t.done {
		return
	}
	t.done = true
	t.ins.Close()
	t.tx.Rollback()
}

// ChainHead returns the partner's last decided manifest, or the zero Chain
// before the first. It reads through the writer, as the intake decides on
// it.
func (s *Store) ChainHead(ctx context.Context, partner string) (Chain, error) {
	var c Chain
	err := s.w.QueryRowContext(ctx, `SELECT seq, hash FROM chain WHERE partner = ?`, partner).Scan(&c.Sequence, &c.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return Chain{}, nil
	}
	return c, err
}

const submissionColumns = `partner, id, seq, manifest_hash, manifest, kid, dataset, period, schema_version, classification, created, status, reason, detail, records, decided, settled, withdraw`

func scanSubmission(row interface{ Scan(...any) error }) (*Submission, error) {
	var s Submission
	var created, decided string
	err := row.Scan(&s.Partner, &s.ID, &s.Sequence, &s.ManifestHash, &s.Manifest, &s.KeyID, &s.Dataset, &s.Period,
		&s.Schema, &s.Classification, &created, &s.Status, &s.Reason, &s.Detail, &s.Records, &decided, &s.Settled, &s.Withdraw)
	if err != nil {
		return nil, err
	}
	s.Created, s.Decided = parseTime(created), parseTime(decided)
	return &s, nil
}

// Submission returns a decided submission. It reads through the writer,
// as the intake decides on it.
func (s *Store) Submission(ctx context.Context, partner, id string) (*Submission, error) {
	row := s.w.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE partner = ? AND id = ?`, partner, id)
	sub, err := scanSubmission(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return sub, err
}

// Filter narrows Submissions; empty fields match all.
type Filter struct {
	Partner   string
	Status    string
	Unsettled bool
}

// Submissions lists decided submissions, oldest decision first.
func (s *Store) Submissions(ctx context.Context, f Filter) ([]Submission, error) {
	subs, _, err := s.SubmissionsPage(ctx, f, Page{})
	return subs, err
}

// Page selects part of a listing: at most Limit rows, all when Limit is
// 0, after the row that the cursor After names; "" starts at the first.
type Page struct {
	After string
	Limit int
}

// maxCursor bounds a cursor's length: every cursor the store makes is
// much shorter.
const maxCursor = 256

// SubmissionsPage lists a page of decided submissions, oldest decision
// first, and the cursor of the next page, "" after the last. A cursor is
// valid as long as the store exists: submissions are never deleted.
func (s *Store) SubmissionsPage(ctx context.Context, f Filter, p Page) (subs []Submission, next string, err error) {
	if p.Limit < 0 {
		return nil, "", fmt.Errorf("list submissions: negative limit %d", p.Limit)
	}
	q := `SELECT ` + submissionColumns + ` FROM submissions WHERE (? = '' OR partner = ?) AND (? = '' OR status = ?)`
	args := []any{f.Partner, f.Partner, f.Status, f.Status}
	if f.Unsettled {
		q += ` AND settled = 0`
	}
	if p.After != "" {
		key, err := s.submissionKey(ctx, p.After)
		if err != nil {
			return nil, "", err
		}
		q += ` AND (decided, partner, seq) > (?, ?, ?)`
		args = append(args, key...)
	}
	q += ` ORDER BY decided, partner, seq`
	subs, more, err := queryPage(ctx, s.r, q, args, p.Limit, func(rows *sql.Rows) (Submission, error) {
		sub, err := scanSubmission(rows)
		if err != nil {
			return Submission{}, err
		}
		return *sub, nil
	})
	if err != nil {
		return nil, "", err
	}
	if more {
		last := subs[len(subs)-1]
		next = last.Partner + "/" + last.ID
	}
	return subs, next, nil
}

// queryPage runs q, an ordered query, and scans its rows with scan. With
// a limit above zero it appends a LIMIT one row past the page, so that
// one query tells whether a next page exists, and returns the page and
// whether rows lie beyond it.
func queryPage[T any](ctx context.Context, db *sql.DB, q string, args []any, limit int, scan func(*sql.Rows) (T, error)) (page []T, more bool, err error) {
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit+1)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, false, err
		}
		page = append(page, v)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if limit > 0 && len(page) > limit {
		return page[:limit], true, nil
	}
	return page, false, nil
}

// submissionKey returns the sort key of the submission a cursor names.
func (s *Store) submissionKey(ctx context.Context, cursor string) ([]any, error) {
	partner, id, ok := strings.Cut(cursor, "/")
	if !ok || partner == "" || id == "" || len(cursor) > maxCursor {
		return nil, ErrBadCursor
	}
	var decided, p string
	var seq uint64
	err := s.r.QueryRowContext(ctx, `SELECT decided, partner, seq FROM submissions WHERE partner = ? AND id = ?`,
		partner, id).Scan(&decided, &p, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrBadCursor
	}
	if err != nil {
		return nil, err
	}
	return []any{decided, p, seq}, nil
}

// MarkSettled notes that a submission's receipt is written and its inbox
// objects are moved.
func (s *Store) MarkSettled(ctx context.Context, partner, id string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE submissions SET settled = 1 WHERE partner = ? AND id = ?`, partner, id)
	return err
}
