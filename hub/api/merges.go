package api

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/policy"
	"github.com/thbx/thbx/submission/schema"
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
// It carries no counts of records or persons: those are data, read
// through the tables and their disclosure control.
type mergeSummary struct {
	Version      int64  `json:"version"`
	Created      string `json:"created"`
	Previous     int64  `json:"previous,omitempty"`
	Inputs       int    `json:"inputs"`
	InputsDigest string `json:"inputs_digest"`
	ConfigDigest string `json:"config_digest"`
	ResultDigest string `json:"result_digest"`
}

// summarise describes a version as a reader cleared for scope sees it:
// its inputs of that scope only.
func summarise(m store.Merge, scope string) mergeSummary {
	n := 0
	for _, in := range m.Inputs {
		if scope == report.ScopeRestricted || in.Classification == report.ScopeStandard {
			n++
		}
	}
	return mergeSummary{Version: m.Version, Created: m.Created.Format("2006-01-02T15:04:05.000Z07:00"), Previous: m.Previous,
		Inputs: n, InputsDigest: m.InputsDigest, ConfigDigest: m.ConfigDigest, ResultDigest: m.ResultDigest}
}

// merges lists the merge versions, newest first.
func (h *handlers) merges(c echo.Context) error {
	if err := h.needMerges(); err != nil {
		return err
	}
	if err := h.allowOps(c); err != nil {
		return err
	}
	ms, err := h.cfg.Merges.Merges(c.Request().Context())
	if err != nil {
		return fmt.Errorf("list merges: %w", err)
	}
	out := make([]mergeSummary, len(ms))
	for i, m := range ms {
		out[i] = summarise(m, h.clearedScope(c))
	}
	return c.JSON(http.StatusOK, out)
}

// mergeDetail is one version with its provenance.
type mergeDetail struct {
	mergeSummary
	Inputs []store.Input `json:"inputs"`
	Tables []string      `json:"tables"`
}

// merge describes one version: what fed it and what it holds. Reading a
// version's provenance is reading submissions' metadata.
func (h *handlers) merge(c echo.Context) error {
	m, err := h.version(c)
	if err != nil {
		return err
	}
	if err := h.allowOps(c); err != nil {
		return err
	}
	scope := h.clearedScope(c)
	ts, err := report.ReadTables(m, scope)
	if err != nil {
		return err
	}
	d := mergeDetail{mergeSummary: summarise(*m, scope), Inputs: []store.Input{}}
	for _, in := range m.Inputs {
		if scope == report.ScopeRestricted || in.Classification == report.ScopeStandard {
			d.Inputs = append(d.Inputs, in)
		}
	}
	for _, t := range ts {
		d.Tables = append(d.Tables, t.Name)
	}
	return c.JSON(http.StatusOK, d)
}

