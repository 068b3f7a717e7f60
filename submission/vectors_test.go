package submission_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/schema"
)

var update = flag.Bool("update", false, "regenerate the submission vectors in ../testdata/vectors (age identities are kept when present)")

const vectorDir = "../testdata/vectors"

// The vectors' fixed inputs; testdata/vectors/README.md repeats them.
const (
	vectorPartner    = "ngo-example"
	vectorPartnerKey = "thbx-vectors/v1/partner-key" // Ed25519 seed: SHA-256 of this + ":0"
	vectorReceiptKey = "thbx-vectors/v1/receipt-key"
)

// vectorExample describes one sealed example and what opening it must give.
type vectorExample struct {
	name      string
	identity  string // hub-hybrid or hub-x25519
	created   time.Time
	seq       uint64
	prevOf    string // example whose manifest this one chains to
	records   []schema.Victim
	receiptAt time.Time // zero: no receipt
}

var vectorRecords = []schema.Victim{
	{StatusSource: "identifikovaná oběť", Status: "actual", DecidedBy: "police", Sex: "F", BirthYear: 1998,
		AgeGroup: "adult", Citizenship: "UA", Exploitation: []string{"sexual"}, IdentifiedOn: "2025-03-14",
		LinkageKeys: []string{"hmac-v1_Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFi"}},
	{StatusSource: "klientka", Status: "possible", DecidedBy: "ngo", Sex: "F", BirthYear: 2008,
		AgeGroup: "child", Citizenship: "CZ", Exploitation: []string{"labour", "begging"}, IdentifiedOn: "2025-05-02"},
	{StatusSource: "presumed", Status: "possible", DecidedBy: "ngo", Sex: "M", BirthYear: 1990,
		AgeGroup: "adult", Citizenship: "VN", Exploitation: []string{"labour"}, IdentifiedOn: "2025-07"},
	{Status: "not_victim", Sex: "U", AgeGroup: "unknown", Citizenship: "XX"},
	{StatusSource: "oběť <\"quoted\"> & co.", Status: "actual", DecidedBy: "court", Sex: "M",
		AgeGroup: "adult", Citizenship: "RO", Exploitation: []string{"criminal", "benefit_fraud"}, IdentifiedOn: "2024"},
}

var vectorExamples = []vectorExample{
	{name: "victims-hybrid", identity: "hub-hybrid", seq: 1,
		created: time.Date(2025, 7, 1, 9, 30, 0, 123_000_000, time.UTC), records: vectorRecords[:3]},
	{name: "victims-x25519", identity: "hub-x25519", seq: 1,
		created: time.Date(2025, 7, 1, 9, 31, 0, 456_000_000, time.UTC), records: vectorRecords[:3]},
	{name: "victims-hybrid-seq2", identity: "hub-hybrid", seq: 2, prevOf: "victims-hybrid",
		created: time.Date(2025, 7, 2, 8, 0, 0, 789_000_000, time.UTC), records: vectorRecords[3:],
		receiptAt: time.Date(2025, 7, 2, 8, 5, 0, 0, time.UTC)},
}

func vectorPath(name string) string { return filepath.Join(vectorDir, name) }

func readVector(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(vectorPath(name))
	if err != nil {
		t.Fatalf("%v (run go test ./submission -run TestVectors -update to make the vectors)", err)
	}
	return b
}

// vectorKeys are the keys of testdata/vectors.
type vectorKeys struct {
	partner    certs.PartnerKey
	receipt    certs.ReceiptKey
	identities map[string]age.Identity // by file stem
	recipients map[string]string
}

func TestVectors(t *testing.T) {
	if *update {
		generateVectors(t)
	}
	keys := loadVectorKeys(t)
	manifests := map[string][]byte{}
	for _, ex := range vectorExamples {
		t.Run(ex.name, func(t *testing.T) {
			manifests[ex.name] = checkVectorExample(t, keys, ex, manifests)
		})
	}
	t.Run("receipt", func(t *testing.T) { checkVectorReceipt(t, keys, manifests) })
}

