package api

import (
	"bufio"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/schema"
)

const (
	formatJSON = "json"
	formatCSV  = "csv"
	mimeCSV    = "text/csv"
)

// records exports the accepted records of a dataset and period.
func (h *handlers) records(c echo.Context) error {
	dataset, period := c.Param("dataset"), c.Param("period")
	if !submission.ValidDataset(dataset) {
		return badRequest("invalid dataset")
	}
	ds, err := schema.Current(dataset)
	if err != nil {
		return &clientError{status: http.StatusNotFound, cause: err}
	}
	if !submission.ValidPeriod(period) {
		return badRequest("invalid period")
	}
	format, err := negotiate(c.QueryParam("format"), c.Request().Header.Get(echo.HeaderAccept))
	if err != nil {
		return err
	}

	var n int64
	if format == formatCSV {
		w := &exportWriter{res: c.Response(), contentType: mimeCSV + "; charset=utf-8",
			disposition: fmt.Sprintf(`attachment; filename="thbx-%s-%s.csv"`, ds.Name, period)}
		n, err = h.exportCSV(c, w, ds, period)
	} else {
		w := &exportWriter{res: c.Response(), contentType: echo.MIMEApplicationJSON}
		n, err = h.exportJSON(c, w, ds, period)
	}
	if err != nil {
		return fmt.Errorf("export %s %s after %d records: %w", ds.Name, period, n, err)
	}
	client, _ := c.Get(clientKey).(string)
	h.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "export",
		slog.String("dataset", ds.Name), slog.String("period", period), slog.String("format", format),
		slog.Int64("records", n), slog.String("client", client))
	return nil
}

// negotiate picks the export format: the format parameter when given,
// else CSV if the Accept header prefers text/csv to JSON, else JSON.
func negotiate(format, accept string) (string, error) {
	switch format {
	case formatJSON, formatCSV:
		return format, nil
	case "":
	default:
		return "", badRequest("invalid format")
	}
	var csvQ, jsonQ float64
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(part)
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(s, 64); err != nil {
				q = 0
			}
		}
		switch mt {
		case mimeCSV:
			csvQ = max(csvQ, q)
		case echo.MIMEApplicationJSON:
			jsonQ = max(jsonQ, q)
		}
	}
	if csvQ > 0 && csvQ > jsonQ {
		return formatCSV, nil
	}
	return formatJSON, nil
}

// exportWriter sets the export's headers at its first byte, so that an
// export failing before then gets an ordinary error response rather than
// one labelled as a CSV attachment.
type exportWriter struct {
	res                      *echo.Response
	contentType, disposition string
	started                  bool
}

func (w *exportWriter) Write(p []byte) (int, error) {
	if !w.started {
		w.started = true
		w.res.Header().Set(echo.HeaderContentType, w.contentType)
		if w.disposition != "" {
			w.res.Header().Set(echo.HeaderContentDisposition, w.disposition)
		}
		w.res.WriteHeader(http.StatusOK)
	}
	return w.res.Write(p)
}

// exportJSON streams a JSON array of record envelopes.
func (h *handlers) exportJSON(c echo.Context, w *exportWriter, ds schema.Dataset, period string) (int64, error) {
	bw := bufio.NewWriterSize(w, 32<<10)
	var n int64
	sep := "["
	err := h.cfg.Store.Records(c.Request().Context(), ds.Name, period, func(r store.Record) error {
		b, err := report.RecordJSON(r, "")
		if err != nil {
			return err
		}
		bw.WriteString(sep)
		if _, err := bw.Write(b); err != nil {
			return err
		}
		sep = ",\n"
		n++
		return nil
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
