package api

import (
	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/internal/sheet"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission/schema"
)

// exportCSV streams a CSV file: partner, submission and n, then the
// dataset's fields in schema order.
func (h *handlers) exportCSV(c echo.Context, w *exportWriter, ds schema.Dataset, period string) (int64, error) {
	cw := sheet.NewCSV(w)
	header := append([]string{"partner", "submission", "n"}, ds.Fields...)
	if err := cw.WriteRow(header); err != nil {
		return 0, err
	}
	var n int64
	err := h.cfg.Store.Records(c.Request().Context(), ds.Name, period, func(r store.Record) error {
		row, err := report.RecordCells(r, ds.Fields)
		if err != nil {
			return err
		}
		if err := cw.WriteRow(row); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, cw.Flush()
}
