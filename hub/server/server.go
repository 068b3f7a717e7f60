// Package server wires the hub together: configuration, the SQLite store,
// the intake that polls the drop box, and the HTTP API.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	osuser "os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/hub/api"
	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/policy"
	"github.com/thbx/thbx/submission/dropbox"
)

// Config is the hub's configuration file (YAML); environment variables
// override it (see ApplyEnv). Relative paths are relative to the file.
type Config struct {
	// Keys is the hub's key directory made by `thbx-keys init`.
	Keys string `yaml:"keys"`
	// Store is the SQLite database file.
	Store string `yaml:"store"`
	// Listen is the API's address; 127.0.0.1:8080 when empty. An address
	// other than loopback needs TLS, or AllowPlainHTTP behind a proxy
	// that terminates TLS.
	Listen string `yaml:"listen"`
	// AllowPlainHTTP serves plain HTTP on a non-loopback address: only
	// behind a reverse proxy that terminates TLS on the same host or
	// network segment.
	AllowPlainHTTP bool `yaml:"allow_plain_http"`
	// PollInterval is how often the inbox is listed; 10s when empty.
	PollInterval string `yaml:"poll_interval"`
	// MaxPayloadBytes bounds one submission's ciphertext; 2 GiB when 0.
	MaxPayloadBytes int64 `yaml:"max_payload_bytes"`
	// MemoryLimit is a soft limit on the memory the hub's Go runtime
	// holds, such as "1800MiB" (units B, KiB, MiB, GiB): the garbage
	// collector works harder as the hub nears it, rather than let a merge
	// of a million records grow to twice what it keeps live. None when
	// empty; the GOMEMLIMIT environment variable, if set, wins. The
	// limit bounds the collector's work, not what the hub may need: set
	// it well above a merge's live data (some 800 MiB for a million
	// records; see bench/report).
	MemoryLimit string `yaml:"memory_limit"`
	// Auth says how API clients authenticate.
	Auth AuthConfig `yaml:"auth"`
	// TLS, when its cert and key are set, serves the API over HTTPS,
	// optionally asking for client certificates.
	TLS TLSConfig `yaml:"tls"`
	// Policy is the access policy file (policy/, docs/POLICY.md). Without
	// one the API refuses every read.
	Policy string `yaml:"policy"`
	// PolicySHA256 is the policy file's SHA-256, which the hub checks
	// before it takes the policy. With Trust, the trust bundle's
	// policy_digest is the one checked, and this, if set, must equal it;
	// without Trust (the plain registry, for local use) it is required
	// with Policy.
	PolicySHA256 string `yaml:"policy_sha256"`
	// AuditLog is the audit log file; audit.jsonl beside the store when
	// empty.
	AuditLog string         `yaml:"audit_log"`
	Dropbox  dropbox.Config `yaml:"dropbox"`
	// Trust names the pinned root and the file of the last verified trust
	// bundle; with it the hub trusts what the officers signed and
	// published under trust/, not the plain registry in the key directory.
	Trust agent.TrustFiles `yaml:"trust"`
	// Merge configures the merged datasets and report tables.
	Merge MergeConfig `yaml:"merge"`
}

// AuthConfig configures client authentication (hub/auth).
type AuthConfig struct {
	// TokensFile lists the API tokens (hashed) and client certificates
	// the hub accepts, with their roles; `thbx-hub token create` adds to
	// it. Mode 0600.
	TokensFile string `yaml:"tokens_file"`
	// OIDC accepts bearer tokens of an OpenID Connect issuer.
	OIDC *OIDCConfig `yaml:"oidc"`
}

// OIDCConfig is the identity provider whose tokens the hub accepts.
type OIDCConfig struct {
	Issuer         string `yaml:"issuer"`
	Audience       string `yaml:"audience"`
	RolesClaim     string `yaml:"roles_claim"`
	ClearanceClaim string `yaml:"clearance_claim"`
	UnitClaim      string `yaml:"unit_claim"`
	PartnerClaim   string `yaml:"partner_claim"`
}