func loadVectorKeys(t *testing.T) vectorKeys {
	t.Helper()
	k := vectorKeys{identities: map[string]age.Identity{}, recipients: map[string]string{}}

	// The signing keys are those the documented seeds give.
	if err := k.partner.UnmarshalText(readVector(t, "partner.key")); err != nil {
		t.Fatal(err)
	}
	if want := partnerKey(t, vectorPartnerKey); k.partner.KeyID() != want.KeyID() {
		t.Errorf("partner.key has kid %s; the seed gives %s", k.partner.KeyID(), want.KeyID())
	}
	if err := k.receipt.UnmarshalText(readVector(t, "receipt.key")); err != nil {
		t.Fatal(err)
	}
	if want := receiptKey(t, vectorReceiptKey); k.receipt.KeyID() != want.KeyID() {
		t.Errorf("receipt.key has kid %s; the seed gives %s", k.receipt.KeyID(), want.KeyID())
	}
	// README.md names these.
	if k.partner.KeyID() != "uPTONhzGl2I5VZJX" || k.receipt.KeyID() != "ghG-S1N0zTvIZHwX" {
		t.Errorf("kids %s and %s differ from README.md", k.partner.KeyID(), k.receipt.KeyID())
	}
	var pub certs.PartnerPublicKey
	if err := pub.UnmarshalText(readVector(t, "partner.pub")); err != nil || pub.KeyID() != k.partner.KeyID() || !bytes.Equal(pub.Bytes(), k.partner.Public().Bytes()) {
		t.Errorf("partner.pub is not partner.key's public key (%v)", err)
	}
	var rpub certs.ReceiptPublicKey
	if err := rpub.UnmarshalText(readVector(t, "receipt.pub")); err != nil || rpub.KeyID() != k.receipt.KeyID() ||
		!bytes.Equal(rpub.Bytes(), k.receipt.Public().Bytes()) {
		t.Errorf("receipt.pub is not receipt.key's public key (%v)", err)
	}

	// Git does not keep file modes, so LoadPartnerKey, which insists on
	// 0600, reads a copy.
	dir := t.TempDir()
	for _, name := range []string{"partner.key", "receipt.key", "hub-hybrid.identity", "hub-x25519.identity"} {
		if err := os.WriteFile(filepath.Join(dir, name), readVector(t, name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if loaded, err := certs.LoadPartnerKey(filepath.Join(dir, "partner.key")); err != nil || loaded.KeyID() != k.partner.KeyID() {
		t.Errorf("LoadPartnerKey: %v", err)
	}
	if loaded, err := certs.LoadReceiptKey(filepath.Join(dir, "receipt.key")); err != nil || loaded.KeyID() != k.receipt.KeyID() {
		t.Errorf("LoadReceiptKey: %v", err)
	}

	for _, stem := range []string{"hub-hybrid", "hub-x25519"} {
		hub, err := certs.LoadHubIdentities(filepath.Join(dir, stem+".identity"))
		if err != nil || len(hub) != 1 {
			t.Fatalf("LoadHubIdentities(%s): %d identities, %v", stem, len(hub), err)
		}
		recipient := strings.TrimSpace(string(readVector(t, stem+".recipient")))
		if hub[0].Recipient() != recipient {
			t.Errorf("%s.recipient is not the identity's recipient", stem)
		}
		k.identities[stem] = hub[0].Identity()
		k.recipients[stem] = recipient
	}
	if _, ok := k.identities["hub-hybrid"].(*age.HybridIdentity); !ok {
		t.Errorf("hub-hybrid.identity holds a %T", k.identities["hub-hybrid"])
	}
	if _, ok := k.identities["hub-x25519"].(*age.X25519Identity); !ok {
		t.Errorf("hub-x25519.identity holds a %T", k.identities["hub-x25519"])
	}
	return k
}

func checkVectorExample(t *testing.T, k vectorKeys, ex vectorExample, manifests map[string][]byte) []byte {
	jwsBytes := readVector(t, ex.name+".manifest.jws")
	ct := readVector(t, ex.name+".payload.age")
	wantLines := readLines(t, ex.name+".records.jsonl")
	var want submission.Manifest
	if err := decodeStrict(readVector(t, ex.name+".manifest.json"), &want); err != nil {
		t.Fatalf("%s.manifest.json: %v", ex.name, err)
	}

	kid, err := submission.ManifestKeyID(jwsBytes)
	if err != nil || kid != k.partner.KeyID() {
		t.Fatalf("ManifestKeyID = %q, %v; want %q", kid, err, k.partner.KeyID())
	}
	m, err := submission.VerifyManifest(jwsBytes, k.partner.Public())
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, m) != jsonOf(t, want) {
		t.Errorf("claims\n%s\nwant (%s.manifest.json)\n%s", jsonOf(t, m), ex.name, jsonOf(t, want))
	}
	// The claims are signed exactly as json.Marshal writes them, and
	// Ed25519 is deterministic, so signing the expected claims again gives
	// the stored object byte for byte.
	if again, err := submission.SignManifest(&want, k.partner); err != nil || !bytes.Equal(again, bytes.TrimSpace(jwsBytes)) {
		t.Errorf("re-signing %s.manifest.json does not give %s.manifest.jws (%v)", ex.name, ex.name, err)
	}

	// Fields fixed by the inputs.
	sum := sha256.Sum256(ct)
	var prev string
	if ex.prevOf != "" {
		prev = submission.ManifestHash(manifests[ex.prevOf])
		if manifests[ex.prevOf] == nil {
			t.Fatalf("example %s must be checked before %s", ex.prevOf, ex.name)
		}
	}
	idTime, err := submission.IDTime(m.Submission)
	for _, c := range []struct {
		field     string
		got, want any
	}{
		{"format", m.Format, submission.ManifestFormat},
		{"partner", m.Partner, vectorPartner},
		{"kid", m.KeyID, k.partner.KeyID()},
		{"dataset", m.Dataset, "victims"},
		{"period", m.Period, "2025-H1"},
		{"schema", m.Schema, "victims/1"},
		{"classification", m.Classification, submission.Standard},
		{"created", m.Created.Format(time.RFC3339Nano), ex.created.Format(time.RFC3339Nano)},
		{"id time", idTime.Format(time.RFC3339Nano), ex.created.Format(time.RFC3339Nano)},
		{"id time error", err, nil},
		{"records", m.Records, int64(len(ex.records))},
		{"ciphertext size", m.Ciphertext.Size, int64(len(ct))},
		{"ciphertext sha256", m.Ciphertext.SHA256, hex.EncodeToString(sum[:])},
		{"recipients", strings.Join(m.Recipients, ","), certs.RecipientFingerprint(k.recipients[ex.identity])},
		{"seq", m.Sequence, ex.seq},
		{"prev", m.Previous, prev},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.field, c.got, c.want)
		}
	}

	// The expected records are the ones the test put in.
	for i, v := range ex.records {
		b, _ := json.Marshal(v)
		if i >= len(wantLines) || wantLines[i] != string(b) {
			t.Errorf("%s.records.jsonl line %d is not record %d", ex.name, i+1, i+1)
		}
	}

	lines, err := open(m, ct, ids(k.identities[ex.identity]))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lines, wantLines) {
		t.Errorf("records\n%s\nwant (%s.records.jsonl)\n%s", strings.Join(lines, "\n"), ex.name, strings.Join(wantLines, "\n"))
	}
	d, _ := schema.Lookup(m.Schema)
	for i, l := range lines {
		if _, err := d.Decode([]byte(l)); err != nil {
			t.Errorf("record %d: %v", i+1, err)
		}
	}

	// The other hub identity cannot read it.
	for stem, id := range k.identities {
		if stem != ex.identity {
			_, err := open(m, ct, ids(id))
			wantReason(t, err, submission.ReasonDecrypt)
		}
	}
	return jwsBytes
}

