package trust_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/thbx/thbx/certs/trust"
)

func TestEnrolmentRequestRoundTrip(t *testing.T) {
	req := request(t, "la-strada", x25519Recipient)
	got := must(trust.ParseEnrolmentRequest(must(req.Marshal())))
	if got.KeyID != req.KeyID || got.SigningKey != req.SigningKey || !got.Created.Equal(req.Created) {
		t.Fatalf("%+v", got)
	}
}

func TestEnrolmentRequestRefused(t *testing.T) {
	good := string(must(request(t, "la-strada", x25519Recipient).Marshal()))
	other := partnerKey(t, "other").KeyID()
	for name, tc := range map[string]struct{ doc, says string }{
		"kid of another key": {strings.Replace(good, request(t, "la-strada", x25519Recipient).KeyID, other, 1), "does not match the signing key"},
		"bad recipient":      {strings.Replace(good, x25519Recipient, "age1xyz", 1), "secrets recipient"},
		"officer key":        {strings.Replace(good, "PARTNER PUBLIC", "OFFICER PUBLIC", 2), "signing key"},
		"bad partner id":     {strings.Replace(good, `"la-strada"`, `"../x"`, 1), "partner id"},
		"bad category":       {strings.Replace(good, `"ngo"`, `"gang"`, 1), "category"},
		"unknown field":      {strings.Replace(good, `"name"`, `"role": "admin", "name"`, 1), "unknown field"},
		"duplicate field":    {strings.Replace(good, `"name"`, `"partner": "police-cz", "name"`, 1), "appears twice"},
		"case folded":        {strings.Replace(good, `"kid"`, `"KID"`, 1), "unknown field"},
		"no datasets":        {strings.Replace(good, `"victims"`, ``, 1), "dataset"},
		"trailing":           {good + "{}", "trailing"},
		"too large":          {good + strings.Repeat(" ", trust.MaxRequestSize), "bytes"},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.doc == good {
				t.Fatal("no edit")
			}
			_, err := trust.ParseEnrolmentRequest([]byte(tc.doc))
			wantErr(t, err, nil, "enrolment request", tc.says)
		})
	}
}

// enrol runs the officers' side: add the partner, publish, package.
func enrol(t *testing.T) (pkg []byte, id *age.HybridIdentity, req trust.EnrolmentRequest) {
	id = must(age.GenerateHybridIdentity())
	req = request(t, "la-strada", id.Recipient().String())
	parsed := must(trust.ParseEnrolmentRequest(must(req.Marshal())))
	next := must(trust.Propose(bundle(t), trust.AddPartner(*parsed, nil, 365*24*time.Hour, now)))
	rootDoc := signRoot(t, *root(t), "alice", "bob")
	p := must(trust.NewPackage(*parsed, rootDoc, signBundle(t, next, "alice", "carol"),
		trust.PackageSecrets{LinkageSecret: "s3cr3t-linkage", S3AccessKey: "AK", S3SecretKey: "SK"}))
	return must(p.Marshal()), id, req
}

