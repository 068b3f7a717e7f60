// Package api is the hub's HTTP API: liveness and readiness probes for
// the orchestrator, and for authenticated clients the decided
// submissions, the quarantine log, the partners whose chain waits for a
// missing submission, and exports of accepted records as JSON or CSV.
//
// Until the access policy decides what each client may read, exports
// carry only the records of submissions classified standard: no record
// of a restricted submission leaves the hub through this API.
//
// It guarantees that:
//   - every route under /api/ requires a bearer token whose SHA-256 is in
//     Config.TokenHashes, compared in constant time; with no hashes
//     configured every such request is refused. Tokens are never logged;
//     the log names a client by a short fingerprint of the token's hash;
//   - clients see only fixed error messages ({"error":"..."}); the cause
//     is logged, 4xx at warn and 5xx at error;
//   - exports are streamed, so their size does not bound the hub's memory,
//     and an export that fails after it has begun is cut off rather than
//     ended cleanly, so a client cannot mistake it for a complete one;
//   - every CSV cell is quoted, so no separator inside it can split it,
//     and neutralised against formula injection;
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
	// TokenHashes are the SHA-256 hashes (see HashToken) of the accepted
	// bearer tokens. Storing hashes keeps the tokens out of configuration
	// files; with none, every authenticated route answers 401.
	TokenHashes [][32]byte
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
	e.Use(h.logRequests, secureHeaders, recoverPanics(), h.requireToken)

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
	v1.GET("/completeness", h.completeness)
	return e, nil
}

// handlers holds what the route handlers share.
type handlers struct {
	cfg Config
	log *slog.Logger
}
