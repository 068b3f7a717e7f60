package bench

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
)

// SealConfig is the submission the benchmarks seal: partner "bench",
// victims/1, sequence 1, to the given hub recipient.
func SealConfig(key certs.PartnerKey, recipient string) submission.SealConfig {
	return submission.SealConfig{
		Partner: "bench", Key: key, Recipients: []string{recipient},
		Dataset: "victims", Period: "2025", Schema: "victims/1", Sequence: 1,
	}
}

// SealLines seals src, one JSON record a line, as one submission into
// dst, adding each line with AddRaw as an agent that already holds JSON
// would.
func SealLines(cfg submission.SealConfig, src io.Reader, dst io.Writer) (submission.Sealed, error) {
	s, err := submission.NewSealer(cfg, dst)
	if err != nil {
		return submission.Sealed{}, err
	}
	br := bufio.NewReaderSize(src, submission.DefaultMaxLine)
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return submission.Sealed{}, fmt.Errorf("a line is longer than %d bytes", submission.DefaultMaxLine)
		}
		if len(line) > 0 && line[len(line)-1] == '\n' {
			line = line[:len(line)-1]
		}
		if len(line) > 0 {
			if err := s.AddRaw(line); err != nil {
				return submission.Sealed{}, err
			}
		}
		if err == io.EOF {
			return s.Close()
		}
		if err != nil {
			return submission.Sealed{}, err
		}
	}
}

// OpenDiscard opens a submission as the hub does (size, hash, header and
// record count checked) and throws the records away. It returns the
// number of records.
func OpenDiscard(m *submission.Manifest, ciphertext io.Reader, ids ...age.Identity) (int64, error) {
	return submission.Open(m, ciphertext, submission.OpenConfig{Identities: ids},
		func([]byte) error { return nil })
}
