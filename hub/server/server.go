// Package server wires the hub together: configuration, the SQLite store,
// the intake that polls the drop box, and the HTTP API.
package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/hub/api"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission/dropbox"
)

// Config is the hub's configuration file (YAML); environment variables
// override it (see ApplyEnv). Relative paths are relative to the file.
type Config struct {
	// Keys is the hub's key directory made by `thbx-keys init`.
	Keys string `yaml:"keys"`
	// Store is the SQLite database file.
	Store string `yaml:"store"`
	// Listen is the API's address; 127.0.0.1:8080 when empty.
	Listen string `yaml:"listen"`
	// PollInterval is how often the inbox is listed; 10s when empty.
	PollInterval string `yaml:"poll_interval"`
	// MaxPayloadBytes bounds one submission's ciphertext; 2 GiB when 0.
	MaxPayloadBytes int64 `yaml:"max_payload_bytes"`
	// APITokenSHA256 lists hex SHA-256 hashes of accepted API tokens
	// (thbx-hub token makes one).
	APITokenSHA256 []string       `yaml:"api_token_sha256"`
	Dropbox        dropbox.Config `yaml:"dropbox"`
	// Trust names the pinned root and the file of the last verified trust
	// bundle; with it the hub trusts what the officers signed and
	// published under trust/, not the plain registry in the key directory.
	Trust agent.TrustFiles `yaml:"trust"`
	// Merge configures the merged datasets and report tables.
	Merge MergeConfig `yaml:"merge"`

	tokens [][32]byte
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
		&c.Keys, &c.Store, &c.Dropbox.Dir, &c.Dropbox.CAFile, &c.Trust.Root, &c.Trust.Bundle)
	return c, err
}

// ApplyEnv overrides fields from the environment: THBX_HUB_KEYS,
// THBX_HUB_STORE, THBX_HUB_LISTEN, THBX_HUB_POLL_INTERVAL,
// THBX_HUB_MAX_PAYLOAD_BYTES, THBX_API_TOKEN (a token, hashed here), and
// the drop-box variables of the agent (THBX_DROPBOX, THBX_S3_…).
func (c *Config) ApplyEnv(getenv func(string) string) error {
	for name, dst := range map[string]*string{
		"THBX_HUB_KEYS": &c.Keys, "THBX_HUB_STORE": &c.Store, "THBX_HUB_LISTEN": &c.Listen,
		"THBX_HUB_POLL_INTERVAL": &c.PollInterval,
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
	if v := getenv("THBX_API_TOKEN"); v != "" {
		c.tokens = append(c.tokens, api.HashToken(v))
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
	if c.Merge.DeadlineDays < 0 {
		errs = append(errs, fmt.Errorf("merge.deadline_days %d: want a positive number of days, or 0 for the default (90)", c.Merge.DeadlineDays))
	}
	if d, err := time.ParseDuration(c.PollInterval); err != nil || d < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("poll_interval %q: want a duration of at least 100ms, such as 10s", c.PollInterval))
	}
	for _, h := range c.APITokenSHA256 {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != sha256.Size {
			errs = append(errs, fmt.Errorf("api_token_sha256: %q is not 64 hex digits", h))
			continue
		}
		c.tokens = append(c.tokens, [32]byte(b))
	}
	return errors.Join(errs...)
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
	in, err := ingest.New(ingest.Config{Box: box, Store: st, Registry: reg, Identities: ids, ReceiptKey: rk,
		MaxCiphertext: cfg.MaxPayloadBytes, Logger: log})
	if err != nil {
		st.Close()
		return nil, err
	}
	h.Store, h.Ingester = st, in
	h.API, err = api.New(api.Config{Store: st, Gaps: in, TokenHashes: cfg.tokens, Logger: log,
		Merges: st, Expected: h.expected, Deadline: cfg.deadline(),
		Ready: func() error {
			if !h.polled.Load() {
				return errors.New("first poll of the drop box not done yet")
			}
			return nil
		}})
	if err != nil {
		st.Close()
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
	return h, nil
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
	if err := h.refreshTrust(ctx); err != nil {
		return ingest.Summary{}, err
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
	return report.Run(ctx, h.ReportConfig())
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
	srv := &http.Server{Handler: h.API, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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
			h.log.Info("poll done", "accepted", sum.Accepted, "rejected", sum.Rejected,
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

// Close closes the store.
func (h *Hub) Close() error { return h.Store.Close() }