// tables exports the report tables of a version the reader may read, as
// a JSON array or one workbook, each under the disclosure control the
// policy sets.
func (h *handlers) tables(c echo.Context) error {
	m, err := h.version(c)
	if err != nil {
		return err
	}
	format, err := tableFormat(c, false)
	if err != nil {
		return err
	}
	out, err := h.protectedTables(c, m, format, "")
	if err != nil {
		return err
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
	out, err := h.protectedTables(c, m, format, c.Param("table"))
	if err != nil {
		return err
	}
	return h.writeTables(c, fmt.Sprintf("thbx-merge-%d-%s", m.Version, out[0].Name), format, out...)
}

// protectedTables returns a version's tables (all, or the one named) that
// the reader may read, from the scope its clearance allows, each under
// the disclosure threshold of the policy's decision, which is decided and
// recorded once per dataset.
func (h *handlers) protectedTables(c echo.Context, m *store.Merge, format, name string) ([]report.Output, error) {
	action := policy.ReadAggregates
	if format != formatJSON {
		action = policy.Export
	}
	aud := policy.Audience(c.QueryParam("audience"))
	if aud != "" && aud != policy.Internal && aud != policy.Publication {
		return nil, badRequest("invalid audience")
	}
	// Tables of an earlier version go only to readers who may read the
	// records anyway: two versions protected one by one could be
	// subtracted, and what changed between them is often one small
	// submission.
	older := false
	if latest, err := h.cfg.Merges.GetMerge(c.Request().Context(), 0); err == nil && latest.Version != m.Version {
		older = true
	}
	// The scope of the reader's clearance only: falling back to the
	// standard scope when the policy refuses a cleared reader the
	// restricted one would let it subtract the two and learn counts of
	// restricted sources alone.
	scope := h.clearedScope(c)
	ts, err := report.ReadTables(m, scope)
	if err != nil {
		return nil, err
	}
	var out []report.Output
	var refused *policy.Decision
	found := false
	// The tables of a dataset the reader may read are protected together,
	// as one report, whichever of them it asked for: a count withheld in
	// one is withheld in all.
	for _, rep := range report.ByDataset(ts) {
		ds := rep.Dataset
		wanted := name == "" || slices.ContainsFunc(rep.Tables, func(t merge.Table) bool { return t.Name == name })
		found = found || wanted
		if !wanted {
			continue
		}
		d := h.decide(identityOf(c), action, policy.Resource{Kind: policy.KindAggregates, Dataset: ds,
			Categories: h.scopeCategories(m, scope, ds), Classification: policy.Level(scope), Audience: aud})
		if d.Allowed && older && !h.decide(identityOf(c), policy.ReadRecords, policy.Resource{Kind: policy.KindRecords,
			Dataset: report.Victims, Categories: h.scopeCategories(m, scope, report.Victims),
			Classification: policy.Level(scope)}).Allowed {
			d = policy.Decision{Reason: reasonEarlierVersion}
		}
		details := map[string]string{"merge": strconv.FormatInt(m.Version, 10), "scope": scope}
		if d.Allowed {
			details["threshold"] = strconv.Itoa(d.Threshold)
		}
		if err := h.record(c, action, audit.Resource{Dataset: ds, Format: format}, d, details); err != nil {
			return nil, err
		}
		if !d.Allowed {
			if refused == nil {
				refused = &d
			}
			continue
		}
		protected, err := h.protected.get(m.Version, scope, ds, d.Threshold, string(d.Audience), rep.Tables)
		if err != nil {
			return nil, err
		}
		for _, o := range protected {
			if name == "" || o.Name == name {
				out = append(out, o)
			}
		}
	}
	switch {
	case !found:
		return nil, &clientError{status: http.StatusNotFound, cause: errors.New("no such table")}
	case len(out) == 0 && refused != nil:
		return nil, forbidden(*refused)
	case len(out) == 0:
		return nil, forbidden(policy.Decision{Reason: policy.ReasonNoMatchingGrant})
	}
	return out, nil
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
	if err := h.allowOps(c); err != nil {
		return err
	}
	var exp []report.Expectation
	if h.cfg.Expected != nil {
		exp = h.cfg.Expected()
	}
	id := identityOf(c)
	show := func(partner, category, dataset string, restricted bool) bool {
		class := policy.Standard
		if restricted {
			class = policy.Restricted
		}
		if category == "" {
			category = merge.Unknown
		}
		return h.decide(id, policy.ReadSubmissions, policy.Resource{Kind: policy.KindSubmissions, Dataset: dataset,
			Categories: []string{category}, Classification: class, Partner: partner}).Allowed
	}
	t, err := report.CompletenessFor(c.Request().Context(), h.cfg.Merges, exp, h.cfg.Deadline, show)
	if err != nil {
		return err
	}
	return h.writeTables(c, "thbx-completeness", format, report.Plain(t))
}

// mergedRecords exports a version's victims records with the person
// each was linked to, in record order: from the scope the reader's
// clearance allows, and of those only the partners and classifications
// the policy lets it read.
func (h *handlers) mergedRecords(c echo.Context) error {
	m, err := h.version(c)
	if err != nil {
		return err
	}
	format, err := negotiate(c.QueryParam("format"), c.Request().Header.Get(echo.HeaderAccept))
	if err != nil {
		return err
	}
	w := &exportWriter{res: c.Response(), contentType: echo.MIMEApplicationJSON}
	if format == formatCSV {
		w = &exportWriter{res: c.Response(), contentType: mimeCSV + "; charset=utf-8",
			disposition: fmt.Sprintf(`attachment; filename="thbx-merge-%d-victims.csv"`, m.Version)}
	}
	n, scope, err := h.writeMerged(c, w, m, format)
	if err != nil {
		return fmt.Errorf("export merge %d after %d records: %w", m.Version, n, err)
	}
	h.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "export", slog.Int64("merge", m.Version), slog.String("scope", scope),
		slog.String("format", format), slog.Int64("records", n), slog.String("client", clientOf(c)))
	return nil
}

