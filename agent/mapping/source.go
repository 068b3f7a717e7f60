package mapping

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// rowSource reads a file row by row.
type rowSource interface {
	// columns returns the column names known so far: the header, or for
	// JSON the keys seen up to the last row read.
	columns() []string
	// headerRow is the row the header was on (0 when the format has
	// none).
	headerRow() int
	// next returns the next row's number and cells, indexed like
	// columns(); io.EOF after the last. A *rowError is a problem with
	// that row only; a *stopError ends the reading. The cells are valid
	// until the next call.
	next() (row int, cells []string, err error)
	close() error
}

// rowError is a problem with one row; reading goes on.
type rowError struct {
	row    int
	column string
	reason string
}

func (e *rowError) Error() string { return fmt.Sprintf("row %d: %s", e.row, e.reason) }

// stopError is a problem after which the rest of the file cannot be read
// reliably.
type stopError struct {
	row    int
	reason string
}

func (e *stopError) Error() string { return fmt.Sprintf("row %d: %s", e.row, e.reason) }

// textInfo says how a text file was decoded.
type textInfo struct {
	encoding string // what was used: utf-8 or windows-1250
	// utf8Head is true when the file's first bytes are valid UTF-8 with
	// letters beyond ASCII: a file declared Windows-1250 that is not.
	utf8Head bool
	// badUTF8 is true when the first bytes are not UTF-8 at all.
	badUTF8 bool
	hadBOM  bool
}

// hint says what to change when the header does not hold the mapping's
// columns, if the encoding may be why.
func (ti textInfo) hint() string {
	switch {
	case ti.encoding == "windows-1250" && ti.utf8Head:
		return "; the file looks like UTF-8 but is read as Windows-1250: set source encoding: utf-8 (or auto) in the mapping"
	case ti.encoding == "utf-8" && ti.badUTF8:
		return "; if the names look garbled, the file may be in Windows-1250: set source encoding: windows-1250 (or auto)"
	}
	return ""
}

const headSize = 64 << 10

var bom = []byte("\xef\xbb\xbf")

// errEmpty is the problem of a file with nothing in it.
var errEmpty = &stopError{reason: "the file is empty"}

// decodeText wraps r to yield UTF-8 text as the mapping's encoding says,
// or as detected: a byte-order mark means UTF-8, so does a start that is
// valid UTF-8, anything else is Windows-1250 (the Czech office default).
// It returns the buffered head of the file (without any BOM) for format
// detection.
func decodeText(r io.Reader, encoding string) (io.Reader, []byte, textInfo, error) {
	br := bufio.NewReaderSize(r, headSize)
	head, err := br.Peek(headSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, nil, textInfo{}, err
	}
	hasBOM := bytes.HasPrefix(head, bom)
	if hasBOM {
		br.Discard(len(bom))
		head = head[len(bom):]
	}
	ti := textInfo{hadBOM: hasBOM}
	ti.utf8Head = validUTF8Head(head) && !ascii(head)
	ti.badUTF8 = !validUTF8Head(head)
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, nil, ti, errEmpty
	}
	switch encoding {
	case "utf-8", "utf-8-bom":
		ti.encoding = "utf-8"
	case "windows-1250":
		ti.encoding = "windows-1250"
		if hasBOM {
			ti.utf8Head = true
		}
	default:
		ti.encoding = "windows-1250"
		if hasBOM || validUTF8Head(head) {
			ti.encoding = "utf-8"
		}
	}
	if ti.encoding == "windows-1250" {
		dec := charmap.Windows1250.NewDecoder()
		decoded, _, err := transform.Bytes(dec, head)
		if err != nil {
			return nil, nil, ti, err
		}
		return transform.NewReader(br, charmap.Windows1250.NewDecoder()), decoded, ti, nil
	}
	return br, head, ti, nil
}

// validUTF8Head reports whether head is valid UTF-8, allowing a rune cut
// at its end by the buffer.
func validUTF8Head(head []byte) bool {
	if utf8.Valid(head) {
		return true
	}
	for cut := 1; cut <= 3 && cut < len(head); cut++ {
		if utf8.Valid(head[:len(head)-cut]) && !utf8.FullRune(head[len(head)-cut:]) {
			return true
		}
	}
	return false
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
