package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

const mergeSchemaSQL = `
CREATE TABLE IF NOT EXISTS merges (
	version       INTEGER PRIMARY KEY,
	created       TEXT NOT NULL,
	previous      INTEGER NOT NULL,
	inputs_digest TEXT NOT NULL,
	config_digest TEXT NOT NULL,
	result_digest TEXT NOT NULL,
	inputs        TEXT NOT NULL,
	summary       TEXT NOT NULL,
	tables        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS merge_assignments (
	version    INTEGER NOT NULL,
	scope      TEXT NOT NULL,
	partner    TEXT NOT NULL,
	submission TEXT NOT NULL,
	persons    TEXT NOT NULL,
	PRIMARY KEY (version, scope, partner, submission)
);
`

// Input is a submission a merge reads: the one in force for its
// partner, dataset and period.
type Input struct {
	Partner        string `json:"partner"`
	Submission     string `json:"submission"`
	Sequence       uint64 `json:"seq"`
	ManifestHash   string `json:"manifest_hash"`
	Dataset        string `json:"dataset"`
	Period         string `json:"period"`
	Classification string `json:"classification"`
	Records        int64  `json:"records"`
}

// InForce returns, for each partner, dataset and period, the submission
// in force: of the accepted ones, the last in the partner's chain. A
// later submission for the same dataset and period supersedes an
// earlier one; when the last is a withdrawal, nothing is in force. The
// order is partner, dataset, period.
func (s *Store) InForce(ctx context.Context, datasets ...string) ([]Input, error) {
	if len(datasets) == 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(datasets)), ",")
	args := make([]any, len(datasets))
	for i, d := range datasets {
		args[i] = d
	}
	rows, err := s.r.QueryContext(ctx, `SELECT s.partner, s.id, s.seq, s.manifest_hash, s.dataset, s.period, s.classification, s.records
		FROM submissions s
		WHERE s.status = 'accepted' AND s.withdraw = 0 AND s.dataset IN (`+marks+`)
		AND s.seq = (SELECT max(t.seq) FROM submissions t WHERE t.partner = s.partner AND t.dataset = s.dataset
			AND t.period = s.period AND t.status = 'accepted')
		ORDER BY s.partner, s.dataset, s.period`, args...)
	if err != nil {
		return nil, fmt.Errorf("submissions in force: %w", err)
	}
	defer rows.Close()
	var out []Input
	for rows.Next() {
		var in Input
		if err := rows.Scan(&in.Partner, &in.Submission, &in.Sequence, &in.ManifestHash, &in.Dataset, &in.Period, &in.Classification, &in.Records); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// InputRecords calls fn for each record of the inputs, input by input
// and in record order, streaming.
func (s *Store) InputRecords(ctx context.Context, inputs []Input, fn func(Input, Record) error) error {
	for _, in := range inputs {
		err := func() error {
			rows, err := s.r.QueryContext(ctx, `SELECT n, data FROM records WHERE partner = ? AND submission = ? ORDER BY n`,
				in.Partner, in.Submission)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				r := Record{Partner: in.Partner, Submission: in.Submission}
				if err := rows.Scan(&r.N, &r.Data); err != nil {
					return err
				}
				if err := fn(in, r); err != nil {
					return err
				}
			}
			return rows.Err()
		}()
		if err != nil {
			return fmt.Errorf("read records of %s/%s: %w", in.Partner, in.Submission, err)
		}
	}
	return nil
}

// Merge is one immutable version of the merged data: which submissions
// fed it, how it was made, and what it produced. Summary and Tables are
// JSON documents the caller defines; the store keeps them as given.
type Merge struct {
	Version  int64     `json:"version"`
	Created  time.Time `json:"created"`
	Previous int64     `json:"previous,omitempty"`
	// InputsDigest, ConfigDigest and ResultDigest let a merge be checked
	// by making it again: the same inputs and configuration must give
	// the same result.
	InputsDigest string          `json:"inputs_digest"`
	ConfigDigest string          `json:"config_digest"`
	ResultDigest string          `json:"result_digest"`
	Inputs       []Input         `json:"inputs"`
	Summary      json.RawMessage `json:"summary"`
	Tables       json.RawMessage `json:"-"`
}

// Assignment is the person a record was linked to, in one scope of a
// merge (scopes are the caller's: the hub makes one per classification
// a reader may be cleared for).
type Assignment struct {
	Scope      string
	Partner    string
	Submission string
	N          int64
	Person     string
}