// writeMerged streams the merged records the reader may read.
func (h *handlers) writeMerged(c echo.Context, w io.Writer, m *store.Merge, format string) (int64, string, error) {
	action := policy.ReadRecords
	if format == formatCSV {
		action = policy.Export
	}
	scope := h.clearedScope(c)
	ds, _ := schema.Current(report.Victims)
	res := audit.Resource{Dataset: report.Victims, Format: format}
	gate := h.newGate(c, action, report.Victims, res)
	n, err := report.WriteRecords(w, format, ds, true, report.Merged(c.Request().Context(), h.cfg.Merges, m.Version, scope), gate)
	return n, scope, err
}

// victimsView answers with the finest view of a version's victims the
// reader may have: its records with their persons if the policy allows
// record-level data, else the report tables under disclosure control.
// The same request thus gives a cleared analyst records and another
// analyst suppressed counts.
func (h *handlers) victimsView(c echo.Context) error {
	m, err := h.version(c)
	if err != nil {
		return err
	}
	scope := h.clearedScope(c)
	d := h.decide(identityOf(c), policy.ReadRecords, policy.Resource{Kind: policy.KindRecords, Dataset: report.Victims,
		Categories: h.scopeCategories(m, scope, report.Victims), Classification: policy.Level(scope)})
	if d.Allowed {
		w := &exportWriter{res: c.Response(), contentType: echo.MIMEApplicationJSON}
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, `{"version":%d,"level":"records","records":`, m.Version)
		if _, _, err := h.writeMerged(c, bw, m, formatJSON); err != nil {
			return err
		}
		bw.WriteString("}\n")
		return bw.Flush()
	}
	out, err := h.protectedTables(c, m, formatJSON, "")
	if err != nil {
		return err
	}
	var victims []report.Output
	for _, o := range out {
		if report.TableDataset(o.Name) == report.Victims {
			victims = append(victims, o)
		}
	}
	if len(victims) == 0 {
		return forbidden(d)
	}
	return c.JSON(http.StatusOK, struct {
		Version int64           `json:"version"`
		Level   string          `json:"level"`
		Tables  []report.Output `json:"tables"`
	}{m.Version, "aggregates", victims})
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

// clearedScope is the merge scope of the reader's clearance: restricted
// data are in the restricted scope only.
func (h *handlers) clearedScope(c echo.Context) string {
	if identityOf(c).Clearance == report.ScopeRestricted {
		return report.ScopeRestricted
	}
	return report.ScopeStandard
}

// scopeCategories returns the source categories of a version's inputs
// of a dataset in a scope, or, if it has none, every category the
// registry knows: the tables are then empty, and the decision is the
// one for data from anyone.
func (h *handlers) scopeCategories(m *store.Merge, scope, dataset string) []string {
	var out []string
	for _, in := range m.Inputs {
		if in.Dataset != dataset || (scope == report.ScopeStandard && in.Classification != report.ScopeStandard) {
			continue
		}
		cat := h.category(in.Partner)
		if cat == "" {
			// A partner gone from the registry: decided as an unknown
			// category, which no policy grants, so the decision fails
			// closed rather than leave that source out of it.
			cat = merge.Unknown
		}
		if !slices.Contains(out, cat) {
			out = append(out, cat)
		}
	}
	if len(out) == 0 {
		return h.allCategories()
	}
	slices.Sort(out)
	return out
}

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