func checkVectorReceipt(t *testing.T, k vectorKeys, manifests map[string][]byte) {
	for _, ex := range vectorExamples {
		if ex.receiptAt.IsZero() {
			continue
		}
		b := readVector(t, ex.name+".receipt.jws")
		var want submission.Receipt
		if err := decodeStrict(readVector(t, ex.name+".receipt.json"), &want); err != nil {
			t.Fatal(err)
		}
		r, err := submission.VerifyReceipt(b, k.receipt.Public())
		if err != nil {
			t.Fatal(err)
		}
		if jsonOf(t, r) != jsonOf(t, want) {
			t.Errorf("receipt\n%s\nwant\n%s", jsonOf(t, r), jsonOf(t, want))
		}
		m, err := submission.VerifyManifest(manifests[ex.name], k.partner.Public())
		if err != nil {
			t.Fatal(err)
		}
		if r.Manifest != submission.ManifestHash(manifests[ex.name]) || r.Submission != m.Submission ||
			r.Partner != m.Partner || r.Sequence != m.Sequence || r.Records != m.Records ||
			r.Status != submission.Accepted || !r.Chained || !r.Decided.Equal(ex.receiptAt) {
			t.Errorf("receipt %+v does not answer manifest %+v", r, m)
		}
		if again, err := submission.SignReceipt(want, k.receipt); err != nil || !bytes.Equal(again, bytes.TrimSpace(b)) {
			t.Errorf("re-signing %s.receipt.json does not give %s.receipt.jws (%v)", ex.name, ex.name, err)
		}
		if _, err := submission.VerifyReceipt(b, certs.ReceiptPublicKey{}); err == nil {
			t.Error("receipt verifies without its key")
		}
	}
}

