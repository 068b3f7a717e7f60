package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/thbx/thbx/hub/internal/sheet"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission/schema"
)

// MergedSource streams a merge version's records with their persons.
type MergedSource interface {
	MergedRecords(ctx context.Context, version int64, scope string, fn func(r store.Record, person string) error) error
}

// envelope is one record of a JSON export: the stored record, where it
// came from and, in merged exports, its person.
type envelope struct {
	Person     string          `json:"person,omitempty"`
	Partner    string          `json:"partner"`
	Submission string          `json:"submission"`
	N          int64           `json:"n"`
	Record     json.RawMessage `json:"record"`
}

// RecordJSON encodes a stored record in its export envelope, checking
// that it is a JSON object so that a damaged row cannot break the array
// it is embedded in. person is "" outside merged exports.
func RecordJSON(r store.Record, person string) ([]byte, error) {
	data := bytes.TrimSpace([]byte(r.Data))
	if len(data) == 0 || data[0] != '{' || !json.Valid(data) {
		return nil, fmt.Errorf("record %s/%s/%d: %w", r.Partner, r.Submission, r.N, sheet.ErrNotObject)
	}
	return json.Marshal(envelope{Person: person, Partner: r.Partner, Submission: r.Submission, N: r.N, Record: data})
}

// RecordCells flattens a stored record for CSV: partner, submission, n,
// then the dataset's fields.
func RecordCells(r store.Record, fields []string) ([]string, error) {
	cells, err := sheet.Flatten(r.Data, fields)
	if err != nil {
		return nil, fmt.Errorf("record %s/%s/%d: %w", r.Partner, r.Submission, r.N, err)
	}
	return append([]string{r.Partner, r.Submission, strconv.FormatInt(r.N, 10)}, cells...), nil
}

// RecordGate decides which records of an export leave the hub, and in
// what form: the hub's access policy, per reader.
type RecordGate interface {
	// Pass returns the record as it may leave, or false to leave it out.
	Pass(r store.Record) (store.Record, bool, error)
	// Done is called after the last record and before the export is
	// ended: an error ends it without its last bytes, or before its
	// first if none were written yet.
	Done() error
}

// Each streams records to fn, with their person ids in merged data ("" in
// others).
type Each func(fn func(r store.Record, person string) error) error

// WriteRecords streams records of a dataset as a JSON array of envelopes
// ("json") or CSV ("csv": partner, submission, n and the dataset's fields,
// after a person column when withPerson), through gate if not nil. It
// returns how many records it wrote.
func WriteRecords(w io.Writer, format string, ds schema.Dataset, withPerson bool, each Each, gate RecordGate) (int64, error) {
	var n int64
	pass := func(r store.Record) (store.Record, bool, error) {
		if gate == nil {
			return r, true, nil
		}
		return gate.Pass(r)
	}
	done := func() error {
		if gate == nil {
			return nil
		}
		return gate.Done()
	}
	if format == "csv" {
		cw := sheet.NewCSV(w)
		header := append([]string{"partner", "submission", "n"}, ds.Fields...)
		if withPerson {
			header = append([]string{"person"}, header...)
		}
		if err := cw.WriteRow(header); err != nil {
			return 0, err
		}
		err := each(func(r store.Record, person string) error {
			r, ok, err := pass(r)
			if err != nil || !ok {
				return err
			}
			row, err := RecordCells(r, ds.Fields)
			if err != nil {
				return err
			}
			if withPerson {
				row = append([]string{person}, row...)
			}
			n++
			return cw.WriteRow(row)
		})
		if err == nil {
			err = done()
		}
		if err != nil {
			return n, err
		}
		return n, cw.Flush()
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	sep := "["
	err := each(func(r store.Record, person string) error {
		r, ok, err := pass(r)
		if err != nil || !ok {
			return err
		}
		b, err := RecordJSON(r, person)
		if err != nil {
			return err
		}
		bw.WriteString(sep)
		sep = ",\n"
		n++
		_, err = bw.Write(b)
		return err
	})
	if err == nil {
		err = done()
	}
	if err != nil {
		return n, err
	}
	if n == 0 {
		bw.WriteString("[")
	}
	bw.WriteString("]\n")
	return n, bw.Flush()
}

// Merged returns the records of one scope of a merge version with their
// persons, for WriteRecords.
func Merged(ctx context.Context, src MergedSource, version int64, scope string) Each {
	return func(fn func(store.Record, string) error) error {
		return src.MergedRecords(ctx, version, scope, fn)
	}
}
