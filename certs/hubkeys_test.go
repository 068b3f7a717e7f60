package certs_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
)

func TestInitHub(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hub")
	f, err := certs.InitHub(dir, &detReader{label: "hub receipt"})
	if err != nil {
		t.Fatal(err)
	}
	if f != certs.HubFilesIn(dir) {
		t.Errorf("files %+v", f)
	}
	if runtime.GOOS != "windows" {
		for _, p := range []string{f.Identities, f.ReceiptKey} {
			info, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %04o", p, info.Mode().Perm())
			}
		}
	}

	ids, err := certs.LoadHubIdentities(f.Identities)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 {
		t.Fatalf("%d identities, want standard and restricted", len(ids))
	}
	for _, id := range ids {
		if _, ok := id.Identity().(*age.HybridIdentity); !ok {
			t.Errorf("identity of type %T, want post-quantum hybrid", id.Identity())
		}
		if !strings.HasPrefix(id.Recipient(), "age1pq1") {
			t.Errorf("recipient %.20s…", id.Recipient())
		}
	}
	if ids[0].Recipient() == ids[1].Recipient() {
		t.Error("standard and restricted identities are the same")
	}

	info, err := certs.LoadHubInfo(f.HubInfo)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Recipients["standard"]; len(got) != 1 || got[0] != ids[0].Recipient() {
		t.Errorf("standard recipients %v", got)
	}
	if got := info.Recipients["restricted"]; len(got) != 1 || got[0] != ids[1].Recipient() {
		t.Errorf("restricted recipients %v", got)
	}
	rk, err := certs.LoadReceiptKey(f.ReceiptKey)
	if err != nil {
		t.Fatal(err)
	}
	if rk.KeyID() != receiptKey(t, "hub receipt").KeyID() {
		t.Error("receipt key is not the one rand gives")
	}
	if pub, err := info.ReceiptPublic(); err != nil || pub.KeyID() != rk.KeyID() {
		t.Errorf("hub.json receipt key: %v", err)
	}

	reg, err := certs.LoadRegistry(f.Registry)
	if err != nil {
		t.Fatal(err)
	}
	if reg.Version != 1 || len(reg.Partners) != 0 {
		t.Errorf("new registry: version %d, %d partners", reg.Version, len(reg.Partners))
	}
	if reg.Hub.ReceiptKey != info.ReceiptKey || reg.Hub.Recipients["standard"][0] != info.Recipients["standard"][0] {
		t.Error("registry and hub.json disagree about the hub")
	}
	if b, _ := os.ReadFile(f.Registry); !bytes.Contains(b, []byte(`"partners": []`)) {
		t.Error("empty registry does not list partners as []")
	}

	// Each hub identity opens what is sealed to its recipient, and only
	// that.
	for i, id := range ids {
		r, err := certs.ParseRecipient(id.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w, _ := age.Encrypt(&buf, r)
		io.WriteString(w, "secret")
		w.Close()
		ct := buf.Bytes()
		if _, err := age.Decrypt(bytes.NewReader(ct), id.Identity()); err != nil {
			t.Errorf("identity %d cannot open its own: %v", i, err)
		}
		if _, err := age.Decrypt(bytes.NewReader(ct), ids[1-i].Identity()); err == nil {
			t.Errorf("identity %d's data opens with the other identity", i)
		}
	}

	// The hub's keys are made once.
	before, _ := os.ReadFile(f.Identities)
	if _, err := certs.InitHub(dir, nil); err == nil {
		t.Error("InitHub ran twice")
	}
	if after, _ := os.ReadFile(f.Identities); !bytes.Equal(before, after) {
		t.Error("a second InitHub changed the identities")
	}
	os.Remove(f.HubInfo)
	if _, err := certs.InitHub(dir, nil); err == nil {
		t.Error("InitHub ran with the keys still there")
	}
}

