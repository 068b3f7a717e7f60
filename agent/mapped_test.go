package agent

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/agent/mapping"
)

const testMapping = `
dataset: victims
source: {format: csv}
columns:
  Příjmení: {identifier: surname}
  Datum narození: {identifier: birth_date}
  Stav: {field: status}
constants: {sex: F, citizenship: UA}
defaults: {age_group: unknown}
`

func withSecret(t *testing.T, f *fixture) {
	t.Helper()
	s, err := anon.GenerateSecret(bytes.NewReader(bytes.Repeat([]byte{9}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	f.cfg.LinkageSecret = filepath.Join(f.dir, "linkage.secret")
	if err := s.Save(f.cfg.LinkageSecret); err != nil {
		t.Fatal(err)
	}
}

func TestMappingSecret(t *testing.T) {
	m, err := mapping.Parse([]byte(testMapping), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c Config
	_, err = c.MappingSecret(m)
	if !errors.Is(err, mapping.ErrNoSecret) || !errors.Is(err, ErrNoLinkageSecret) {
		t.Fatalf("no secret configured: %v", err)
	}
	for _, want := range []string{"linkage_secret", "THBX_LINKAGE_SECRET"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	// The setting comes from the environment too.
	if err := c.ApplyEnv(func(k string) string { return map[string]string{"THBX_LINKAGE_SECRET": "/etc/thbx/linkage.secret"}[k] }); err != nil {
		t.Fatal(err)
	}
	if c.LinkageSecret != "/etc/thbx/linkage.secret" {
		t.Fatalf("THBX_LINKAGE_SECRET: %q", c.LinkageSecret)
	}
	if _, err := c.MappingSecret(m); err == nil || errors.Is(err, ErrNoLinkageSecret) {
		t.Fatalf("a missing file: %v", err)
	}
	// A mapping with no name or birth-date column needs no secret.
	plain, err := mapping.Parse([]byte("dataset: victims\ncolumns: {Stav: {field: status}, Poznámka: {identifier: free_text}}\nconstants: {sex: F, citizenship: UA, age_group: adult}\n"), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := (&Config{}).MappingSecret(plain); s != nil || err != nil {
		t.Fatalf("plain mapping: %v %v", s, err)
	}
}

func TestSealMapped(t *testing.T) {
	f := newFixture(t)
	withSecret(t, f)
	a, ob := f.agent(nil), f.outbox()
	m, err := mapping.Parse([]byte(testMapping), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("Příjmení,Datum narození,Stav\nNováková,5.3.1990,actual\nNovák,1.1.1980,oběť??x\n"), 0o644)
	_, res, err := a.SealMapped(ob, m, bad, "2025")
	var pe *mapping.ProblemsError
	if !errors.As(err, &pe) || len(pe.Problems) != 1 || res.Records != 1 {
		t.Fatalf("a file with a problem: %v, %+v", err, res)
	}
	if p, _ := ob.Pending(); len(p) != 0 {
		t.Fatalf("%d entries sealed from a file with a problem", len(p))
	}
	if files(t, filepath.Join(f.cfg.Outbox, "pending")) != nil {
		t.Fatalf("files left in the outbox: %v", files(t, filepath.Join(f.cfg.Outbox, "pending")))
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("Příjmení,Datum narození,Stav\nNováková,5.3.1990,actual\nNovák,1.1.1980,klient\n"), 0o644)
	e, res, err := a.SealMapped(ob, m, good, "2025")
	if err != nil {
		t.Fatal(err)
	}
	prof := anon.Default()
	if e.Manifest.Records != 2 || res.Records != 2 || e.Manifest.Profile == nil ||
		e.Manifest.Profile.Name != "default" || e.Manifest.Profile.Digest != prof.Digest() || e.Manifest.Sequence != 1 {
		t.Fatalf("entry %+v, profile %+v", e.Manifest, e.Manifest.Profile)
	}
}