// TLSConfig is the API's TLS.
type TLSConfig struct {
	Cert     string `yaml:"cert"`
	Key      string `yaml:"key"`
	ClientCA string `yaml:"client_ca"`
	// RequireClientCert refuses connections without a certificate from
	// ClientCA; without it a certificate is verified when one is given.
	RequireClientCert bool `yaml:"require_client_cert"`
}

// MergeConfig configures merges (hub/report).
type MergeConfig struct {
	// Manual turns off the merge after each poll that changed what is in
	// force; `thbx-hub merge` makes one by hand.
	Manual bool `yaml:"manual"`
	// DeadlineDays is how many days after the end of a period its data
	// count as on time in the completeness table; 90 when 0.
	DeadlineDays int `yaml:"deadline_days"`
}

// LoadConfig reads a YAML config file, refusing unknown keys, and a file
// holding the S3 secret that others can read.
func LoadConfig(path string) (Config, error) {
	var c Config
	err := certs.LoadConfig(path, &c, func() bool { return c.Dropbox.SecretKey != "" },
		&c.Keys, &c.Store, &c.Dropbox.Dir, &c.Dropbox.CAFile, &c.Trust.Root, &c.Trust.Bundle,
		&c.Auth.TokensFile, &c.TLS.Cert, &c.TLS.Key, &c.TLS.ClientCA, &c.Policy, &c.AuditLog)
	return c, err
}

// ApplyEnv overrides fields from the environment: THBX_HUB_KEYS,
// THBX_HUB_STORE, THBX_HUB_LISTEN, THBX_HUB_POLL_INTERVAL,
// THBX_HUB_MAX_PAYLOAD_BYTES, THBX_HUB_TOKENS (the tokens file),
// THBX_HUB_POLICY, THBX_HUB_POLICY_SHA256, and the drop-box variables of
// the agent (THBX_DROPBOX, THBX_S3_…).
func (c *Config) ApplyEnv(getenv func(string) string) error {
	for name, dst := range map[string]*string{
		"THBX_HUB_KEYS": &c.Keys, "THBX_HUB_STORE": &c.Store, "THBX_HUB_LISTEN": &c.Listen,
		"THBX_HUB_POLL_INTERVAL": &c.PollInterval, "THBX_HUB_TOKENS": &c.Auth.TokensFile,
		"THBX_HUB_POLICY": &c.Policy, "THBX_HUB_POLICY_SHA256": &c.PolicySHA256,
		"THBX_HUB_MEMORY_LIMIT": &c.MemoryLimit,
	} {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	if v := getenv("THBX_HUB_MAX_PAYLOAD_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("THBX_HUB_MAX_PAYLOAD_BYTES=%q: want a positive number of bytes", v)
		}
		c.MaxPayloadBytes = n
	}
	return agent.ApplyDropboxEnv(&c.Dropbox, getenv)
}

