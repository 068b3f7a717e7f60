package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/policy"
)

// AuditReader pages through the audit log.
type AuditReader interface {
	List(f audit.Filter, p audit.Page) (audit.Result, error)
}

var _ AuditReader = (*audit.Log)(nil)

// auditLog lists audit entries, oldest first, a page at a time, for
// those the policy lets read it (auditors). Reading the log is itself
// logged.
func (h *handlers) auditLog(c echo.Context) error {
	if h.cfg.AuditReader == nil {
		return &clientError{status: http.StatusNotFound, cause: errors.New("no audit log configured")}
	}
	var f audit.Filter
	for name, dst := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if v := c.QueryParam(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return badRequest("invalid " + name)
			}
			*dst = t
		}
	}
	f.Kind, f.Subject = c.QueryParam("kind"), c.QueryParam("subject")
	f.Action = audit.Action(c.QueryParam("action"))
	switch dec := audit.Decision(c.QueryParam("decision")); dec {
	case "", audit.Allow, audit.Deny:
		f.Decision = dec
	default:
		return badRequest("invalid decision")
	}
	p := audit.Page{Cursor: c.QueryParam("after"), Limit: audit.DefaultLimit}
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > audit.MaxLimit {
			return badRequest("invalid limit")
		}
		p.Limit = n
	}
	d := h.decide(identityOf(c), policy.ReadAudit, policy.Resource{Kind: policy.KindAudit})
	if err := h.record(c, policy.ReadAudit, audit.Resource{}, d, nil); err != nil {
		return err
	}
	if !d.Allowed {
		return forbidden(d)
	}
	res, err := h.cfg.AuditReader.List(f, p)
	if errors.Is(err, audit.ErrBadCursor) {
		return &clientError{status: http.StatusBadRequest, msg: "invalid after", cause: err}
	}
	if err != nil {
		return fmt.Errorf("list audit log: %w", err)
	}
	if res.Entries == nil {
		res.Entries = []audit.Entry{}
	}
	setNext(c, res.Next, p.Limit)
	return c.JSON(http.StatusOK, res.Entries)
}
