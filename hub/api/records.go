package api

import (
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/policy"
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

	action, disposition, ctype := policy.ReadRecords, "", echo.MIMEApplicationJSON
	if format == formatCSV {
		action, ctype = policy.Export, mimeCSV+"; charset=utf-8"
		disposition = fmt.Sprintf(`attachment; filename="thbx-%s-%s.csv"`, ds.Name, period)
	}
	ctx := c.Request().Context()
	gate := h.newGate(c, action, ds.Name, audit.Resource{Dataset: ds.Name, Period: period, Format: format})
	each := func(fn func(store.Record, string) error) error {
		return h.cfg.Store.Records(ctx, ds.Name, period, func(r store.Record) error { return fn(r, "") })
	}
	w := &exportWriter{res: c.Response(), contentType: ctype, disposition: disposition}
	n, err := report.WriteRecords(w, format, ds, false, each, gate)
	if err != nil {
		return fmt.Errorf("export %s %s after %d records: %w", ds.Name, period, n, err)
	}
	h.log.LogAttrs(ctx, slog.LevelInfo, "export",
		slog.String("dataset", ds.Name), slog.String("period", period), slog.String("format", format),
		slog.Int64("records", n), slog.String("client", clientOf(c)))
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