// AddMerge stores a new merge version, numbered one above the last, with
// the assignments that next yields until it returns false, all in one
// transaction: a merge is stored whole or not at all. It sets
// m.Version and m.Previous. The assignments must come in scope,
// partner, submission and record order, every record of a submission
// in a scope once: they are kept as one row per submission and scope
// (the person ids in record order), which a million records write in
// seconds.
func (s *Store) AddMerge(ctx context.Context, m *Merge, next func() (Assignment, bool)) error {
	inputs, err := json.Marshal(m.Inputs)
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store merge: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM merges`).Scan(&m.Previous); err != nil {
		return fmt.Errorf("store merge: %w", err)
	}
	m.Version = m.Previous + 1
	_, err = tx.ExecContext(ctx, `INSERT INTO merges (version, created, previous, inputs_digest, config_digest, result_digest, inputs, summary, tables)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.Version, formatTime(m.Created), m.Previous, m.InputsDigest, m.ConfigDigest,
		m.ResultDigest, string(inputs), string(m.Summary), string(m.Tables))
	if err != nil {
		return fmt.Errorf("store merge: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO merge_assignments (version, scope, partner, submission, persons) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("store merge: %w", err)
	}
	defer ins.Close()
	var cur Assignment
	var persons strings.Builder
	flush := func() error {
		if persons.Len() == 0 {
			return nil
		}
		_, err := ins.ExecContext(ctx, m.Version, cur.Scope, cur.Partner, cur.Submission, persons.String())
		persons.Reset()
		return err
	}
	for a, ok := next(); ok; a, ok = next() {
		same := a.Scope == cur.Scope && a.Partner == cur.Partner && a.Submission == cur.Submission
		if !same {
			if err := flush(); err != nil {
				return fmt.Errorf("store merge: %w", err)
			}
			cur, cur.N = a, 0
		}
		if a.N != cur.N+1 || strings.ContainsRune(a.Person, '\n') {
			return fmt.Errorf("store merge: assignment %s/%s/%d out of order", a.Partner, a.Submission, a.N)
		}
		if cur.N > 0 {
			persons.WriteByte('\n')
		}
		persons.WriteString(a.Person)
		cur.N = a.N
	}
	if err := flush(); err != nil {
		return fmt.Errorf("store merge: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store merge: %w", err)
	}
	return nil
}

// Merges lists the merge versions, newest first, without their tables.
func (s *Store) Merges(ctx context.Context) ([]Merge, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+mergeColumns+` FROM merges ORDER BY version DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Merge
	for rows.Next() {
		m, err := scanMerge(rows)
		if err != nil {
			return nil, err
		}
		m.Tables = nil
		out = append(out, *m)
	}
	return out, rows.Err()
}

// GetMerge returns a merge version with its tables; version 0 means the
// latest. ErrNotFound when there is none.
func (s *Store) GetMerge(ctx context.Context, version int64) (*Merge, error) {
	q := `SELECT ` + mergeColumns + ` FROM merges WHERE version = ?`
	args := []any{version}
	if version == 0 {
		q, args = `SELECT `+mergeColumns+` FROM merges ORDER BY version DESC LIMIT 1`, nil
	}
	m, err := scanMerge(s.r.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return m, err
}

const mergeColumns = `version, created, previous, inputs_digest, config_digest, result_digest, inputs, summary, tables`

func scanMerge(row interface{ Scan(...any) error }) (*Merge, error) {
	var m Merge
	var created, inputs, summary, tables string
	if err := row.Scan(&m.Version, &created, &m.Previous, &m.InputsDigest, &m.ConfigDigest, &m.ResultDigest, &inputs, &summary, &tables); err != nil {
		return nil, err
	}
	m.Created = parseTime(created)
	if err := json.Unmarshal([]byte(inputs), &m.Inputs); err != nil {
		return nil, fmt.Errorf("merge %d: inputs: %w", m.Version, err)
	}
	m.Summary, m.Tables = json.RawMessage(summary), json.RawMessage(tables)
	return &m, nil
}

// Assignments calls fn for each record's person in one scope of a merge
// version, in record order.
func (s *Store) Assignments(ctx context.Context, version int64, scope string, fn func(Assignment) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT partner, submission, persons FROM merge_assignments
		WHERE version = ? AND scope = ? ORDER BY partner, submission`, version, scope)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var partner, sub, persons string
		if err := rows.Scan(&partner, &sub, &persons); err != nil {
			return err
		}
		for i, p := range strings.Split(persons, "\n") {
			if err := fn(Assignment{Scope: scope, Partner: partner, Submission: sub, N: int64(i + 1), Person: p}); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}