func TestEnrolmentPackageRoundTrip(t *testing.T) {
	pkg, id, req := enrol(t)
	if bytes.Contains(pkg, []byte("s3cr3t-linkage")) {
		t.Fatal("the linkage secret is in the clear")
	}
	r, b, secrets, err := trust.OpenPackage(pkg, id, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Version != 1 || b.Version != 4 || secrets.LinkageSecret != "s3cr3t-linkage" || secrets.S3SecretKey != "SK" {
		t.Fatalf("%+v %+v %+v", r, b, secrets)
	}
	if p, k, err := b.Lookup(req.KeyID); err != nil || p.ID != "la-strada" || k.Status != "active" {
		t.Fatalf("lookup: %v %v", p, err)
	}
	var p trust.EnrolmentPackage
	if err := json.Unmarshal(pkg, &p); err != nil {
		t.Fatal(err)
	}
	if trust.RootFingerprint(p.Root) != trust.RootFingerprint(signRoot(t, *root(t), "carol")) {
		t.Fatal("fingerprint differs for the same root")
	}
}

func TestEnrolmentPackageTampered(t *testing.T) {
	pkg, id, _ := enrol(t)
	var p trust.EnrolmentPackage
	if err := json.Unmarshal(pkg, &p); err != nil {
		t.Fatal(err)
	}
	remarshal := func(edit func(*trust.EnrolmentPackage)) []byte {
		c := p
		edit(&c)
		return must(c.Marshal())
	}
	tamper := func(doc []byte, old, new string) []byte {
		s := must(trust.ParseSigned(doc))
		payload := must(s.PayloadBytes())
		edited := bytes.Replace(payload, []byte(old), []byte(new), 1)
		if bytes.Equal(edited, payload) {
			t.Fatal("no edit")
		}
		s.Payload = encode(edited)
		return must(s.Marshal())
	}
	other := must(age.GenerateX25519Identity())
	for name, tc := range map[string]struct {
		pkg  []byte
		id   age.Identity
		when time.Time
		says string
	}{
		"bundle payload changed": {remarshal(func(p *trust.EnrolmentPackage) { p.Bundle = tamper(p.Bundle, `"victims"`, `"suspects"`) }), id, now, "does not verify"},
		"root payload changed":   {remarshal(func(p *trust.EnrolmentPackage) { p.Root = tamper(p.Root, `"threshold": 2`, `"threshold": 1`) }), id, now, "does not verify"},
		"root of other officers": {remarshal(func(p *trust.EnrolmentPackage) {
			p.Root = signRoot(t, rootOf(t, 1, 2, "mallory", "trudy"), "mallory", "trudy")
		}), id, now, "not an officer of this root"},
		"other partner":   {remarshal(func(p *trust.EnrolmentPackage) { p.Partner = "ngo-b" }), id, now, "not in the trust bundle"},
		"wrong identity":  {pkg, other, now, "decrypt the secrets"},
		"secrets cut":     {remarshal(func(p *trust.EnrolmentPackage) { p.Secrets = p.Secrets[:len(p.Secrets)-1] }), id, now, "decrypt"},
		"bundle expired":  {pkg, id, jan2026, "expired"},
		"unknown field":   {bytes.Replace(pkg, []byte(`"partner"`), []byte(`"x": 1, "partner"`), 1), id, now, "unknown field"},
		"duplicate field": {bytes.Replace(pkg, []byte(`"partner"`), []byte(`"partner": "ngo-a", "partner"`), 1), id, now, "appears twice"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, s, err := trust.OpenPackage(tc.pkg, tc.id, tc.when)
			wantErr(t, err, nil, "enrolment package", tc.says)
			if s.LinkageSecret != "" {
				t.Fatal("secrets released with an error")
			}
		})
	}
}

func TestNewPackageRefused(t *testing.T) {
	id := must(age.GenerateX25519Identity())
	req := request(t, "la-strada", id.Recipient().String())
	rootDoc := signRoot(t, *root(t), "alice", "bob")
	notEnrolled := signBundle(t, bundle(t), "alice", "bob")
	_, err := trust.NewPackage(req, rootDoc, notEnrolled, trust.PackageSecrets{LinkageSecret: "x"})
	wantErr(t, err, nil, "publish the AddPartner change first")
	next := signBundle(t, must(trust.Propose(bundle(t), trust.AddPartner(req, nil, 0, now))), "alice", "bob")
	_, err = trust.NewPackage(req, rootDoc, next, trust.PackageSecrets{})
	wantErr(t, err, nil, "no linkage secret")
	_, err = trust.NewPackage(req, rootDoc, next, trust.PackageSecrets{LinkageSecret: "x", S3AccessKey: "AK"})
	wantErr(t, err, nil, "S3 access key")
	_, err = trust.NewPackage(req, []byte("{}"), next, trust.PackageSecrets{LinkageSecret: "x"})
	wantErr(t, err, nil, "root")
}