func TestLoadHubIdentities(t *testing.T) {
	dir := t.TempDir()
	x, _ := age.GenerateX25519Identity()
	h, _ := age.GenerateHybridIdentity()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, []byte(content), mode)
		return p
	}
	p := write("ids.txt", "# comment\n\n"+x.String()+"\n"+h.String()+"\n", 0o600)
	ids, err := certs.LoadHubIdentities(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0].Recipient() != x.Recipient().String() || ids[1].Recipient() != h.Recipient().String() {
		t.Fatalf("identities %d", len(ids))
	}
	for i, want := range []string{x.String(), h.String()} {
		if b, _ := ids[i].MarshalText(); string(b) != want+"\n" {
			t.Errorf("identity %d does not marshal to its age text", i)
		}
	}
	if runtime.GOOS != "windows" {
		p := write("open.txt", x.String()+"\n", 0o644)
		if _, err := certs.LoadHubIdentities(p); !errors.Is(err, certs.ErrInsecureKeyFile) {
			t.Errorf("0644 identities: %v", err)
		}
	}
	for name, content := range map[string]string{
		"empty":          "",
		"comments only":  "# nothing\n",
		"garbage":        "AGE-SECRET-KEY-1NOTAKEY\n",
		"partner key":    text(t, partnerKey(t, "partner a")),
		"recipient only": x.Recipient().String() + "\n",
	} {
		p := write(strings.ReplaceAll(name, " ", "-"), content, 0o600)
		_, err := certs.LoadHubIdentities(p)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		// age keeps key material out of its errors; so must we.
		if strings.Contains(err.Error(), "AGE-SECRET-KEY-1NOTAKEY") || strings.Contains(err.Error(), "PRIVATE") {
			t.Errorf("%s: error repeats the file: %v", name, err)
		}
	}
}

func TestGenerateHubIdentity(t *testing.T) {
	id, err := certs.GenerateHubIdentity()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := id.Identity().(*age.HybridIdentity); !ok {
		t.Errorf("identity of type %T", id.Identity())
	}
	b, _ := id.MarshalText()
	parsed, err := age.ParseHybridIdentity(strings.TrimSpace(string(b)))
	if err != nil || parsed.Recipient().String() != id.Recipient() {
		t.Errorf("MarshalText does not parse back: %v", err)
	}
	if (certs.HubIdentity{}).Recipient() != "" {
		t.Error("zero identity has a recipient")
	}
}

func TestParseRecipient(t *testing.T) {
	hyb := hybridRecipient(t)
	for _, s := range []string{x25519Recipient, hyb, " " + x25519Recipient + "\n"} {
		r, err := certs.ParseRecipient(s)
		if err != nil {
			t.Errorf("ParseRecipient(%.20s…): %v", s, err)
			continue
		}
		switch strings.TrimSpace(s)[:7] {
		case "age1pq1":
			if _, ok := r.(*age.HybridRecipient); !ok {
				t.Errorf("%T for a hybrid recipient", r)
			}
		default:
			if _, ok := r.(*age.X25519Recipient); !ok {
				t.Errorf("%T for an X25519 recipient", r)
			}
		}
	}
	for _, s := range []string{"", "age1", "age1pq1", "age1nonsense", "AGE-SECRET-KEY-1XYZ", "ssh-ed25519 AAAA",
		strings.ToUpper(x25519Recipient), x25519Recipient[:len(x25519Recipient)-1] + "q", hyb[:100]} {
		if _, err := certs.ParseRecipient(s); err == nil {
			t.Errorf("ParseRecipient(%.30q) accepted", s)
		}
	}
}

func TestRecipientFingerprint(t *testing.T) {
	fp := certs.RecipientFingerprint(x25519Recipient)
	if len(fp) != 32 || strings.ToLower(fp) != fp {
		t.Errorf("fingerprint %q is not 32 lower-case hex digits", fp)
	}
	if certs.RecipientFingerprint(" "+x25519Recipient+"\n") != fp {
		t.Error("fingerprint depends on surrounding whitespace")
	}
	if certs.RecipientFingerprint(hybridRecipient(t)) == fp {
		t.Error("two recipients share a fingerprint")
	}
}
