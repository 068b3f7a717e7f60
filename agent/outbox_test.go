package agent

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/schema"
)

func TestOutboxLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	ob, err := OpenOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenOutbox(dir)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), filepath.Join(dir, "lock")) {
		t.Fatalf("second OpenOutbox: %v, want ErrLocked naming the lock file", err)
	}
	if runtime.GOOS != "windows" {
		for _, d := range []string{"pending", "done"} {
			info, err := os.Stat(filepath.Join(dir, d))
			if err != nil || info.Mode().Perm() != 0o700 {
				t.Errorf("%s: %v %v, want a 0700 directory", d, info.Mode(), err)
			}
		}
	}
	if err := ob.Close(); err != nil {
		t.Fatal(err)
	}
	ob, err = OpenOutbox(dir)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	ob.Close()
}

func TestSealWritesVerifiableEntry(t *testing.T) {
	f := newFixture(t)
	a, ob := f.agent(nil), f.outbox()
	e, err := a.SealFile(ob, "../testdata/victims-small.csv", "2025-H1")
	if err != nil {
		t.Fatal(err)
	}
	m := e.Manifest
	if m.Records != 3 || m.Sequence != 1 || m.Previous != "" || m.Period != "2025-H1" ||
		m.Partner != "ngo-a" || m.Dataset != "victims" || m.Classification != submission.Standard {
		t.Fatalf("manifest %+v", m)
	}
	if e.ID != m.Submission || e.Hash != submission.ManifestHash(e.JWS) {
		t.Fatalf("entry %s hash %s", e.ID, e.Hash)
	}
	key, err := certs.LoadPartnerKey(f.cfg.Key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := submission.VerifyManifest(e.JWS, key.Public()); err != nil {
		t.Fatalf("the sealed manifest does not verify: %v", err)
	}
	ct, err := os.ReadFile(ob.payloadPath(e.ID))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(ct)
	if int64(len(ct)) != m.Ciphertext.Size || hex.EncodeToString(sum[:]) != m.Ciphertext.SHA256 {
		t.Fatal("the payload in the outbox is not the one the manifest names")
	}
	pending, err := ob.Pending()
	if err != nil || len(pending) != 1 || pending[0].ID != e.ID || pending[0].Hash != e.Hash || pending[0].Done {
		t.Fatalf("pending %+v %v", pending, err)
	}
	if !pending[0].State.Uploaded.IsZero() || pending[0].State.Attempts != 0 {
		t.Fatalf("a new entry has state %+v", pending[0].State)
	}
}

// A seal whose records fail part way leaves no entry, no temporary file
// and the chain where it was.
func TestSealInterruptedByProduceError(t *testing.T) {
	f := newFixture(t)
	a, ob := f.agent(nil), f.outbox()
	e1 := f.seal(a, ob, 2)
	before := files(t, ob.path("pending"))

	d, _ := schema.Current("victims")
	boom := errors.New("the source database went away")
	_, err := a.Seal(ob, d, "2025", func(add func(any) error) error {
		if err := add(victim); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Seal: %v, want the produce error", err)
	}
	if after := files(t, ob.path("pending")); !slices.Equal(before, after) {
		t.Fatalf("pending after a failed seal: %v, before: %v", after, before)
	}
	h, err := ob.head()
	if err != nil || h.Sequence != 1 || h.Hash != e1.Hash {
		t.Fatalf("head %+v %v, want seq 1 at %s", h, err, e1.Hash)
	}
	e2 := f.seal(a, ob, 1)
	if e2.Manifest.Sequence != 2 || e2.Manifest.Previous != e1.Hash {
		t.Fatalf("next seal: seq %d prev %s", e2.Manifest.Sequence, e2.Manifest.Previous)
	}
}

// A file with problems seals nothing.
func TestSealFileWithProblemsSealsNothing(t *testing.T) {
	f := newFixture(t)
	a, ob := f.agent(nil), f.outbox()
	path := filepath.Join(f.dir, "bad.csv")
	writeFile(t, path, "status,sex,age_group,citizenship\nactual,F,adult,UA\nvictim,F,adult,UA\n", 0o600)
	_, err := a.SealFile(ob, path, "2025")
	var pe *ProblemsError
	if !errors.As(err, &pe) || len(pe.Problems) != 1 || pe.Problems[0].Row != 3 {
		t.Fatalf("SealFile: %v", err)
	}
	if got := files(t, ob.path("pending")); len(got) != 0 {
		t.Fatalf("pending holds %v", got)
	}
	if _, err := a.SealFile(ob, filepath.Join(f.dir, "none.csv"), "2025"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

// Leftovers of seals a crash interrupted are removed by the next seal;
// complete entries are not touched.
func TestSealCleansInterruptedSeals(t *testing.T) {
	f := newFixture(t)
	a, ob := f.agent(nil), f.outbox()
	e1 := f.seal(a, ob, 1)
	orphan, err := submission.NewID(f.clock.Now(), seeded(9))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, ob.path("pending", ".sealing-123456"), "half a ciphertext", 0o600)
	writeFile(t, ob.path("pending", orphan+".payload.age"), "a ciphertext whose manifest was never written", 0o600)

	e2 := f.seal(a, ob, 1)
	want := []string{e1.ID + ".manifest.jws", e1.ID + ".payload.age", e2.ID + ".manifest.jws", e2.ID + ".payload.age"}
	if got := files(t, ob.path("pending")); !slices.Equal(got, want) {
		t.Fatalf("pending holds\n%v\nwant\n%v", got, want)
	}
	// The orphan never moved the chain.
	if e2.Manifest.Sequence != 2 || e2.Manifest.Previous != e1.Hash {
		t.Fatalf("seq %d prev %s", e2.Manifest.Sequence, e2.Manifest.Previous)
	}
}

// The chain head is derived from the files each time, so a crash between
// two writes never leaves it behind.
func TestHeadNeverLags(t *testing.T) {
	f := newFixture(t)
	a, ob := f.agent(nil), f.outbox()
	if h, err := ob.head(); err != nil || h != (chainHead{}) {
		t.Fatalf("empty outbox head %+v %v", h, err)
	}

	// A crash right after the manifest was written: no state file, no
	// hub head. The manifest alone moves the chain.
	e1 := f.seal(a, ob, 1)
	for _, name := range []string{ob.path("pending", e1.ID+".state.json"), ob.path("hub-head.json")} {
		if _, err := os.Stat(name); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s exists after a seal: %v", name, err)
		}
	}
	if h, _ := ob.head(); h != (chainHead{1, e1.Hash}) {
		t.Fatalf("head %+v after seal 1", h)
	}

	// A crash in the middle of finish: receipt and manifest moved to
	// done, payload and state still in pending.
	e2 := f.seal(a, ob, 1)
	writeFile(t, ob.path("pending", e2.ID+".state.json"), `{"attempts":1}`, 0o600)
	writeFile(t, ob.path("done", e2.ID+".receipt.jws"), "receipt", 0o600)
	if err := os.Rename(ob.path("pending", e2.ID+".manifest.jws"), ob.path("done", e2.ID+".manifest.jws")); err != nil {
		t.Fatal(err)
	}
	if h, _ := ob.head(); h != (chainHead{2, e2.Hash}) {
		t.Fatalf("head %+v with seq 2 in done", h)
	}
	e3 := f.seal(a, ob, 1)
	if e3.Manifest.Sequence != 3 || e3.Manifest.Previous != e2.Hash {
		t.Fatalf("seal after the done entry: seq %d prev %s", e3.Manifest.Sequence, e3.Manifest.Previous)
	}
	if _, err := os.Stat(ob.payloadPath(e2.ID)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the done entry's payload was left in pending: %v", err)
	}

	// The hub's head, when further on (an outbox that was lost), wins;
	// an older one does not move it back.
	hubHash := strings.Repeat("ab", 32)
	if err := ob.noteHubHead(9, hubHash); err != nil {
		t.Fatal(err)
	}
	if err := ob.noteHubHead(4, strings.Repeat("cd", 32)); err != nil {
		t.Fatal(err)
	}
	if h, _ := ob.head(); h != (chainHead{9, hubHash}) {
		t.Fatalf("head %+v, want the hub's seq 9", h)
	}
	e4 := f.seal(a, ob, 1)
	if e4.Manifest.Sequence != 10 || e4.Manifest.Previous != hubHash {
		t.Fatalf("seal after the hub's head: seq %d prev %s", e4.Manifest.Sequence, e4.Manifest.Previous)
	}
	// Pending entries beyond the hub's head count too.
	if h, _ := ob.head(); h != (chainHead{10, e4.Hash}) {
		t.Fatalf("head %+v, want seq 10", h)
	}
	// chainBase, where re-signed entries continue, ignores pending ones.
	if b, _ := ob.chainBase(); b != (chainHead{9, hubHash}) {
		t.Fatalf("chainBase %+v", b)
	}
}

func TestHeadRefusesDamagedHubHead(t *testing.T) {
	f := newFixture(t)
	a, ob := f.agent(nil), f.outbox()
	writeFile(t, ob.path("hub-head.json"), "{not json", 0o600)
	d, _ := schema.Current("victims")
	_, err := a.Seal(ob, d, "2025", func(func(any) error) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "hub-head.json") {
		t.Fatalf("Seal with a damaged hub-head.json: %v", err)
	}
	if got := files(t, ob.path("pending")); len(got) != 0 {
		t.Fatalf("pending holds %v", got)
	}
}

func TestOutboxListsOldestFirst(t *testing.T) {
	f := newFixture(t)
	a, ob := f.agent(nil), f.outbox()
	var ids []string
	for range 3 {
		ids = append(ids, f.seal(a, ob, 1).ID)
	}
	pending, err := ob.Pending()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, e := range pending {
		got = append(got, e.ID)
		if e.Manifest.Sequence != uint64(i+1) {
			t.Errorf("entry %d has seq %d", i, e.Manifest.Sequence)
		}
	}
	if !slices.Equal(got, ids) {
		t.Fatalf("pending %v, want %v", got, ids)
	}
}

// Two seals in the same millisecond get ids that differ only in their
// random part; the outbox must still list them in sealing order, since
// Upload and ResendAll send and re-sign in that order.
func TestOutboxListsSameMillisecondSealsInOrder(t *testing.T) {
	f := newFixture(t)
	a, ob := f.agent(nil), f.outbox()
	fixed := f.clock.Now()
	a.Now = func() time.Time { return fixed }
	// Random parts that fall: the second id sorts before the first.
	a.Rand = strings.NewReader(strings.Repeat("\xff", 10) + strings.Repeat("\x00", 10))
	e1 := f.seal(a, ob, 1)
	e2 := f.seal(a, ob, 1)
	if e2.ID > e1.ID {
		t.Fatalf("fixture: ids %s %s do not fall", e1.ID, e2.ID)
	}
	pending, err := ob.Pending()
	if err != nil {
		t.Fatal(err)
	}
	if pending[0].ID != e1.ID {
		t.Fatal("two seals in one millisecond are listed out of sequence order (seq 2 before seq 1)")
	}
}