// Validate fills defaults and says what is missing.
func (c *Config) Validate() error {
	var errs []error
	if c.Keys == "" {
		errs = append(errs, errors.New("keys: name the hub's key directory (thbx-keys init makes one) in the config or THBX_HUB_KEYS"))
	}
	if c.Store == "" {
		errs = append(errs, errors.New("store: name the SQLite database file in the config or THBX_HUB_STORE"))
	}
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.PollInterval == "" {
		c.PollInterval = "10s"
	}
	if c.MaxPayloadBytes < 0 {
		errs = append(errs, fmt.Errorf("max_payload_bytes %d: want a positive number of bytes, or 0 for the default (2 GiB)", c.MaxPayloadBytes))
	}
	if _, err := ParseSize(c.MemoryLimit); err != nil {
		errs = append(errs, fmt.Errorf("memory_limit: %w", err))
	}
	if c.Merge.DeadlineDays < 0 {
		errs = append(errs, fmt.Errorf("merge.deadline_days %d: want a positive number of days, or 0 for the default (90)", c.Merge.DeadlineDays))
	}
	if d, err := time.ParseDuration(c.PollInterval); err != nil || d < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("poll_interval %q: want a duration of at least 100ms, such as 10s", c.PollInterval))
	}
	if c.PolicySHA256 != "" && (len(c.PolicySHA256) != 64 || strings.Trim(c.PolicySHA256, "0123456789abcdef") != "") {
		errs = append(errs, fmt.Errorf("policy_sha256: want the 64 lower-case hex digits of the policy file's SHA-256 (sha256sum prints them)"))
	}
	if c.PolicySHA256 != "" && c.Trust.Root != "" {
		errs = append(errs, errors.New("policy_sha256: with a trust bundle the policy's digest is the bundle's policy_digest, which the officers sign; leave policy_sha256 out"))
	}
	if c.Policy != "" && c.PolicySHA256 == "" && c.Trust.Root == "" {
		errs = append(errs, errors.New("policy_sha256: name the policy file's SHA-256, which the hub checks before it takes the policy (with a trust bundle, the bundle's policy_digest is checked)"))
	}
	if c.TLS.Cert == "" && !c.AllowPlainHTTP && !loopback(c.Listen) {
		errs = append(errs, fmt.Errorf("listen %s: serving tokens and records in plain HTTP off loopback; set tls.cert and tls.key, or allow_plain_http behind a TLS proxy", c.Listen))
	}
	if (c.TLS.Cert == "") != (c.TLS.Key == "") || (c.TLS.ClientCA != "" && c.TLS.Cert == "") {
		errs = append(errs, errors.New("tls: give both cert and key (and client_ca only with them)"))
	}
	if o := c.Auth.OIDC; o != nil && (o.Issuer == "" || o.Audience == "") {
		errs = append(errs, errors.New("auth.oidc: name the issuer and the audience (the hub's client id at the issuer)"))
	}
	if c.AuditLog == "" && c.Store != "" {
		c.AuditLog = filepath.Join(filepath.Dir(c.Store), "audit.jsonl")
	}
	return errors.Join(errs...)
}

// loopback reports whether a listen address is on a loopback interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Hub is a running hub's parts.
type Hub struct {
	Config   Config
	Store    *store.Store
	Ingester *ingest.Ingester
	API      http.Handler
	log      *slog.Logger
	polled   atomic.Bool
	box      dropbox.Box
	regFile  string // the plain registry, without Config.Trust
	regStamp string
	trust    *trust.Local // with Config.Trust
	reg      atomic.Pointer[certs.Registry]
	salt     []byte
	Audit    *audit.Log
	auth     *auth.Authenticator
	policy   atomic.Pointer[policy.Policy]
	policyOK string // the digest of the policy in force, "" for none
	tls      *tls.Config
	tokStamp string
	// policyTried is the digest and file stamp last refused.
	policyTried string
}

// Open loads keys and registry, opens the store and the drop box.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Hub, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	files := certs.HubFilesIn(cfg.Keys)
	ids, err := certs.LoadHubIdentities(files.Identities)
	if err != nil {
		return nil, err
	}
	rk, err := certs.LoadReceiptKey(files.ReceiptKey)
	if err != nil {
		return nil, err
	}
	box, err := dropbox.Open(cfg.Dropbox)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	h := &Hub{Config: cfg, log: log, box: box}
	var reg *certs.Registry
	if cfg.Trust.Root != "" {
		if reg, err = h.openTrust(ctx); err != nil {
			return nil, err
		}
	} else {
		if reg, err = certs.LoadRegistry(files.Registry); err != nil {
			return nil, err
		}
		h.regFile, h.regStamp = files.Registry, fileStamp(files.Registry)
	}
	salt, made, err := certs.LoadMergeSalt(files.MergeSalt, true, nil)
	if err != nil {
		return nil, err
	}
	if made {
		log.Warn("made a new merge salt: person ids of merged data depend on it; back it up with the hub's keys", "file", files.MergeSalt)
	}
	h.salt = salt
	h.reg.Store(reg)
	st, err := store.Open(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	h.Store = st
	if err := h.openAccess(files); err != nil {
		h.Close()
		return nil, err
	}
	in, err := ingest.New(ingest.Config{Box: box, Store: st, Registry: reg, Identities: ids, ReceiptKey: rk,
		MaxCiphertext: cfg.MaxPayloadBytes, Logger: log, Audit: h.Audit})
	if err != nil {
		h.Close()
		return nil, err
	}
	h.Store, h.Ingester = st, in
	h.API, err = api.New(api.Config{Store: st, Gaps: in, Logger: log,
		Auth: h.auth, Policy: h.policy.Load, Audit: h.Audit, AuditReader: h.Audit, Categories: h.categories,
		Merges: st, Expected: h.expected, Deadline: cfg.deadline(),
		Ready: func() error {
			if !h.polled.Load() {
				return errors.New("first poll of the drop box not done yet")
			}
			return h.auth.Ready(context.Background())
		}})
	if err != nil {
		h.Close()
		return nil, err
	}
	log.Info("hub ready", "dropbox", box.String(), "store", cfg.Store, "partners", len(reg.Partners), "registry_version", reg.Version)
	return h, nil
}

