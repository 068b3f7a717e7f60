package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
)

// statusBody answers the probes.
type statusBody struct {
	Status string `json:"status"`
}

// healthz answers as long as the process serves requests.
func (h *handlers) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, statusBody{Status: "ok"})
}

// readyz answers 200 only when the database answers and the hub says it
// is ready. A probe failing is routine, so the cause is logged here at
// warn and the body is the probe's own, not an error.
func (h *handlers) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), pingTimeout)
	defer cancel()
	err := h.cfg.Store.Ping(ctx)
	if err == nil && h.cfg.Ready != nil {
		err = h.cfg.Ready()
	}
	if err != nil {
		h.log.LogAttrs(ctx, slog.LevelWarn, "not ready", slog.Any("err", err))
		return c.JSON(http.StatusServiceUnavailable, statusBody{Status: "not ready"})
	}
	return c.JSON(http.StatusOK, statusBody{Status: "ok"})
}

// submissions lists decided submissions, optionally of one partner and
// with one status.
func (h *handlers) submissions(c echo.Context) error {
	f := store.Filter{Partner: c.QueryParam("partner"), Status: c.QueryParam("status")}
	if f.Partner != "" && !submission.ValidPartner(f.Partner) {
		return badRequest("invalid partner")
	}
	switch f.Status {
	case "", "accepted", "rejected":
	default:
		return badRequest("invalid status")
	}
	subs, err := h.cfg.Store.Submissions(c.Request().Context(), f)
	if err != nil {
		return fmt.Errorf("list submissions: %w", err)
	}
	if subs == nil {
		subs = []store.Submission{}
	}
	return c.JSON(http.StatusOK, subs)
}

// quarantine lists refused objects, oldest first, optionally only those
// whose objects are not yet moved.
func (h *handlers) quarantine(c echo.Context) error {
	var unsettled bool
	switch c.QueryParam("unsettled") {
	case "", "false":
	case "true":
		unsettled = true
	default:
		return badRequest("invalid unsettled")
	}
	qs, err := h.cfg.Store.Quarantine(c.Request().Context(), unsettled)
	if err != nil {
		return fmt.Errorf("list quarantine: %w", err)
	}
	if qs == nil {
		qs = []store.Quarantined{}
	}
	return c.JSON(http.StatusOK, qs)
}

// gaps lists the partners whose chain waits for a missing submission.
func (h *handlers) gaps(c echo.Context) error {
	var gs []ingest.Gap
	if h.cfg.Gaps != nil {
		gs = h.cfg.Gaps.Gaps()
	}
	if gs == nil {
		gs = []ingest.Gap{}
	}
	return c.JSON(http.StatusOK, gs)
}
