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
	"sync/atomic"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/api"
	"github.com/thbx/thbx/hub/ingest"
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

	tokens [][32]byte
}

// LoadConfig reads a YAML config file, refusing unknown keys, and a file
// holding the S3 secret that others can read.
func LoadConfig(path string) (Config, error) {
	var c Config
	err := certs.LoadConfig(path, &c, func() bool { return c.Dropbox.SecretKey != "" },
		&c.Keys, &c.Store, &c.Dropbox.Dir, &c.Dropbox.CAFile)
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
	regFile  string
	regStamp string
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
	reg, err := certs.LoadRegistry(files.Registry)
	if err != nil {
		return nil, err
	}
	box, err := dropbox.Open(cfg.Dropbox)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
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
	h := &Hub{Config: cfg, Store: st, Ingester: in, log: log, regFile: files.Registry, regStamp: fileStamp(files.Registry)}
	h.API, err = api.New(api.Config{Store: st, Gaps: in, TokenHashes: cfg.tokens, Logger: log,
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

// Poll runs one pass of the intake, first taking in the registry file if
// the officers changed it. A registry that does not load is logged and the
// one in force stays.
func (h *Hub) Poll(ctx context.Context) (ingest.Summary, error) {
	if stamp := fileStamp(h.regFile); stamp != h.regStamp {
		reg, err := certs.LoadRegistry(h.regFile)
		if err != nil {
			h.log.Error("the changed registry does not load; keeping the one in force", "err", err)
		} else {
			h.Ingester.SetRegistry(reg)
			h.log.Info("registry reloaded", "version", reg.Version, "partners", len(reg.Partners))
		}
		h.regStamp = stamp
	}
	sum, err := h.Ingester.Poll(ctx)
	if err == nil {
		h.polled.Store(true)
	}
	return sum, err
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
	go h.run(ctx, interval)
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
