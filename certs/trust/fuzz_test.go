package trust_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/thbx/thbx/certs/trust"
)

// FuzzParseSigned: whatever ParseSigned accepts marshals to a document it
// parses to the same value again.
func FuzzParseSigned(f *testing.F) {
	good := must(signedBundle(f, bundle(f), "alice", "bob").Marshal())
	f.Add(good)                                                      // two signatures
	f.Add([]byte(`{"payload":"e30","signatures":[]}`))               // an unsigned proposal
	f.Add([]byte(`{"payload":"e30","signatures":null}`))             // null signatures
	f.Add([]byte(`{"payload":"e30=","signatures":[]}`))              // padded: refused
	f.Add([]byte(`{"payload":"e30","signatures":[],"payload":"x"}`)) // duplicate: refused
	f.Add([]byte(`{"payload":"e30","signatures":[{"protected":"e30","header":{},"signature":"AA"}]}`))
	f.Add([]byte(`{"Payload":"e30","signatures":[]}`)) // case-folded: refused
	f.Add([]byte(`[]`))
	officers := root(f).Officers
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := trust.ParseSigned(b)
		if err != nil {
			return
		}
		again, err := trust.ParseSigned(must(s.Marshal()))
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if again.Payload != s.Payload || len(again.Signatures) != len(s.Signatures) {
			t.Fatal("round trip changed the document")
		}
		_, _ = s.Verify(officers, 2, trust.BundleType)
	})
}

// FuzzVerifyBundle: no input panics, and whatever verifies is a valid
// bundle that verifies again, identically, from its re-marshalled form.
func FuzzVerifyBundle(f *testing.F) {
	r := root(f)
	b := bundle(f)
	f.Add(signBundle(f, b, "alice", "bob"))            // valid
	f.Add(signBundle(f, b, "alice"))                   // below threshold
	f.Add(signBundle(f, b, "alice", "alice"))          // one officer twice
	f.Add(signBundle(f, b, "alice", "mallory"))        // unknown officer
	f.Add(signRoot(f, *r, "alice", "bob"))             // a root, not a bundle
	f.Add([]byte(`{"payload":"e30","signatures":[]}`)) // empty object
	f.Fuzz(func(t *testing.T, doc []byte) {
		got, err := trust.VerifyBundle(doc, r, nil, now)
		if err != nil {
			return
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("accepted an invalid bundle: %v", err)
		}
		s := must(trust.ParseSigned(doc))
		again, err := trust.VerifyBundle(must(s.Marshal()), r, got, now)
		if err != nil || again != got {
			t.Fatalf("re-verify: %v", err)
		}
	})
}

// FuzzParseEnrolmentRequest: an accepted request survives a round trip.
func FuzzParseEnrolmentRequest(f *testing.F) {
	good := must(request(f, "la-strada", x25519Recipient).Marshal())
	f.Add(good)
	f.Add(bytes.Replace(good, []byte(`"kid"`), []byte(`"KID"`), 1))  // case-folded
	f.Add(bytes.Replace(good, []byte(`"ngo"`), []byte(`"gang"`), 1)) // bad category
	f.Add(bytes.Replace(good, []byte("age1"), []byte("age2"), 1))    // bad recipient
	f.Add([]byte(strings.Replace(string(good), "}", `,"x":1}`, 1)))  // unknown field
	f.Add([]byte(`{"partner":"a","partner":"b"}`))                   // duplicate
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := trust.ParseEnrolmentRequest(b)
		if err != nil {
			return
		}
		again, err := trust.ParseEnrolmentRequest(must(req.Marshal()))
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if !reflect.DeepEqual(normal(*again), normal(*req)) {
			t.Fatalf("round trip: %+v != %+v", again, req)
		}
	})
}

func normal(r trust.EnrolmentRequest) trust.EnrolmentRequest {
	r.Created = r.Created.Round(0).UTC()
	return r
}
