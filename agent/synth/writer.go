package synth

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Row values a partner's builder may use. CSV writes them as text, XLSX
// as cells (time.Time as a date cell), JSON as values.
//
//	string, int  as they are
//	nil          empty cell, JSON null
//	absent       empty cell, key left out of the JSON object
//	time.Time    a date
//	[]string     joined with "; " in CSV and XLSX, a JSON array
type absentValue struct{}

var absent = absentValue{}

// fileSpec is how a partner writes its files.
type fileSpec struct {
	format    Format
	encoding  Encoding
	delimiter rune
	crlf      bool
	sheet     string // XLSX sheet name; %d is the year
	dateFmt   string // XLSX date cell format
	creator   string // XLSX document author
}

// sink writes one file's records as they come.
type sink interface {
	writeRow(vals []any) error
	close() error
}

func openSink(path string, fs fileSpec, header []string, year int) (sink, error) {
	switch fs.format {
	case CSV:
		return openCSV(path, fs, header)
	case XLSX:
		return openXLSX(path, fs, header, year)
	case JSON, JSONLines:
		return openJSON(path, fs, header)
	}
	return nil, fmt.Errorf("format %q not supported", fs.format)
}

type csvSink struct {
	f   *os.File
	bw  *bufio.Writer
	enc io.WriteCloser // Windows-1250 encoder, or nil
	w   *csv.Writer
	fit func(string) string
	rec []string
}

func openCSV(path string, fs fileSpec, header []string) (*csvSink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s := &csvSink{f: f, bw: bufio.NewWriterSize(f, 64<<10), fit: func(s string) string { return s }}
	var out io.Writer = s.bw
	switch fs.encoding {
	case UTF8BOM:
		s.bw.WriteString("\uFEFF")
	case Windows1250:
		s.enc = transform.NewWriter(s.bw, charmap.Windows1250.NewEncoder())
		out = s.enc
		s.fit = fitWindows1250
	}
	s.w = csv.NewWriter(out)
	s.w.Comma = fs.delimiter
	s.w.UseCRLF = fs.crlf
	if err := s.write(header); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func (s *csvSink) write(rec []string) error {
	for i := range rec {
		rec[i] = s.fit(rec[i])
	}
	return s.w.Write(rec)
}

func (s *csvSink) writeRow(vals []any) error {
	s.rec = s.rec[:0]
	for _, v := range vals {
		s.rec = append(s.rec, text(v))
	}
	return s.write(s.rec)
}

func (s *csvSink) close() error {
	s.w.Flush()
	err := s.w.Error()
	if s.enc != nil {
		err = errors.Join(err, s.enc.Close())
	}
	return errors.Join(err, s.bw.Flush(), s.f.Close())
}

// text is a value as CSV text.
func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case time.Time:
		return v.Format("2006-01-02")
	case []string:
		return strings.Join(v, "; ")
	}
	return ""
}

// fitWindows1250 rewrites what Windows-1250 cannot hold the way a Czech
// office's software would: Romanian ș as ş, other letters without their
// diacritics (Nguyễn → Nguyen), anything else as '?'.
func fitWindows1250(s string) string {
	cm := charmap.Windows1250
	fits := func(r rune) bool { _, ok := cm.EncodeRune(r); return ok }
	all := true
	for _, r := range s {
		if !fits(r) {
			all = false
			break
		}
	}
	if all {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if fits(r) {
			b.WriteRune(r)
			continue
		}
		if c := []rune(cedilla(string(r)))[0]; fits(c) {
			b.WriteRune(c)
			continue
		}
		base := false
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) && fits(d) {
				b.WriteRune(d)
				base = true
			}
		}
		if !base {
			b.WriteByte('?')
		}
	}
	return b.String()
}

type xlsxSink struct {
	f         *excelize.File
	sw        *excelize.StreamWriter
	path      string
	row       int
	dateStyle int
	cells     []any
}

func openXLSX(path string, fs fileSpec, header []string, year int) (*xlsxSink, error) {
	f := excelize.NewFile()
	s := &xlsxSink{f: f, path: path, row: 1}
	err := func() error {
		// Fixed dates keep the file byte-identical from run to run.
		stamp := fmt.Sprintf("%d-01-15T09:00:00Z", year+1)
		if err := f.SetDocProps(&excelize.DocProperties{Creator: fs.creator, LastModifiedBy: fs.creator, Created: stamp, Modified: stamp}); err != nil {
			return err
		}
		sheet := fs.sheet
		if strings.Contains(sheet, "%d") {
			sheet = fmt.Sprintf(sheet, year)
		}
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return err
		}
		bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		if err != nil {
			return err
		}
		dateFmt := fs.dateFmt
		s.dateStyle, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
		if err != nil {
			return err
		}
		if s.sw, err = f.NewStreamWriter(sheet); err != nil {
			return err
		}
		if err := s.sw.SetColWidth(1, len(header), 18); err != nil {
			return err
		}
		cells := make([]any, len(header))
		for i, h := range header {
			cells[i] = excelize.Cell{StyleID: bold, Value: h}
		}
		return s.sw.SetRow("A1", cells)
	}()
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func (s *xlsxSink) writeRow(vals []any) error {
	s.row++
	s.cells = s.cells[:0]
	for _, v := range vals {
		switch v := v.(type) {
		case time.Time:
			s.cells = append(s.cells, excelize.Cell{StyleID: s.dateStyle, Value: v})
		case []string:
			s.cells = append(s.cells, strings.Join(v, "; "))
		case absentValue:
			s.cells = append(s.cells, nil)
		default:
			s.cells = append(s.cells, v)
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, s.cells)
}

func (s *xlsxSink) close() error {
	err := s.sw.Flush()
	if err == nil {
		err = s.f.SaveAs(s.path)
	}
	return errors.Join(err, s.f.Close())
}

type jsonSink struct {
	f     *os.File
	bw    *bufio.Writer
	keys  [][]byte
	lines bool
	n     int
	buf   bytes.Buffer
	enc   *json.Encoder
}

func openJSON(path string, fs fileSpec, header []string) (*jsonSink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s := &jsonSink{f: f, bw: bufio.NewWriterSize(f, 64<<10), lines: fs.format == JSONLines}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	for _, h := range header {
		k, err := s.encode(h)
		if err != nil {
			f.Close()
			return nil, err
		}
		s.keys = append(s.keys, append(bytes.Clone(k), ':'))
	}
	return s, nil
}

func (s *jsonSink) encode(v any) ([]byte, error) {
	s.buf.Reset()
	if err := s.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")), nil
}

func (s *jsonSink) writeRow(vals []any) error {
	switch {
	case s.lines:
	case s.n == 0:
		s.bw.WriteString("[\n")
	default:
		s.bw.WriteString(",\n")
	}
	s.n++
	s.bw.WriteByte('{')
	first := true
	for i, v := range vals {
		if _, ok := v.(absentValue); ok {
			continue
		}
		if t, ok := v.(time.Time); ok {
			v = t.Format("2006-01-02")
		}
		b, err := s.encode(v)
		if err != nil {
			return err
		}
		if !first {
			s.bw.WriteByte(',')
		}
		first = false
		s.bw.Write(s.keys[i])
		s.bw.Write(b)
	}
	s.bw.WriteByte('}')
	if s.lines {
		s.bw.WriteByte('\n')
	}
	return nil
}

func (s *jsonSink) close() error {
	if !s.lines {
		if s.n == 0 {
			s.bw.WriteString("[]\n")
		} else {
			s.bw.WriteString("\n]\n")
		}
	}
	return errors.Join(s.bw.Flush(), s.f.Close())
}
