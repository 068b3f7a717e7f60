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

// WriteRecords streams the victims records of one scope of a merge
// version with their person ids, person by person, as a JSON array
// ("json") or CSV ("csv", with a person column first). It returns how
// many records it wrote.
func WriteRecords(ctx context.Context, src MergedSource, version int64, scope, format string, w io.Writer) (int64, error) {
	var n int64
	if format == "csv" {
		ds, _ := schema.Current(Victims)
		cw := sheet.NewCSV(w)
		if err := cw.WriteRow(append([]string{"person", "partner", "submission", "n"}, ds.Fields...)); err != nil {
			return 0, err
		}
		err := src.MergedRecords(ctx, version, scope, func(r store.Record, person string) error {
			row, err := RecordCells(r, ds.Fields)
			if err != nil {
				return err
			}
			n++
			return cw.WriteRow(append([]string{person}, row...))
		})
		if err != nil {
			return n, err
		}
		return n, cw.Flush()
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	sep := "["
	err := src.MergedRecords(ctx, version, scope, func(r store.Record, person string) error {
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
	if err != nil {
		return n, err
	}
	if n == 0 {
		bw.WriteString("[")
	}
	bw.WriteString("]\n")
	return n, bw.Flush()
}
