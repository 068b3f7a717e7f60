package audit

import (
	"bufio"
	"errors"
	"io"
)

var (
	errTorn    = errors.New("the last line has no newline")
	errTooLong = errors.New("a line is longer than the limit")
)

// lineReader reads a log line by line in memory bounded by maxLine,
// whatever the input.
type lineReader struct {
	br  *bufio.Reader
	off int64 // where the next line starts
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, maxLine)}
}

// next returns the next line without its newline (valid until the next
// call) and the offset at which it starts. At the end it returns io.EOF;
// for bytes after the last newline, errTorn; for a line longer than
// maxLine that ends, errTooLong (a longer line that does not end is
// errTorn).
func (lr *lineReader) next() (line []byte, start int64, err error) {
	start = lr.off
	line, err = lr.br.ReadSlice('\n')
	lr.off += int64(len(line))
	switch {
	case err == nil:
		return line[:len(line)-1], start, nil
	case err == io.EOF && len(line) == 0:
		return nil, start, io.EOF
	case err == io.EOF:
		return nil, start, errTorn
	case !errors.Is(err, bufio.ErrBufferFull):
		return nil, start, err
	}
	// Skip the rest of an over-long line, to tell a torn one from one
	// that ends.
	for {
		chunk, err := lr.br.ReadSlice('\n')
		lr.off += int64(len(chunk))
		switch {
		case err == nil:
			return nil, start, errTooLong
		case err == io.EOF:
			return nil, start, errTorn
		case !errors.Is(err, bufio.ErrBufferFull):
			return nil, start, err
		}
	}
}
