package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/policy"
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

// Listing pages: a client gets at most defaultLimit rows unless it asks
// for up to maxLimit.
const (
	defaultLimit = 1000
	maxLimit     = 10000
)

// page reads the limit and after parameters of a listing.
func page(c echo.Context) (store.Page, error) {
	p := store.Page{Limit: defaultLimit, After: c.QueryParam("after")}
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return p, badRequest("invalid limit")
		}
		p.Limit = n
	}
	return p, nil
}

// pageError makes a cursor the store did not make a client's mistake.
func pageError(err error, what string) error {
	if errors.Is(err, store.ErrBadCursor) {
		return &clientError{status: http.StatusBadRequest, msg: "invalid after", cause: err}
	}
	return fmt.Errorf("list %s: %w", what, err)
}

// setNext tells the client where the next page starts, when there is
// one: the cursor in X-Next-Cursor, and the whole request for it in a
// Link header (RFC 8288).
func setNext(c echo.Context, next string, limit int) {
	if next == "" {
		return
	}
	u := *c.Request().URL
	q := u.Query()
	q.Set("after", next)
	q.Set("limit", strconv.Itoa(limit))
	h := c.Response().Header()
	h.Set(headerNextCursor, next)
	h.Set(headerLink, "<"+u.EscapedPath()+"?"+q.Encode()+`>; rel="next"`)
}

const (
	headerNextCursor = "X-Next-Cursor"
	headerLink       = "Link"
)

// submissions lists decided submissions, optionally of one partner and
// with one status, a page at a time.
func (h *handlers) submissions(c echo.Context) error {
	f := store.Filter{Partner: c.QueryParam("partner"), Status: c.QueryParam("status")}
	if f.Partner != "" && !submission.ValidPartner(f.Partner) {
		return badRequest("invalid partner")
	}
	switch f.Status {
	case "", "accepted", "rejected", "held":
	default:
		return badRequest("invalid status")
	}
	p, err := page(c)
	if err != nil {
		return err
	}
	if id := identityOf(c); id.Partner != "" {
		// A partner lists its own submissions only, whatever it asks:
		// neither the answer nor a cursor may tell it of another's.
		f.Partner = id.Partner
	}
	subs, next, err := h.cfg.Store.SubmissionsPage(c.Request().Context(), f, p)
	if err != nil {
		return pageError(err, "submissions")
	}
	// Each submission is shown if the policy lets the reader see its
	// partner's submissions of its dataset and classification: a partner
	// sees its own, an officer every one.
	shown := []store.Submission{}
	rules := map[string]bool{}
	for _, sub := range subs {
		d := h.decide(identityOf(c), policy.ReadSubmissions, policy.Resource{Kind: policy.KindSubmissions,
			Dataset: sub.Dataset, Categories: []string{h.category(sub.Partner)},
			Classification: policy.Level(sub.Classification), Partner: sub.Partner})
		if d.Allowed {
			shown = append(shown, sub)
			for _, r := range d.Rules {
				rules[r] = true
			}
		}
	}
	d := policy.Decision{Allowed: len(shown) > 0, Reason: policy.ReasonGranted, Rules: slices.Sorted(maps.Keys(rules))}
	if len(subs) == 0 {
		// Nothing to filter: whether the reader may list submissions at
		// all is decided for its own partner's, or everyone's.
		id := identityOf(c)
		r := h.opsResource()
		if id.Partner != "" {
			r.Categories, r.Partner = []string{h.category(id.Partner)}, id.Partner
		}
		d = h.decide(id, policy.ReadSubmissions, r)
	} else if !d.Allowed {
		d.Reason = policy.ReasonNoMatchingGrant
	}
	details := map[string]string{"shown": strconv.Itoa(len(shown)), "withheld": strconv.Itoa(len(subs) - len(shown))}
	if err := h.record(c, policy.ReadSubmissions, audit.Resource{}, d, details); err != nil {
		return err
	}
	if !d.Allowed {
		return forbidden(d)
	}
	setNext(c, next, p.Limit)
	return c.JSON(http.StatusOK, shown)
}

// quarantine lists refused objects, oldest first, optionally only those
// whose objects are not yet moved, a page at a time.
func (h *handlers) quarantine(c echo.Context) error {
	var unsettled bool
	switch c.QueryParam("unsettled") {
	case "", "false":
	case "true":
		unsettled = true
	default:
		return badRequest("invalid unsettled")
	}
	p, err := page(c)
	if err != nil {
		return err
	}
	if err := h.allowOps(c); err != nil {
		return err
	}
	qs, next, err := h.cfg.Store.QuarantinePage(c.Request().Context(), unsettled, p)
	if err != nil {
		return pageError(err, "quarantine")
	}
	if qs == nil {
		qs = []store.Quarantined{}
	}
	setNext(c, next, p.Limit)
	return c.JSON(http.StatusOK, qs)
}

// gaps lists the partners whose chain waits for a missing submission.
func (h *handlers) gaps(c echo.Context) error {
	if err := h.allowOps(c); err != nil {
		return err
	}
	var gs []ingest.Gap
	if h.cfg.Gaps != nil {
		gs = h.cfg.Gaps.Gaps()
	}
	if gs == nil {
		gs = []ingest.Gap{}
	}
	return c.JSON(http.StatusOK, gs)
}
