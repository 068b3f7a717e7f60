package trust_test

import (
	"testing"
	"time"

	"github.com/thbx/thbx/certs/trust"
)

func TestVerifyRoot(t *testing.T) {
	doc := signRoot(t, *root(t), "alice", "carol")
	s := must(trust.ParseSigned(doc))
	r, err := trust.VerifyRoot(s, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Version != 1 || r.Threshold != 2 || len(r.Officers) != 3 {
		t.Fatalf("%+v", r)
	}
	_, err = trust.VerifyRoot(s, jan2030)
	wantErr(t, err, trust.ErrExpired, "root version 1 expired at 2030-01-01T00:00:00Z", "new root")

	one := must(trust.ParseSigned(signRoot(t, *root(t), "alice")))
	_, err = trust.VerifyRoot(one, now)
	wantErr(t, err, trust.ErrThreshold, "1 valid officer signature(s), 2 needed")
}

func TestRootValidate(t *testing.T) {
	for name, edit := range map[string]func(*trust.Root){
		"threshold zero":    func(r *trust.Root) { r.Threshold = 0 },
		"threshold above n": func(r *trust.Root) { r.Threshold = 4 },
		"duplicate id":      func(r *trust.Root) { r.Officers[1].ID = "alice" },
		"duplicate key":     func(r *trust.Root) { r.Officers[1] = r.Officers[0]; r.Officers[1].ID = "bob" },
		"kid mismatch":      func(r *trust.Root) { r.Officers[1].KeyID = r.Officers[0].KeyID },
		"no officers":       func(r *trust.Root) { r.Officers = nil },
		"wrong type":        func(r *trust.Root) { r.Type = trust.BundleType },
		"version 0":         func(r *trust.Root) { r.Version = 0 },
		"no expiry":         func(r *trust.Root) { r.Expires = time.Time{} },
		"bad officer id":    func(r *trust.Root) { r.Officers[0].ID = "Alice Smith" },
		"partner PEM":       func(r *trust.Root) { r.Officers[0].Public = text(t, partnerKey(t, "a").Public()) },
	} {
		t.Run(name, func(t *testing.T) {
			r := root(t)
			edit(r)
			_, err := trust.NewRootProposal(*r)
			wantErr(t, err, nil, "root")
		})
	}
}

// rotation: root 1 is alice, bob, carol (2 of 3); root 2 replaces carol
// by dave and erin, 3 of 4.
func rotation(t *testing.T) (*trust.Root, trust.Root) {
	return root(t), rootOf(t, 2, 3, "alice", "bob", "dave", "erin")
}

func TestRootRotationSignedByNewOfficersOnly(t *testing.T) {
	cur, next := rotation(t)
	// Three of the new officers sign, but of the old root only alice.
	s := must(trust.ParseSigned(signRoot(t, next, "alice", "dave", "erin")))
	_, err := trust.VerifyRootUpdate(cur, s, now)
	wantErr(t, err, trust.ErrThreshold, "signed by the new officers only", "2 of the 3 officers of root version 1 must also sign")
}

func TestRootRotationSignedByOldOfficersOnly(t *testing.T) {
	cur, next := rotation(t)
	s := must(trust.ParseSigned(signRoot(t, next, "alice", "carol")))
	_, err := trust.VerifyRootUpdate(cur, s, now)
	wantErr(t, err, trust.ErrThreshold, "signed by the old officers only", "3 of its own 4 officers must also sign")
}

func TestRootRotationSignedByNobodyEnough(t *testing.T) {
	cur, next := rotation(t)
	s := must(trust.ParseSigned(signRoot(t, next, "dave")))
	_, err := trust.VerifyRootUpdate(cur, s, now)
	wantErr(t, err, trust.ErrThreshold, "neither the old officers")
}

func TestRootRotation(t *testing.T) {
	cur, next := rotation(t)
	s := must(trust.ParseSigned(signRoot(t, next, "alice", "bob", "dave")))
	got, err := trust.VerifyRootUpdate(cur, s, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Threshold != 3 {
		t.Fatalf("%+v", got)
	}
	// Carol is gone: a bundle she signs no longer counts under root 2.
	b := bundle(t)
	b.RootVersion = 2
	_, err = trust.VerifyBundle(signBundle(t, b, "carol", "alice", "bob"), got, nil, now)
	wantErr(t, err, trust.ErrThreshold, "2 valid officer signature(s), 3 needed", "not an officer of this root")
	must(trust.VerifyBundle(signBundle(t, b, "erin", "alice", "bob"), got, nil, now))

	want := []string{"root version 1 → 2", "threshold 2 of 3 → 3 of 4",
		`officer removed: carol "Carol", key ` + cur.Officers[2].KeyID,
		`officer added: dave "Dave", key ` + next.Officers[2].KeyID,
		`officer added: erin "Erin", key ` + next.Officers[3].KeyID}
	equalLines(t, trust.DiffRoot(cur, got), want)
}

func TestRootUpdateVersions(t *testing.T) {
	cur := root(t)
	same := must(trust.ParseSigned(signRoot(t, rootOf(t, 1, 2, "alice", "bob"), "alice", "bob")))
	_, err := trust.VerifyRootUpdate(cur, same, now)
	wantErr(t, err, trust.ErrRollback, "not newer")
	skip := must(trust.ParseSigned(signRoot(t, rootOf(t, 3, 2, "alice", "bob"), "alice", "bob")))
	_, err = trust.VerifyRootUpdate(cur, skip, now)
	wantErr(t, err, nil, "skips versions")
	expired := rootOf(t, 2, 2, "alice", "bob")
	expired.Expires = now
	_, err = trust.VerifyRootUpdate(cur, must(trust.ParseSigned(signRoot(t, expired, "alice", "bob"))), now)
	wantErr(t, err, trust.ErrExpired)
}

func TestUpdateRootChain(t *testing.T) {
	pinned := root(t)
	r2 := rootOf(t, 2, 2, "alice", "bob", "dave")
	r2.Expires = now.Add(-time.Hour) // an expired intermediate root is fine
	r3 := rootOf(t, 3, 1, "dave")
	chain := [][]byte{
		signRoot(t, *pinned, "alice", "bob"), // already trusted: skipped
		signRoot(t, r2, "alice", "bob"),
		signRoot(t, r3, "dave", "bob"),
	}
	got, err := trust.UpdateRootChain(pinned, chain, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 3 || got.Officers[0].ID != "dave" {
		t.Fatalf("%+v", got)
	}
	// Stopping at the expired root 2 is refused.
	_, err = trust.UpdateRootChain(pinned, chain[:2], now)
	wantErr(t, err, trust.ErrExpired, "root version 2 expired")
	// Root 3 signed by dave alone lacks the old threshold of root 2.
	chain[2] = signRoot(t, r3, "dave")
	_, err = trust.UpdateRootChain(pinned, chain, now)
	wantErr(t, err, trust.ErrThreshold, "root chain entry 3", "signed by the new officers only")
}

func TestRootFingerprint(t *testing.T) {
	a := signRoot(t, *root(t), "alice", "bob")
	b := signRoot(t, *root(t), "carol") // same payload, other signatures
	c := signRoot(t, rootOf(t, 1, 1, "alice", "bob", "carol"), "alice")
	fa := trust.RootFingerprint(a)
	if len(fa) != 64 || fa != trust.RootFingerprint(b) || fa == trust.RootFingerprint(c) {
		t.Fatalf("fingerprints %s %s %s", fa, trust.RootFingerprint(b), trust.RootFingerprint(c))
	}
	if trust.RootFingerprint([]byte("junk")) != "" {
		t.Fatal("fingerprint of junk")
	}
}

func equalLines(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d lines:\n%q\nwant:\n%q", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("line %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
}
