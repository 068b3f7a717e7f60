package bench

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
)

// benchSize is the plaintext each iteration seals or opens.
const benchSize = 64 << 20

// fixture is built once per test binary: making 64 MiB of records and
// sealing them costs more than one iteration.
var fixture = sync.OnceValues(func() (*benchFixture, error) {
	var f benchFixture
	var err error
	if f.hub, err = certs.GenerateHubIdentity(); err != nil {
		return nil, err
	}
	if f.key, err = certs.GeneratePartnerKey(nil); err != nil {
		return nil, err
	}
	var plain bytes.Buffer
	if _, _, err := WritePayload(&plain, 1, benchSize); err != nil {
		return nil, err
	}
	f.plaintext = plain.Bytes()
	var ct bytes.Buffer
	sealed, err := SealLines(f.config(), bytes.NewReader(f.plaintext), &ct)
	if err != nil {
		return nil, err
	}
	f.manifest, f.ciphertext = sealed.Manifest, ct.Bytes()
	return &f, nil
})

type benchFixture struct {
	hub        certs.HubIdentity
	key        certs.PartnerKey
	plaintext  []byte
	ciphertext []byte
	manifest   submission.Manifest
}

func (f *benchFixture) config() submission.SealConfig {
	return SealConfig(f.key, f.hub.Recipient())
}

// BenchmarkSeal seals 64 MiB of victims records to a hybrid recipient;
// the bytes per second are of plaintext.
func BenchmarkSeal(b *testing.B) {
	f, err := fixture()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(f.plaintext)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SealLines(f.config(), bytes.NewReader(f.plaintext), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen opens the same submission with the hub's identity,
// checking size, hash and record count; the bytes per second are of
// plaintext, as for BenchmarkSeal.
func BenchmarkOpen(b *testing.B) {
	f, err := fixture()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(f.plaintext)))
	b.ReportAllocs()
	for b.Loop() {
		n, err := OpenDiscard(&f.manifest, bytes.NewReader(f.ciphertext), f.hub.Identity())
		if err != nil {
			b.Fatal(err)
		}
		if n != f.manifest.Records {
			b.Fatalf("opened %d records, sealed %d", n, f.manifest.Records)
		}
	}
}
