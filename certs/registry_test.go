package certs_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
)

func TestRegistryValid(t *testing.T) {
	r := registry(t)
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	r2, err := certs.ParseRegistry(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(r2)
	if string(b) != string(b2) {
		t.Errorf("registry changed in a round trip:\n%s\n%s", b, b2)
	}
	p, e, err := r2.Lookup(partnerKey(t, "partner b").KeyID())
	if err != nil || p.ID != "police-cz" || e.KeyID != partnerKey(t, "partner b").KeyID() {
		t.Errorf("Lookup = %v, %v, %v", p, e, err)
	}
	if pub, err := e.PublicKey(); err != nil || pub.KeyID() != e.KeyID {
		t.Errorf("PublicKey: %v", err)
	}
	if _, _, err := r2.Lookup("nope"); !errors.Is(err, certs.ErrUnknownKey) {
		t.Errorf("Lookup(unknown): %v", err)
	}
	if p, ok := r2.Partner("ngo-a"); !ok || p.Name != "NGO A" {
		t.Errorf("Partner(ngo-a) = %v, %v", p, ok)
	}
	if _, ok := r2.Partner("ngo-z"); ok {
		t.Error("Partner(ngo-z) found")
	}
	if k, err := r2.Hub.ReceiptPublic(); err != nil || k.KeyID() != receiptKey(t, "hub receipt").KeyID() {
		t.Errorf("ReceiptPublic: %v", err)
	}
}

func TestRegistryValidateFailures(t *testing.T) {
	revokedAt := jan2025.Add(time.Hour)
	pkA := partnerKey(t, "partner a")
	pkC := partnerKey(t, "partner c")
	for _, tc := range []struct {
		name   string
		change func(*certs.Registry)
		want   string
	}{
		{"version 0", func(r *certs.Registry) { r.Version = 0 }, "version"},
		{"duplicate kid across partners", func(r *certs.Registry) {
			r.Partners[1].Keys = append(r.Partners[1].Keys, entry(t, pkA))
		}, "registered for both"},
		{"duplicate kid within a partner", func(r *certs.Registry) {
			r.Partners[0].Keys = append(r.Partners[0].Keys, entry(t, pkA))
		}, "registered for both"},
		{"kid mismatch", func(r *certs.Registry) { r.Partners[0].Keys[0].KeyID = pkC.KeyID() }, "does not match"},
		{"kid of another partner's key", func(r *certs.Registry) {
			r.Partners[0].Keys[0].Public = text(t, pkC.Public())
		}, "does not match"},
		{"empty kid", func(r *certs.Registry) { r.Partners[0].Keys[0].KeyID = "" }, "does not match"},
		{"receipt key as partner key", func(r *certs.Registry) {
			r.Partners[0].Keys[0].Public = text(t, receiptKey(t, "x").Public())
		}, "not a key of the expected kind"},
		{"private key as partner key", func(r *certs.Registry) { r.Partners[0].Keys[0].Public = text(t, pkA) }, "not a key of the expected kind"},
		{"no public key", func(r *certs.Registry) { r.Partners[0].Keys[0].Public = "" }, "not a key of the expected kind"},
		{"bad category", func(r *certs.Registry) { r.Partners[0].Category = "company" }, "category"},
		{"empty category", func(r *certs.Registry) { r.Partners[0].Category = "" }, "category"},
		{"upper-case category", func(r *certs.Registry) { r.Partners[0].Category = "NGO" }, "category"},
		{"bad partner id", func(r *certs.Registry) { r.Partners[0].ID = "NGO A" }, "partner id"},
		{"partner id with a slash", func(r *certs.Registry) { r.Partners[0].ID = "ngo/a" }, "partner id"},
		{"partner id ..", func(r *certs.Registry) { r.Partners[0].ID = ".." }, "partner id"},
		{"empty partner id", func(r *certs.Registry) { r.Partners[0].ID = "" }, "partner id"},
		{"duplicate partner", func(r *certs.Registry) {
			r.Partners[1].ID = "ngo-a"
		}, "listed twice"},
		{"revoked without time", func(r *certs.Registry) { r.Partners[0].Keys[0].Status = certs.KeyRevoked }, "revoked_at"},
		{"unknown status", func(r *certs.Registry) { r.Partners[0].Keys[0].Status = "suspended" }, "status"},
		{"empty status", func(r *certs.Registry) { r.Partners[0].Keys[0].Status = "" }, "status"},
		{"not_after before not_before", func(r *certs.Registry) { r.Partners[0].Keys[0].NotAfter = jan2025.Add(-time.Hour) }, "not_after"},
		{"not_after equal to not_before", func(r *certs.Registry) { r.Partners[0].Keys[0].NotAfter = jan2025 }, "not_after"},
		{"no standard recipients", func(r *certs.Registry) { delete(r.Hub.Recipients, "standard") }, "standard"},
		{"empty standard recipients", func(r *certs.Registry) { r.Hub.Recipients["standard"] = nil }, "standard"},
		{"unknown classification", func(r *certs.Registry) { r.Hub.Recipients["secret"] = []string{x25519Recipient} }, "classification"},
		{"bad recipient", func(r *certs.Registry) { r.Hub.Recipients["restricted"] = []string{"age1nonsense"} }, "recipient"},
		{"ssh recipient", func(r *certs.Registry) { r.Hub.Recipients["standard"] = []string{"ssh-ed25519 AAAA"} }, "recipient"},
		{"no receipt key", func(r *certs.Registry) { r.Hub.ReceiptKey = "" }, "receipt key"},
		{"partner key as receipt key", func(r *certs.Registry) { r.Hub.ReceiptKey = text(t, pkA.Public()) }, "receipt key"},
		{"receipt private key published", func(r *certs.Registry) { r.Hub.ReceiptKey = text(t, receiptKey(t, "hub receipt")) }, "receipt key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := registry(t)
			tc.change(r)
			err := r.Validate()
			if err == nil {
				t.Fatal("Validate accepted the registry")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			b, _ := json.Marshal(r)
			if _, err := certs.ParseRegistry(b); err == nil {
				t.Error("ParseRegistry accepted the registry")
			}
			if err := r.Save(filepath.Join(t.TempDir(), "registry.json")); err == nil {
				t.Error("Save wrote an invalid registry")
			}
		})
	}
	t.Run("revoked with time", func(t *testing.T) {
		r := registry(t)
		r.Partners[0].Keys[0].Status, r.Partners[0].Keys[0].RevokedAt = certs.KeyRevoked, &revokedAt
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
	})
	t.Run("no end", func(t *testing.T) {
		r := registry(t)
		r.Partners[0].Keys[0].NotAfter = time.Time{}
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
	})
}

func TestParseRegistryStrict(t *testing.T) {
	b, _ := json.Marshal(registry(t))
	s := string(b)
	for name, in := range map[string]string{
		"unknown top-level field": strings.Replace(s, `{"version"`, `{"signature":"x","version"`, 1),
		"unknown partner field":   strings.Replace(s, `"category":"ngo"`, `"category":"ngo","admin":true`, 1),
		"unknown key field":       strings.Replace(s, `"status":"active"`, `"status":"active","trust":"full"`, 1),
		"unknown hub field":       strings.Replace(s, `"receipt_key"`, `"signing_key":"","receipt_key"`, 1),
		"trailing object":         s + `{}`,
		"trailing garbage":        s + `x`,
		"trailing brace":          s + `}`,
		"trailing bracket":        s + ` ]`,
		"not JSON":                "registry",
		"array":                   "[" + s + "]",
		"empty":                   "",
		"null":                    "null",
		"version as string":       strings.Replace(s, `"version":3`, `"version":"3"`, 1),
		"bad time":                strings.Replace(s, `"not_before":"2025-01-01T00:00:00Z"`, `"not_before":"2025-01-01"`, 1),
	} {
		if _, err := certs.ParseRegistry([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestKeyEntryValidAt(t *testing.T) {
	revoked := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	e := certs.KeyEntry{KeyID: "k", NotBefore: jan2025, NotAfter: jan2026, Status: certs.KeyActive}
	r := e
	r.Status, r.RevokedAt = certs.KeyRevoked, &revoked
	open := e
	open.NotAfter = time.Time{}
	ns := time.Nanosecond
	for _, tc := range []struct {
		name string
		e    certs.KeyEntry
		at   time.Time
		want string // "" when valid, else a word of the error
	}{
		{"before not_before", e, jan2025.Add(-ns), "not valid before"},
		{"at not_before", e, jan2025, ""},
		{"inside", e, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), ""},
		{"just before not_after", e, jan2026.Add(-ns), ""},
		{"at not_after", e, jan2026, "expired"},
		{"after not_after", e, jan2026.Add(time.Hour), "expired"},
		{"in another zone, inside", e, jan2026.Add(-ns).In(time.FixedZone("X", 5*3600)), ""},
		{"revoked: before revocation", r, revoked.Add(-ns), ""},
		{"revoked: at revocation", r, revoked, "revoked"},
		{"revoked: after revocation", r, revoked.Add(time.Hour), "revoked"},
		{"revoked: after expiry too", r, jan2026.Add(time.Hour), "revoked"},
		{"revoked: before not_before", r, jan2025.Add(-time.Hour), "not valid before"},
		{"no end: far future", open, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"no end: before not_before", open, jan2025.Add(-ns), "not valid before"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.e.ValidAt(tc.at)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("ValidAt(%v): %v", tc.at, err)
			case tc.want != "" && err == nil:
				t.Errorf("ValidAt(%v) = nil, want %q", tc.at, tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("ValidAt(%v) = %v, want %q", tc.at, err, tc.want)
			}
		})
	}
}

func TestRegistrySaveLoad(t *testing.T) {
	r := registry(t)
	path := filepath.Join(t.TempDir(), "registry.json")
	if err := r.Save(path); err != nil {
		t.Fatal(err)
	}
	r2, err := certs.LoadRegistry(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(r)
	b, _ := json.Marshal(r2)
	if string(a) != string(b) {
		t.Errorf("saved\n%s\nloaded\n%s", a, b)
	}
	// Save replaces.
	r.Version++
	if err := r.Save(path); err != nil {
		t.Fatal(err)
	}
	if r3, _ := certs.LoadRegistry(path); r3.Version != r.Version {
		t.Errorf("version %d after a second save", r3.Version)
	}
	if _, err := certs.LoadRegistry(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("LoadRegistry of a missing file")
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"version":1}`), 0o644)
	if _, err := certs.LoadRegistry(bad); err == nil {
		t.Error("LoadRegistry of an invalid registry")
	}
}

func TestRegistryEditing(t *testing.T) {
	r := registry(t)
	v := r.Version
	pkC := partnerKey(t, "partner c")
	if err := r.AddPartner(certs.Partner{ID: "embassy-ua", Name: "Embassy", Category: "embassy", Datasets: []string{"victims"}}); err != nil {
		t.Fatal(err)
	}
	if r.Version != v+1 {
		t.Errorf("version %d after AddPartner", r.Version)
	}
	if p, _ := r.Partner("embassy-ua"); p.Keys == nil {
		t.Error("new partner has nil keys (marshals as null)")
	}
	if err := r.AddPartner(certs.Partner{ID: "embassy-ua", Category: "embassy", Datasets: []string{"victims"}}); err == nil {
		t.Error("AddPartner added a partner twice")
	}
	if err := r.AddPartner(certs.Partner{ID: "io-x", Category: "io"}); err == nil {
		t.Error("AddPartner without datasets")
	}
	if err := r.AddKey("embassy-ua", pkC.Public(), jan2025, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := r.AddKey("embassy-ua", pkC.Public(), jan2025, time.Time{}); err == nil {
		t.Error("AddKey registered a key twice")
	}
	if err := r.AddKey("police-cz", pkC.Public(), jan2025, time.Time{}); err == nil {
		t.Error("AddKey registered another partner's key")
	}
	if err := r.AddKey("nobody", partnerKey(t, "partner d").Public(), jan2025, time.Time{}); err == nil {
		t.Error("AddKey for an unknown partner")
	}
	p, e, err := r.Lookup(pkC.KeyID())
	if err != nil || p.ID != "embassy-ua" || e.Status != certs.KeyActive || !e.NotAfter.IsZero() {
		t.Fatalf("Lookup after AddKey = %+v, %+v, %v", p, e, err)
	}
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	if err := r.RevokeKey(pkC.KeyID(), at); err != nil {
		t.Fatal(err)
	}
	_, e, _ = r.Lookup(pkC.KeyID())
	if e.Status != certs.KeyRevoked || e.RevokedAt == nil || !e.RevokedAt.Equal(at) || e.RevokedAt.Location() != time.UTC {
		t.Errorf("after RevokeKey: %+v", e)
	}
	if e.ValidAt(at.Add(-time.Second)) != nil || e.ValidAt(at) == nil {
		t.Error("revocation time is not the boundary of ValidAt")
	}
	if err := r.RevokeKey(pkC.KeyID(), at.Add(time.Hour)); err == nil {
		t.Error("RevokeKey revoked twice (and moved the revocation)")
	}
	if err := r.RevokeKey("nope", at); !errors.Is(err, certs.ErrUnknownKey) {
		t.Errorf("RevokeKey(unknown): %v", err)
	}
	v = r.Version
	if err := r.AllowDataset("embassy-ua", "suspects"); err != nil {
		t.Fatal(err)
	}
	if err := r.AllowDataset("embassy-ua", "suspects"); err != nil || r.Version != v+1 {
		t.Errorf("AllowDataset twice: %v, version %d", err, r.Version)
	}
	if err := r.AllowDataset("nobody", "victims"); !errors.Is(err, certs.ErrNoPartner) {
		t.Errorf("AllowDataset(unknown): %v", err)
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := r.Save(filepath.Join(t.TempDir(), "registry.json")); err != nil {
		t.Fatal(err)
	}
}

// TestRegistryEditingFailureLeavesNoTrace: an edit that fails validation
// must leave the registry as it was, or a later Save of the same value
// fails (or, had the check been elsewhere, writes the rejected edit).
func TestRegistryEditingFailureLeavesNoTrace(t *testing.T) {
	r := registry(t)
	before, _ := json.Marshal(r)
	err := r.AddPartner(certs.Partner{ID: "bank-x", Name: "Bank", Category: "bank", Datasets: []string{"victims"}})
	if err == nil {
		t.Fatal("AddPartner accepted category bank")
	}
	after, _ := json.Marshal(r)
	if string(before) != string(after) {
		t.Fatalf("a refused AddPartner left the registry changed (version %d, %d partners)", r.Version, len(r.Partners))
	}
}

func TestHubInfo(t *testing.T) {
	h := registry(t).Hub
	path := filepath.Join(t.TempDir(), "hub.json")
	b, _ := json.Marshal(h)
	os.WriteFile(path, b, 0o644)
	h2, err := certs.LoadHubInfo(path)
	if err != nil {
		t.Fatal(err)
	}
	if h2.Recipients["standard"][0] != x25519Recipient {
		t.Errorf("recipients %v", h2.Recipients)
	}
	hyb := h
	hyb.Recipients = map[string][]string{"standard": {hybridRecipient(t)}}
	if err := hyb.Validate(); err != nil {
		t.Errorf("hybrid recipient: %v", err)
	}
	for name, in := range map[string]string{
		"unknown field":  strings.Replace(string(b), `{"recipients"`, `{"url":"x","recipients"`, 1),
		"trailing":       string(b) + "{}",
		"trailing brace": string(b) + "}",
		"invalid":        `{"recipients":{},"receipt_key":""}`,
	} {
		p := filepath.Join(t.TempDir(), "hub.json")
		os.WriteFile(p, []byte(in), 0o644)
		if _, err := certs.LoadHubInfo(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := certs.LoadHubInfo(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing hub.json accepted")
	}
}
