// Package demo runs thbx's main job on embedded defaults: hub keys, three
// partners, synthetic files sealed and sent by the real agent code, the
// hub's intake, and the API. Its World is also the fixture the end-to-end
// tests build on, so the demo and the tests exercise one code path.
package demo

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission/dropbox"
)

// PartnerSpec describes a partner to set up.
type PartnerSpec struct {
	ID       string
	Name     string
	Category string
	Datasets []string // victims when empty
	// Dropbox is the partner's own view of the drop box (its own S3
	// credentials); the World's when zero.
	Dropbox dropbox.Config
}

// World is a hub key directory and partners with keys, configs and
// outboxes, all under one directory.
type World struct {
	Dir      string
	Hub      certs.HubFiles
	Registry *certs.Registry
	Partners map[string]agent.Config
	Dropbox  dropbox.Config // the hub's view
	Rand     io.Reader      // crypto/rand when nil

	// linkage is the secret the partners share for linkage keys, made
	// once as the security officers would; each partner keeps a copy.
	linkage *anon.Secret
}

// NewWorld makes hub keys and registers partners, each with a key made by
// the partner's own agent code path (keygen), in dir.
func NewWorld(dir string, box dropbox.Config, partners []PartnerSpec) (*World, error) {
	w := &World{Dir: dir, Dropbox: box, Partners: map[string]agent.Config{}}
	hub, err := certs.InitHub(filepath.Join(dir, "hub", "keys"), nil)
	if err != nil {
		return nil, err
	}
	if w.linkage, err = anon.GenerateSecret(nil); err != nil {
		return nil, err
	}
	w.Hub = hub
	if w.Registry, err = certs.LoadRegistry(hub.Registry); err != nil {
		return nil, err
	}
	for _, p := range partners {
		if err := w.AddPartner(p); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// AddPartner registers a partner with a new key, valid from an hour ago
// for a year, gives it a copy of the shared linkage secret, and writes
// its agent configuration.
func (w *World) AddPartner(p PartnerSpec) error {
	pdir := filepath.Join(w.Dir, "partners", p.ID)
	keyPath := filepath.Join(pdir, "partner.key")
	pub, err := agent.Keygen(keyPath, w.Rand)
	if err != nil {
		return err
	}
	ds := p.Datasets
	if len(ds) == 0 {
		ds = []string{"victims"}
	}
	if err := w.Registry.AddPartner(certs.Partner{ID: p.ID, Name: p.Name, Category: p.Category, Datasets: ds}); err != nil {
		return err
	}
	now := time.Now().UTC()
	if err := w.Registry.AddKey(p.ID, pub, now.Add(-time.Hour), now.AddDate(1, 0, 0)); err != nil {
		return err
	}
	if err := w.Registry.Save(w.Hub.Registry); err != nil {
		return err
	}
	secret := filepath.Join(pdir, agent.LinkageSecretFile)
	if err := w.linkage.Save(secret); err != nil {
		return err
	}
	box := p.Dropbox
	if box.Type == "" {
		box = w.Dropbox
	}
	w.Partners[p.ID] = agent.Config{
		Partner: p.ID, Key: keyPath, Hub: w.Hub.HubInfo, LinkageSecret: secret,
		Outbox: filepath.Join(pdir, "outbox"), Dropbox: box,
	}
	return nil
}

// Agent opens a partner's agent and outbox; close the outbox when done.
func (w *World) Agent(id string) (*agent.Agent, *agent.Outbox, error) {
	cfg, ok := w.Partners[id]
	if !ok {
		return nil, nil, fmt.Errorf("no partner %q in this world", id)
	}
	box, err := dropbox.Open(cfg.Dropbox)
	if err != nil {
		return nil, nil, err
	}
	a, err := agent.New(cfg, box)
	if err != nil {
		return nil, nil, err
	}
	ob, err := agent.OpenOutbox(cfg.Outbox)
	if err != nil {
		return nil, nil, err
	}
	return a, ob, nil
}

// HubConfig loads the hub's keys and registry into an ingest.Config over
// box and st.
func (w *World) HubConfig(box ingest.Box, st *store.Store) (ingest.Config, error) {
	ids, err := certs.LoadHubIdentities(w.Hub.Identities)
	if err != nil {
		return ingest.Config{}, err
	}
	rk, err := certs.LoadReceiptKey(w.Hub.ReceiptKey)
	if err != nil {
		return ingest.Config{}, err
	}
	reg, err := certs.LoadRegistry(w.Hub.Registry)
	if err != nil {
		return ingest.Config{}, err
	}
	return ingest.Config{Box: box, Store: st, Registry: reg, Identities: ids, ReceiptKey: rk}, nil
}

// OpenStore opens the hub's SQLite store in the world.
func (w *World) OpenStore(ctx context.Context) (*store.Store, error) {
	if err := os.MkdirAll(filepath.Join(w.Dir, "hub"), 0o700); err != nil {
		return nil, err
	}
	return store.Open(ctx, filepath.Join(w.Dir, "hub", "hub.db"))
}
