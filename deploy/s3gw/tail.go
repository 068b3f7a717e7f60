package s3gw

import (
	"bytes"
	"strings"
	"sync"
)

// tailWriter keeps the last max bytes of the gateway's output, for error
// messages, and passes each complete line to logf.
type tailWriter struct {
	mu      sync.Mutex
	max     int
	tail    []byte
	partial []byte // current line, not yet logged
	logf    func(format string, args ...any)
}

func newTailWriter(max int, logf func(format string, args ...any)) *tailWriter {
	return &tailWriter{max: max, logf: logf}
}

func (w *tailWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tail = append(w.tail, p...)
	if over := len(w.tail) - w.max; over > 0 {
		w.tail = append(w.tail[:0], w.tail[over:]...)
	}
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.logf("versitygw: %s", w.partial[:i])
		w.partial = w.partial[i+1:]
	}
	if len(w.partial) > w.max {
		w.logf("versitygw: %s", w.partial)
		w.partial = nil
	}
	return len(p), nil
}

// String returns the kept output with surrounding space trimmed.
func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.TrimSpace(string(w.tail))
}