// OpenOffline opens the store and what merges need (the salt, and the
// registry of the trust bundle held or of the key directory) without the
// drop box, the intake or the API: for merging, verifying and exporting
// from the command line while the hub is stopped. The store admits one
// process at a time, so a running hub answers store.ErrLocked.
func OpenOffline(ctx context.Context, cfg Config, log *slog.Logger) (*Hub, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	files := certs.HubFilesIn(cfg.Keys)
	h := &Hub{Config: cfg, log: log}
	reg, err := h.offlineRegistry(files)
	if err != nil {
		return nil, err
	}
	h.reg.Store(reg)
	if h.salt, _, err = certs.LoadMergeSalt(files.MergeSalt, false, nil); err != nil {
		return nil, err
	}
	if h.Store, err = store.Open(ctx, cfg.Store); err != nil {
		if errors.Is(err, store.ErrLocked) {
			return nil, fmt.Errorf("%w: the hub is running; use its API (/api/v1/merges), or stop it first", err)
		}
		return nil, err
	}
	key, _, err := certs.LoadAuditKey(files.AuditKey, true, nil)
	if err == nil {
		h.Audit, err = audit.Open(audit.Config{Path: cfg.AuditLog, Key: key, Logger: log})
	}
	if err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

// RecordLocal records in the audit log what an operator did on the
// command line, with the store's files at hand (no policy decides it:
// whoever holds the files holds the data). It must succeed before the
// outcome is written.
func (h *Hub) RecordLocal(a audit.Action, res audit.Resource, details map[string]string) error {
	user := "uid-" + strconv.Itoa(os.Getuid())
	if u, err := osuser.Current(); err == nil && u.Username != "" && len(u.Username) <= 64 {
		user = u.Username + " (" + user + ")"
	}
	_, err := h.Audit.Append(audit.Event{Actor: audit.Actor{Kind: "operator", Subject: user}, Action: a,
		Resource: res, Decision: audit.Allow, Reason: "local_operator", Details: details})
	if err != nil {
		return fmt.Errorf("audit log: %w; nothing written", err)
	}
	return nil
}

func (h *Hub) offlineRegistry(files certs.HubFiles) (*certs.Registry, error) {
	if h.Config.Trust.Root == "" {
		return certs.LoadRegistry(files.Registry)
	}
	l, err := trust.LoadLocal(h.Config.Trust.Root, h.Config.Trust.Bundle, time.Now())
	if err != nil {
		return nil, err
	}
	b, err := l.Current()
	if err != nil {
		return nil, fmt.Errorf("no valid trust bundle: %w", err)
	}
	return &b.Registry, nil
}

// openAccess opens what decides and records access: the audit log (with
// its checkpoint key), the authenticator, the access policy and TLS.
func (h *Hub) openAccess(files certs.HubFiles) error {
	cfg := h.Config
	key, made, err := certs.LoadAuditKey(files.AuditKey, true, nil)
	if err != nil {
		return err
	}
	if made {
		h.log.Warn("made a new audit key: it signs the audit log's checkpoints; back it up with the hub's keys", "file", files.AuditKey)
	}
	if h.Audit, err = audit.Open(audit.Config{Path: cfg.AuditLog, Key: key, Logger: h.log}); err != nil {
		return err
	}
	ac := auth.Config{TokensFile: cfg.Auth.TokensFile}
	if o := cfg.Auth.OIDC; o != nil {
		ac.OIDC = &auth.OIDCConfig{IssuerURL: o.Issuer, Audience: o.Audience, RolesClaim: o.RolesClaim,
			ClearanceClaim: o.ClearanceClaim, UnitClaim: o.UnitClaim, PartnerClaim: o.PartnerClaim}
	}
	if ac.TokensFile == "" && ac.OIDC == nil {
		h.log.Warn("no auth.tokens_file and no auth.oidc: every API request will be refused")
	}
	if h.auth, err = auth.New(ac); err != nil {
		return fmt.Errorf("configuration: auth: %w", err)
	}
	h.tokStamp = fileStamp(ac.TokensFile)
	if cfg.TLS.Cert != "" {
		if h.tls, err = auth.ServerTLS(auth.TLSConfig{CertFile: cfg.TLS.Cert, KeyFile: cfg.TLS.Key,
			ClientCAFile: cfg.TLS.ClientCA, RequireClientCert: cfg.TLS.RequireClientCert}); err != nil {
			return fmt.Errorf("configuration: %w", err)
		}
	}
	return h.loadPolicy()
}

// loadPolicy takes the policy file if its digest is the one in force:
// the trust bundle's, or without trust the configured one. A policy that
// does not match leaves none in force: the API refuses every read until
// the file and the digest agree, rather than use a policy nobody signed.
func (h *Hub) loadPolicy() error {
	cfg := h.Config
	want := cfg.PolicySHA256
	if h.trust != nil {
		b, err := h.trust.Current()
		if err != nil || !time.Now().Before(b.Expires) {
			// No bundle in force, or an expired one: no policy either.
			if h.policyOK != "" {
				h.log.Error("no valid trust bundle: the API refuses every read until the officers publish one")
			}
			h.policy.Store(nil)
			h.policyOK = ""
			return nil
		}
		want = b.PolicyDigest
	}
	if cfg.Policy == "" {
		h.log.Warn("no access policy configured: the API refuses every read")
		return nil
	}
	if want == h.policyOK {
		return nil
	}
	// A refused policy is tried again when the file or the digest changes.
	tried := want + "@" + fileStamp(cfg.Policy)
	if tried == h.policyTried {
		return nil
	}
	h.policyTried = tried
	if want == "" {
		h.policy.Store(nil)
		h.policyOK = ""
		h.log.Error("the trust bundle names no policy digest: the API refuses every read until the officers publish one (thbx-keys propose -policy-digest)")
		return nil
	}
	p, err := policy.Load(cfg.Policy, want)
	if err != nil {
		h.policy.Store(nil)
		h.policyOK = ""
		h.auditHub(audit.ActionPolicyChange, audit.Deny, "policy_refused", map[string]string{"digest": want[:12]})
		h.log.Error("access policy refused: the API refuses every read until the policy file matches the digest in force", "err", err)
		return nil
	}
	if err := h.auditHubErr(audit.ActionPolicyChange, audit.Allow, "policy_loaded", map[string]string{"digest": want[:12]}); err != nil {
		h.policy.Store(nil)
		h.policyOK = ""
		h.log.Error("the audit log refused the policy change: the API refuses every read", "err", err)
		return nil
	}
	h.policy.Store(p)
	h.policyOK = want
	h.log.Info("access policy in force", "file", cfg.Policy, "sha256", want)
	return nil
}

// auditHub records a decision of the hub itself; a failure is logged.
func (h *Hub) auditHub(a audit.Action, d audit.Decision, reason string, details map[string]string) {
	if err := h.auditHubErr(a, d, reason, details); err != nil {
		h.log.Error("audit log refused an entry", "action", a, "err", err)
	}
}

func (h *Hub) auditHubErr(a audit.Action, d audit.Decision, reason string, details map[string]string) error {
	if h.Audit == nil {
		return nil
	}
	_, err := h.Audit.Append(audit.Event{Actor: audit.Actor{Kind: audit.KindHub, Subject: "thbx-hub"},
		Action: a, Decision: d, Reason: reason, Details: details})
	return err
}

// categories maps the registry's partners to their source categories.
func (h *Hub) categories() map[string]string {
	out := map[string]string{}
	for _, p := range h.reg.Load().Partners {
		out[p.ID] = p.Category
	}
	return out
}

// openTrust loads the pinned root and the last verified bundle and takes
// any newer ones published in the drop box.
func (h *Hub) openTrust(ctx context.Context) (*certs.Registry, error) {
	if h.Config.Trust.Bundle == "" {
		return nil, errors.New("configuration: trust.root is set but trust.bundle is not")
	}
	var err error
	if h.trust, err = trust.LoadLocal(h.Config.Trust.Root, h.Config.Trust.Bundle, time.Now()); err != nil {
		return nil, err
	}
	if _, err := h.trust.Sync(ctx, trust.FetchFrom(h.box), time.Now()); err != nil {
		h.log.Warn("trust not refreshed from the drop box; using the bundle held", "err", err)
	}
	b, err := h.trust.Current()
	if err != nil {
		return nil, fmt.Errorf("no valid trust bundle: %w", err)
	}
	h.log.Info("trust bundle in force", "version", b.Version, "root_version", h.trust.Root.Version, "expires", b.Expires)
	return &b.Registry, nil
}

// refreshTrust takes a newer published bundle (or registry file) before a
// poll. One that does not verify or load is logged and the one in force
// stays; an expired bundle in force stops the intake (freeze protection).
func (h *Hub) refreshTrust(ctx context.Context) error {
	if h.trust != nil {
		changed, err := h.trust.Sync(ctx, trust.FetchFrom(h.box), time.Now())
		if err != nil {
			h.log.Error("a published trust bundle or root was refused; keeping the one in force", "err", err)
		}
		b, err := h.trust.Current()
		if err != nil {
			return err
		}
		if !time.Now().Before(b.Expires) {
			return fmt.Errorf("trust bundle version %d expired at %s: intake stops until the officers publish a new one", b.Version, b.Expires.Format(time.RFC3339))
		}
		if changed {
			h.Ingester.SetRegistry(&b.Registry)
			h.reg.Store(&b.Registry)
			h.auditHub(audit.ActionTrustChange, audit.Allow, "bundle_taken", map[string]string{"version": strconv.Itoa(b.Version)})
			h.log.Info("trust bundle updated", "version", b.Version, "partners", len(b.Partners))
		}
		return nil
	}
	if stamp := fileStamp(h.regFile); stamp != h.regStamp {
		reg, err := certs.LoadRegistry(h.regFile)
		if err != nil {
			h.log.Error("the changed registry does not load; keeping the one in force", "err", err)
		} else {
			h.Ingester.SetRegistry(reg)
			h.reg.Store(reg)
			h.log.Info("registry reloaded", "version", reg.Version, "partners", len(reg.Partners))
		}
		h.regStamp = stamp
	}
	return nil
}

// Poll runs one pass of the intake, first taking in newer trust.
func (h *Hub) Poll(ctx context.Context) (ingest.Summary, error) {
	trustErr := h.refreshTrust(ctx)
	// Access follows trust and the tokens file whatever else fails: a
	// revoked token or a changed policy digest must not wait for the
	// drop box to answer.
	h.refreshAccess()
	if trustErr != nil {
		return ingest.Summary{}, trustErr
	}
	sum, err := h.Ingester.Poll(ctx)
	if err != nil {
		return sum, err
	}
	h.polled.Store(true)
	if !h.Config.Merge.Manual {
		if _, _, err := h.Merge(ctx); err != nil {
			return sum, fmt.Errorf("merge: %w", err)
		}
	}
	return sum, nil
}

// refreshAccess rereads a changed tokens file and checks that the policy
// in force is the one the trust bundle names (loadPolicy).
func (h *Hub) refreshAccess() {
	if f := h.Config.Auth.TokensFile; f != "" && h.auth != nil {
		if stamp := fileStamp(f); stamp != h.tokStamp {
			if err := h.auth.Reload(); err != nil {
				h.log.Error("the changed tokens file does not load; keeping the tokens in force", "err", err)
			} else {
				h.log.Info("tokens file reloaded", "file", f)
			}
			h.tokStamp = stamp
		}
	}
	if err := h.loadPolicy(); err != nil {
		h.log.Error("access policy", "err", err)
	}
}

// ReportConfig is the configuration of merges: the store, the salt, and
// the source categories of the registry in force.
func (h *Hub) ReportConfig() report.Config {
	cats := map[string]string{}
	for _, p := range h.reg.Load().Partners {
		cats[p.ID] = p.Category
	}
	return report.Config{Store: h.Store, Salt: h.salt, Categories: cats, Logger: h.log}
}

// Merge makes a new merge version if what is in force changed since the
// last one, and returns the version in force and whether it is new.
func (h *Hub) Merge(ctx context.Context) (*store.Merge, bool, error) {
	m, made, err := report.Run(ctx, h.ReportConfig())
	if err == nil && made {
		h.auditHub(audit.ActionMerge, audit.Allow, "merged", map[string]string{
			"version": strconv.FormatInt(m.Version, 10), "inputs": strconv.Itoa(len(m.Inputs)), "result": m.ResultDigest[:12]})
	}
	return m, made, err
}

// expected lists the registry's partners for the completeness table.
func (h *Hub) expected() []report.Expectation {
	var out []report.Expectation
	for _, p := range h.reg.Load().Partners {
		out = append(out, report.Expectation{Partner: p.ID, Category: p.Category, Datasets: p.Datasets})
	}
	return out
}

// Completeness returns the completeness table of the registry in force.
func (h *Hub) Completeness(ctx context.Context) (merge.Table, error) {
	return report.Completeness(ctx, h.Store, h.expected(), h.Config.deadline())
}

func (c *Config) deadline() time.Duration {
	if c.Merge.DeadlineDays == 0 {
		return report.DefaultDeadline
	}
	return time.Duration(c.Merge.DeadlineDays) * 24 * time.Hour
}

// Serve listens on the configured address and polls the drop box until
// ctx ends, then shuts the API down gracefully.
func (h *Hub) Serve(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", h.Config.Listen); err != nil {
			return fmt.Errorf("listen on %s: %w", h.Config.Listen, err)
		}
	}
	srv := &http.Server{Handler: h.API, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		TLSConfig: h.tls}
	errc := make(chan error, 1)
	go func() {
		if h.tls != nil {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	h.log.Info("API listening", "addr", ln.Addr().String())
	interval, _ := time.ParseDuration(h.Config.PollInterval)
	// The poll loop lives exactly as long as Serve: stopped and waited
	// for on every way out, so the caller may close the store after.
	pollCtx, stopPolling := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); h.run(pollCtx, interval) }()
	defer wg.Wait()
	defer stopPolling()
	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func (h *Hub) run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		sum, err := h.Poll(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			h.log.Error("poll failed; trying again at the next interval", "err", err)
		case sum != (ingest.Summary{}):
			h.log.Info("poll done", "accepted", sum.Accepted, "held", sum.Held, "rejected", sum.Rejected,
				"quarantined", sum.Quarantined, "duplicates", sum.Duplicates, "waiting", sum.Waiting)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func fileStamp(path string) string {
	info, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d-%d", info.Size(), info.ModTime().UnixNano())
}

// Close closes the store and the audit log.
func (h *Hub) Close() error {
	var err error
	if h.Audit != nil {
		err = h.Audit.Close()
	}
	return errors.Join(err, h.Store.Close())
}
