package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
)

// Merges is the part of the store the merged-data routes read.
type Merges interface {
	Merges(ctx context.Context) ([]store.Merge, error)
	GetMerge(ctx context.Context, version int64) (*store.Merge, error)
	MergedRecords(ctx context.Context, version int64, scope string, fn func(r store.Record, person string) error) error
	Completeness(ctx context.Context) ([]store.Completeness, error)
}

var _ Merges = (*store.Store)(nil)

const (
	formatXLSX = "xlsx"
	mimeXLSX   = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// mergeSummary is a version in the listing.
type mergeSummary struct {
	Version      int64           `json:"version"`
	Created      string          `json:"created"`
	Previous     int64           `json:"previous,omitempty"`
	Inputs       int             `json:"inputs"`
	InputsDigest string          `json:"inputs_digest"`
	ConfigDigest string          `json:"config_digest"`
	ResultDigest string          `json:"result_digest"`
	Summary      json.RawMessage `json:"summary"`
}

func summarise(m store.Merge) mergeSummary {
	return mergeSummary{Version: m.Version, Created: m.Created.Format("2006-01-02T15:04:05.000Z07:00"), Previous: m.Previous,
		Inputs: len(m.Inputs), InputsDigest: m.InputsDigest, ConfigDigest: m.ConfigDigest, ResultDigest: m.ResultDigest, Summary: m.Summary}
}

// merges lists the merge versions, newest first.
func (h *handlers) merges(c echo.Context) error {
	if err := h.needMerges(); err != nil {
		return err
	}
	ms, err := h.cfg.Merges.Merges(c.Request().Context())
	if err != nil {
		return fmt.Errorf("list merges: %w", err)
	}
	out := make([]mergeSummary, len(ms))
	for i, m := range ms {
		out[i] = summarise(m)
	}
	return c.JSON(http.StatusOK, out)
}

// mergeDetail is one version with its provenance.
type mergeDetail struct {
	mergeSummary
	Inputs []store.Input `json:"inputs"`
	Tables []string      `json:"tables"`
}

// merge describes one version: what fed it and what it holds.
func (h *handlers) merge(c echo.Context) error {
	m, err := h.version(c)
	if err != nil {
		return err
	}
	ts, err := report.ReadTables(m, h.scope(c))
	if err != nil {
		return err
	}
	d := mergeDetail{mergeSummary: summarise(*m), Inputs: m.Inputs}
	if d.Inputs == nil {
		d.Inputs = []store.Input{}
	}
	for _, t := range ts {
		d.Tables = append(d.Tables, t.Name)
	}
	return c.JSON(http.StatusOK, d)
}

// tables exports every report table of a version, as a JSON array or
// one workbook.
func (h *handlers) tables(c echo.Context) error {
	m, err := h.version(c)
	if err != nil {
		return err
	}
	format, err := tableFormat(c, false)
	if err != nil {
		return err
	}
	ts, err := report.ReadTables(m, h.scope(c))
	if err != nil {
		return err
	}
	out := make([]report.Output, len(ts))
	for i, t := range ts {
		out[i] = report.Plain(t)
	}
	return h.writeTables(c, fmt.Sprintf("thbx-merge-%d", m.Version), format, out...)
}

// table exports one report table of a version.
func (h *handlers) table(c echo.Context) error {
	m, err := h.version(c)
	if err != nil {
		return err
	}
	format, err := tableFormat(c, true)
	if err != nil {
		return err
	}
	ts, err := report.ReadTables(m, h.scope(c))
	if err != nil {
		return err
	}
	t, ok := report.FindTable(ts, c.Param("table"))
	if !ok {
		return &clientError{status: http.StatusNotFound, cause: errors.New("no such table")}
	}
	return h.writeTables(c, fmt.Sprintf("thbx-merge-%d-%s", m.Version, t.Name), format, report.Plain(t))
}

// completeness exports the completeness table: what each partner was
// expected to submit and what the hub got.
func (h *handlers) completeness(c echo.Context) error {
	if err := h.needMerges(); err != nil {
		return err
	}
	format, err := tableFormat(c, true)
	if err != nil {
		return err
	}
	var exp []report.Expectation
	if h.cfg.Expected != nil {
		exp = h.cfg.Expected()
	}
	t, err := report.Completeness(c.Request().Context(), h.cfg.Merges, exp, h.cfg.Deadline)
	if err != nil {
		return err
	}
	return h.writeTables(c, "thbx-completeness", format, report.Plain(t))
}

// mergedRecords exports a version's victims records with the person
// each was linked to, person by person.
func (h *handlers) mergedRecords(c echo.Context) error {
	m, err := h.version(c)
	if err != nil {
		return err
	}
	format, err := negotiate(c.QueryParam("format"), c.Request().Header.Get(echo.HeaderAccept))
	if err != nil {
		return err
	}
	scope := h.scope(c)
	ctx := c.Request().Context()
	w := &exportWriter{res: c.Response(), contentType: echo.MIMEApplicationJSON}
	if format == formatCSV {
		w = &exportWriter{res: c.Response(), contentType: mimeCSV + "; charset=utf-8",
			disposition: fmt.Sprintf(`attachment; filename="thbx-merge-%d-victims.csv"`, m.Version)}
	}
	n, err := report.WriteRecords(ctx, h.cfg.Merges, m.Version, scope, format, w)
	if err != nil {
		return fmt.Errorf("export merge %d after %d records: %w", m.Version, n, err)
	}
	h.log.LogAttrs(ctx, slog.LevelInfo, "export", slog.Int64("merge", m.Version), slog.String("scope", scope),
		slog.String("format", format), slog.Int64("records", n), slog.String("client", clientOf(c)))
	return nil
}

func clientOf(c echo.Context) string {
	s, _ := c.Get(clientKey).(string)
	return s
}

func (h *handlers) needMerges() error {
	if h.cfg.Merges == nil {
		return &clientError{status: http.StatusNotFound, cause: errors.New("no merges configured")}
	}
	return nil
}

// version loads the version the path names: a number, or "latest".
func (h *handlers) version(c echo.Context) (*store.Merge, error) {
	if err := h.needMerges(); err != nil {
		return nil, err
	}
	var v int64
	if s := c.Param("version"); s != "latest" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 || strconv.FormatInt(n, 10) != s {
			return nil, badRequest("invalid version")
		}
		v = n
	}
	m, err := h.cfg.Merges.GetMerge(c.Request().Context(), v)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &clientError{status: http.StatusNotFound, cause: err}
	}
	return m, err
}

