// Package api is the hub's HTTP API: liveness and readiness probes for
// the orchestrator, and for authenticated clients the decided
// submissions, the quarantine log, the partners whose chain waits for a
// missing submission, exports of accepted records, the merged datasets
// and report tables, the completeness table and the audit log.
//
// It guarantees that:
//   - every route under /api/ requires an identity the Authenticator
//     accepts (an OIDC bearer token, an API token or a TLS client
//     certificate, see hub/auth); without one, or with no Authenticator,
//     the request is refused. Tokens are never logged; the log names a
//     client by a short fingerprint;
//   - every read and export is decided by the access policy (policy/)
//     and recorded in the audit log before anything decided on leaves the
//     hub: who, what, the decision, its reason and rules. Default deny:
//     with no policy nothing is served. Records come only from the
//     partners and classifications the policy allows the reader, with
//     the fields it masks left out; tables come from the scope the
//     reader's clearance allows, with the disclosure threshold the
//     policy sets applied (policy/disclosure): suppressed cells have no
//     count, never a zero;
//   - clients see only fixed error messages ({"error":"..."}); the cause
//     is logged, 4xx at warn and 5xx at error;
//   - exports are streamed, so their size does not bound the hub's memory,
//     and an export that fails after it has begun is cut off rather than
//     ended cleanly, so a client cannot mistake it for a complete one;
//   - every CSV cell is quoted, so no separator inside it can split it,
//     and neutralised against formula injection; XLSX text cells are
//     strings, never formulas;
//   - listings return at most maxLimit rows at a time, with a cursor to
//     the next page;
//   - every request is logged with its method, path (never the query
//     string), status, duration and remote address.
//
// The OpenAPI description of the routes is docs/openapi.yaml; a test keeps
// it equal to the routes New registers.
package api

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/policy"
)

// Store is the part of the hub's store the API reads.
type Store interface {
	Ping(ctx context.Context) error
	SubmissionsPage(ctx context.Context, f store.Filter, p store.Page) ([]store.Submission, string, error)
	QuarantinePage(ctx context.Context, unsettled bool, p store.Page) ([]store.Quarantined, string, error)
	// Records must return only records that may be exported, which
	// store.Store.Records does: those of accepted standard submissions.
	Records(ctx context.Context, dataset, period string, fn func(store.Record) error) error
}

// GapSource reports the partners whose chain waits for a missing
// submission.
type GapSource interface {
	Gaps() []ingest.Gap
}

var (
	_ Store     = (*store.Store)(nil)
	_ GapSource = (*ingest.Ingester)(nil)
)

// Config configures the API. Store is required; the zero value of every
// other field works.
type Config struct {
	Store Store
	// Gaps reports waiting chains; with nil, /api/v1/gaps lists none.
	Gaps GapSource
	// Auth authenticates clients; with nil, every route under /api/
	// answers 401.
	Auth Authenticator
	// Policy returns the access policy in force, which decides every read
	// and export; nil, or a nil policy, refuses them all.
	Policy func() *policy.Policy
	// Audit records every decision; with nil, decisions are only logged
	// (for tests: a hub always has one).
	Audit AuditLog
	// AuditReader serves /api/v1/audit; with nil, the route answers 404.
	AuditReader AuditReader
	// Categories returns the source category of each partner, for the
	// policy's decisions; nil knows none, so only pooled data of known
	// categories can be decided on.
	Categories func() map[string]string
	// Merges serves the merged datasets and report tables; with nil,
	// their routes answer 404.
	Merges Merges
	// Expected lists the partners the completeness table expects data
	// from (the registry's); nil expects none.
	Expected func() []report.Expectation
	// Deadline is how long after a period's end its data count as on
	// time; 0 means report.DefaultDeadline.
	Deadline time.Duration
	// Ready reports readiness beyond the database answering, such as the
	// first poll of the drop box being done; nil means ready.
	Ready func() error
	// Logger receives the request log and error causes; slog.Default()
	// when nil.
	Logger *slog.Logger
}

// Server timeouts that apply when the caller starts the API with
// echo's Start. There is no write timeout: exports stream for as long as
// they take.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	pingTimeout       = 5 * time.Second
)

// New returns the API with its routes and middleware registered. The
// caller serves it, with e.Start or as the Handler of its own
// http.Server.
func New(cfg Config) (*echo.Echo, error) {
	if cfg.Store == nil {
		return nil, errors.New("api: a store is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	h := &handlers{cfg: cfg, log: cfg.Logger}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = h.handleError
	e.Server.ReadHeaderTimeout = readHeaderTimeout
	e.Server.ReadTimeout = readTimeout
	e.Server.IdleTimeout = idleTimeout

	// The request log is outermost so that it sees the status the error
	// handler chose, and panics recovered inside it. The token check is
	// global rather than on the group so that it covers every path under
	// /api/, routed or not: an unauthenticated client learns nothing,
	// not even which routes exist.
	e.Use(h.logRequests, secureHeaders, recoverPanics(), h.authenticate)

	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)

	v1 := e.Group("/api/v1")
	v1.GET("/submissions", h.submissions)
	v1.GET("/quarantine", h.quarantine)
	v1.GET("/gaps", h.gaps)
	v1.GET("/datasets/:dataset/periods/:period/records", h.records)
	v1.GET("/merges", h.merges)
	v1.GET("/merges/:version", h.merge)
	v1.GET("/merges/:version/tables", h.tables)
	v1.GET("/merges/:version/tables/:table", h.table)
	v1.GET("/merges/:version/records", h.mergedRecords)
	v1.GET("/merges/:version/victims", h.victimsView)
	v1.GET("/completeness", h.completeness)
	v1.GET("/audit", h.auditLog)
	return e, nil
}

// handlers holds what the route handlers share.
type handlers struct {
	cfg       Config
	log       *slog.Logger
	protected protectedCache
}
