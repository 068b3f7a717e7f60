package api

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/policy"
)

// Authenticator says who sent a request: hub/auth's, from a bearer token
// (OIDC or an API token) or a TLS client certificate.
type Authenticator interface {
	Authenticate(r *http.Request) (auth.Identity, error)
}

// AuditLog records every decision before its outcome leaves the hub: an
// error from Append means the request must not be served.
type AuditLog interface {
	Append(audit.Event) (audit.Entry, error)
}

var (
	_ Authenticator = (*auth.Authenticator)(nil)
	_ AuditLog      = (*audit.Log)(nil)
)

// identityKey is where authenticate leaves the request's identity.
const identityKey = "thbx.identity"

// Reasons the API refuses on its own, before or besides the policy.
const (
	reasonTokenScope   policy.Reason = "token_scope"   // a service token or certificate not scoped for the action
	reasonTokenDataset policy.Reason = "token_dataset" // a service token limited to other datasets
	// reasonEarlierVersion refuses tables of a merge version other than
	// the latest to a reader allowed tables only.
	reasonEarlierVersion policy.Reason = "earlier_version"
)

var errForbidden = errors.New("the access policy refuses this request")

// authenticate lets a request for a path under /api/ through only with an
// identity the Authenticator accepts. Both the request path and the
// matched route are checked, so that no spelling of a path reaches an
// /api/ route unauthenticated. With no Authenticator every such request
// is refused.
func (h *handlers) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !underAPI(c.Request().URL.Path) && !underAPI(c.Path()) {
			return next(c)
		}
		if h.cfg.Auth == nil {
			return &clientError{status: http.StatusUnauthorized, cause: errors.New("no authenticator configured")}
		}
		id, err := h.cfg.Auth.Authenticate(c.Request())
		if err != nil {
			return &clientError{status: http.StatusUnauthorized, cause: err}
		}
		c.Set(identityKey, id)
		c.Set(clientKey, id.Fingerprint)
		return next(c)
	}
}

func underAPI(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/")
}

func identityOf(c echo.Context) auth.Identity {
	id, _ := c.Get(identityKey).(auth.Identity)
	return id
}

// decide asks the policy whether the request's identity may take the
// action on the resource. An identity with several roles is allowed
// what any one of them is allowed, under that role's restrictions (the
// first role that is allowed decides); a service token or certificate is
// also held to its scopes and datasets.
func (h *handlers) decide(id auth.Identity, a policy.Action, r policy.Resource) policy.Decision {
	if id.Kind != auth.KindOIDC && (len(id.Scopes) > 0 || id.Kind == auth.KindToken) {
		// Exporting needs the scope of reading what is exported too: a
		// token scoped to export tables exports no records.
		need := []policy.Action{a}
		switch {
		case a == policy.Export && r.Kind == policy.KindRecords:
			need = append(need, policy.ReadRecords)
		case a == policy.Export && r.Kind == policy.KindAggregates:
			need = append(need, policy.ReadAggregates)
		}
		for _, n := range need {
			if !id.HasScope(string(n)) {
				return policy.Decision{Reason: reasonTokenScope}
			}
		}
	}
	if id.Datasets != nil && r.Dataset != "" && !slices.Contains(id.Datasets, r.Dataset) {
		return policy.Decision{Reason: reasonTokenDataset}
	}
	var pol *policy.Policy
	if h.cfg.Policy != nil {
		pol = h.cfg.Policy()
	}
	var first *policy.Decision
	for _, role := range id.Roles {
		p := policy.Principal{Role: policy.Role(role), Clearance: policy.Level(id.Clearance), Unit: id.Unit,
			Partner: id.Partner, Subject: id.Fingerprint}
		d := pol.Decide(p, a, r)
		if d.Allowed {
			return d
		}
		if first == nil {
			first = &d
		}
	}
	if first == nil {
		return policy.Decision{Reason: policy.ReasonNoMatchingGrant}
	}
	return *first
}

// record writes a decision to the audit log and the request log. It must
// succeed before anything decided on leaves the hub.
func (h *handlers) record(c echo.Context, a policy.Action, res audit.Resource, d policy.Decision, details map[string]string) error {
	id := identityOf(c)
	dec := audit.Deny
	if d.Allowed {
		dec = audit.Allow
	}
	kind := "client"
	if len(id.Roles) > 0 {
		kind = id.Roles[0]
	}
	res.Path = c.Request().URL.Path
	h.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "access decision", slog.String("action", string(a)),
		slog.String("path", res.Path), slog.String("client", id.Fingerprint), slog.Any("decision", d))
	if h.cfg.Audit == nil {
		return nil
	}
	_, err := h.cfg.Audit.Append(audit.Event{
		Actor:  audit.Actor{Kind: kind, Subject: id.Fingerprint},
		Action: audit.Action(a), Resource: res, Decision: dec, Reason: string(d.Reason),
		Rule: strings.Join(d.Rules, ","), Details: details,
	})
	if err != nil {
		return errors.Join(errors.New("audit log refused the decision; nothing served"), err)
	}
	return nil
}

// forbidden is the answer to a refused request, once recorded.
func forbidden(d policy.Decision) error {
	return &clientError{status: http.StatusForbidden, cause: errors.Join(errForbidden, errors.New(string(d.Reason)))}
}

// category returns a partner's source category, "" if unknown.
func (h *handlers) category(partner string) string {
	if h.cfg.Categories == nil {
		return ""
	}
	return h.cfg.Categories()[partner]
}

// allCategories returns the registry's source categories, sorted.
func (h *handlers) allCategories() []string {
	var out []string
	if h.cfg.Categories != nil {
		for _, c := range h.cfg.Categories() {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return out
}

// clientKey is where authenticate leaves the client's fingerprint for
// the request log.
const clientKey = "thbx.client"

var errNotObject = errors.New("stored record is not a JSON object")

// opsResource is the intake's state across partners (the quarantine
// log, waiting chains, completeness, merge provenance): decided as
// metadata of submissions from every source category the registry knows.
func (h *handlers) opsResource() policy.Resource {
	return policy.Resource{Kind: policy.KindSubmissions, Dataset: "victims", Categories: h.allCategories(),
		Classification: policy.Standard}
}

// allowOps decides and records a read of the intake's state.
func (h *handlers) allowOps(c echo.Context) error {
	d := h.decide(identityOf(c), policy.ReadSubmissions, h.opsResource())
	if err := h.record(c, policy.ReadSubmissions, audit.Resource{}, d, nil); err != nil {
		return err
	}
	if !d.Allowed {
		return forbidden(d)
	}
	return nil
}