func readLines(t *testing.T, name string) []string {
	t.Helper()
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(readVector(t, name)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// generateVectors writes testdata/vectors. The signing keys come from fixed
// seeds; the age identities are random, so they are made only when missing;
// the examples are sealed again each time, and differ from the last run
// only in what age's randomness touches (the payloads, their hashes and the
// manifests and receipt that name them).
func generateVectors(t *testing.T) {
	t.Helper()
	if err := os.MkdirAll(vectorDir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte, mode os.FileMode) {
		t.Helper()
		p := vectorPath(name)
		os.Remove(p) // WriteFile keeps the mode of a file that exists
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
	}
	text := func(m interface{ MarshalText() ([]byte, error) }) []byte {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pk := partnerKey(t, vectorPartnerKey)
	rk := receiptKey(t, vectorReceiptKey)
	write("partner.key", text(pk), 0o600)
	write("partner.pub", text(pk.Public()), 0o644)
	write("receipt.key", text(rk), 0o600)
	write("receipt.pub", text(rk.Public()), 0o644)

	for stem, gen := range map[string]func() (string, string){
		"hub-hybrid": func() (string, string) {
			id, err := age.GenerateHybridIdentity()
			if err != nil {
				t.Fatal(err)
			}
			return id.String(), id.Recipient().String()
		},
		"hub-x25519": func() (string, string) {
			id, err := age.GenerateX25519Identity()
			if err != nil {
				t.Fatal(err)
			}
			return id.String(), id.Recipient().String()
		},
	} {
		if _, err := os.Stat(vectorPath(stem + ".identity")); err == nil {
			continue
		}
		secret, recipient := gen()
		write(stem+".identity", []byte("# thbx test vector identity: public, never use it for real data\n"+secret+"\n"), 0o600)
		write(stem+".recipient", []byte(recipient+"\n"), 0o644)
	}

	manifests := map[string][]byte{}
	for _, ex := range vectorExamples {
		recipient := strings.TrimSpace(string(readVector(t, ex.identity+".recipient")))
		cfg := submission.SealConfig{
			Partner: vectorPartner, Key: pk, Recipients: []string{recipient},
			Dataset: "victims", Period: "2025-H1", Schema: "victims/1",
			Sequence: ex.seq, Now: fixedNow(ex.created), Rand: newDetReader("thbx-vectors/v1/" + ex.name),
		}
		if ex.prevOf != "" {
			cfg.Previous = submission.ManifestHash(manifests[ex.prevOf])
		}
		var ct, lines bytes.Buffer
		s, err := submission.NewSealer(cfg, &ct)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range ex.records {
			if err := s.Add(v); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(v)
			lines.Write(append(b, '\n'))
		}
		sealed, err := s.Close()
		if err != nil {
			t.Fatal(err)
		}
		manifests[ex.name] = sealed.JWS
		write(ex.name+".manifest.jws", sealed.JWS, 0o644)
		write(ex.name+".manifest.json", []byte(jsonOf(t, sealed.Manifest)+"\n"), 0o644)
		write(ex.name+".payload.age", ct.Bytes(), 0o644)
		write(ex.name+".records.jsonl", lines.Bytes(), 0o644)

		if ex.receiptAt.IsZero() {
			continue
		}
		r := submission.Receipt{
			Format: submission.ReceiptFormat, Partner: vectorPartner, Submission: sealed.Manifest.Submission,
			Manifest: submission.ManifestHash(sealed.JWS), Sequence: ex.seq, Status: submission.Accepted,
			Chained: true, Records: sealed.Manifest.Records, Decided: ex.receiptAt,
		}
		b, err := submission.SignReceipt(r, rk)
		if err != nil {
			t.Fatal(err)
		}
		write(ex.name+".receipt.jws", b, 0o644)
		write(ex.name+".receipt.json", []byte(jsonOf(t, r)+"\n"), 0o644)
	}
}