// scope is the merge scope a client reads: standard, the only one
// every client may read.
func (h *handlers) scope(echo.Context) string { return report.ScopeStandard }

// tableFormat reads the format parameter of a table export: json (the
// default), csv (one table only) or xlsx.
func tableFormat(c echo.Context, one bool) (string, error) {
	f := c.QueryParam("format")
	switch {
	case f == "":
		return formatJSON, nil
	case f == formatJSON || f == formatXLSX || (f == formatCSV && one):
		return f, nil
	}
	return "", badRequest("invalid format")
}

// writeTables writes tables in a format, as an attachment for CSV and
// XLSX.
func (h *handlers) writeTables(c echo.Context, filename, format string, ts ...report.Output) error {
	res := c.Response()
	switch format {
	case formatCSV:
		res.Header().Set(echo.HeaderContentType, mimeCSV+"; charset=utf-8")
		res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`.csv"`)
		res.WriteHeader(http.StatusOK)
		return report.WriteCSV(res, ts[0])
	case formatXLSX:
		res.Header().Set(echo.HeaderContentType, mimeXLSX)
		res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`.xlsx"`)
		res.WriteHeader(http.StatusOK)
		return report.WriteXLSX(res, ts...)
	}
	res.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	res.WriteHeader(http.StatusOK)
	return report.WriteJSON(res, ts...)
}