// MergedRecords calls fn for each record of one scope of a merge version
// with the person it was linked to, in record order (partner,
// submission, number), streaming like Records and sharing its limit on
// concurrent exports.
func (s *Store) MergedRecords(ctx context.Context, version int64, scope string, fn func(r Record, person string) error) error {
	select {
	case s.exports <- struct{}{}:
		defer func() { <-s.exports }()
	case <-ctx.Done():
		return ctx.Err()
	}
	rows, err := s.r.QueryContext(ctx, `SELECT m.partner, m.submission, m.persons, s.classification FROM merge_assignments m
		JOIN submissions s ON s.partner = m.partner AND s.id = m.submission
		WHERE m.version = ? AND m.scope = ? ORDER BY m.partner, m.submission`, version, scope)
	if err != nil {
		return err
	}
	type sub struct {
		partner, id, class string
		persons            []string
	}
	var subs []sub
	for rows.Next() {
		var x sub
		var persons string
		if err := rows.Scan(&x.partner, &x.id, &persons, &x.class); err != nil {
			rows.Close()
			return err
		}
		x.persons = strings.Split(persons, "\n")
		subs = append(subs, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, x := range subs {
		err := func() error {
			rows, err := s.r.QueryContext(ctx, `SELECT n, data FROM records WHERE partner = ? AND submission = ? ORDER BY n`, x.partner, x.id)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				r := Record{Partner: x.partner, Submission: x.id, Classification: x.class}
				if err := rows.Scan(&r.N, &r.Data); err != nil {
					return err
				}
				if r.N < 1 || int(r.N) > len(x.persons) {
					return fmt.Errorf("record %s/%s/%d has no person in merge version %d", x.partner, x.id, r.N, version)
				}
				if err := fn(r, x.persons[r.N-1]); err != nil {
					return err
				}
			}
			return rows.Err()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// Completeness is what the store knows of one partner's submissions for
// a dataset and period.
type Completeness struct {
	Partner  string `json:"partner"`
	Dataset  string `json:"dataset"`
	Period   string `json:"period"`
	Received int    `json:"received"`
	Accepted int    `json:"accepted"`
	Rejected int    `json:"rejected"`
	// Held counts submissions kept sealed, awaiting restricted processing.
	Held int `json:"held"`
	// Withdrawn is 1 when the last accepted submission is a withdrawal.
	Withdrawn int `json:"withdrawn"`
	// Restricted is true when any of the submissions is classified
	// restricted: readers cleared for standard data do not see the row.
	Restricted bool `json:"-"`
	// FirstAccepted is when the first submission for the period that the
	// hub accepted was made (its manifest's creation time); zero if none.
	FirstAccepted time.Time `json:"first_accepted,omitzero"`
}

// Completeness counts decided submissions by partner, dataset and period.
func (s *Store) Completeness(ctx context.Context) ([]Completeness, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT partner, dataset, period, count(*),
		sum(status = 'accepted'), sum(status = 'rejected'), sum(status = 'held'),
		coalesce((SELECT t.withdraw FROM submissions t WHERE t.partner = s.partner AND t.dataset = s.dataset
			AND t.period = s.period AND t.status = 'accepted' ORDER BY t.seq DESC LIMIT 1), 0),
		coalesce(min(CASE WHEN status = 'accepted' AND withdraw = 0 THEN created END), ''),
		max(classification <> 'standard')
		FROM submissions s GROUP BY partner, dataset, period ORDER BY partner, dataset, period`)
	if err != nil {
		return nil, fmt.Errorf("completeness: %w", err)
	}
	defer rows.Close()
	var out []Completeness
	for rows.Next() {
		var c Completeness
		var first string
		if err := rows.Scan(&c.Partner, &c.Dataset, &c.Period, &c.Received, &c.Accepted, &c.Rejected, &c.Held, &c.Withdrawn, &first, &c.Restricted); err != nil {
			return nil, err
		}
		if first != "" {
			c.FirstAccepted = parseTime(first)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
