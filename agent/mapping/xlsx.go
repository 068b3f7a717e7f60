package mapping

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxSource reads a sheet with excelize's row iterator, which streams
// the sheet's XML (a large sheet is unzipped to a temporary file, not to
// memory). Cells come formatted as the sheet shows them: a date cell as
// its number format writes it (d.m.yyyy), a number as its digits.
type xlsxSource struct {
	f      *excelize.File
	rows   *excelize.Rows
	sheet  string
	header []string
	hdrRow int
	row    int
}

// openXLSX opens a workbook from a file, or from r when path is empty
// (read into memory: for small inputs and tests).
func openXLSX(path string, r io.Reader, src Source) (*xlsxSource, error) {
	var f *excelize.File
	var err error
	if path != "" {
		f, err = excelize.OpenFile(path)
	} else {
		f, err = excelize.OpenReader(r)
	}
	if err != nil {
		return nil, &stopError{reason: fmt.Sprintf("not a readable XLSX workbook (%v); an old .xls file must be saved as .xlsx first", err)}
	}
	s := &xlsxSource{f: f}
	if err := s.start(src); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func (s *xlsxSource) start(src Source) error {
	sheets := s.f.GetSheetList()
	sheet := src.Sheet
	switch {
	case len(sheets) == 0:
		return errEmpty
	case sheet == "":
		sheet = sheets[0]
	default:
		found := false
		for _, name := range sheets {
			if name == sheet {
				found = true
			}
		}
		if !found {
			return &stopError{reason: fmt.Sprintf("the workbook has no sheet %q; its sheets: %s", sheet, strings.Join(sheets, ", "))}
		}
	}
	s.sheet = sheet
	rows, err := s.f.Rows(sheet)
	if err != nil {
		return err
	}
	s.rows = rows
	headerRow := max(src.HeaderRow, 1)
	for s.rows.Next() {
		s.row++
		cells, err := s.rows.Columns()
		if err != nil {
			return err
		}
		if s.row < headerRow || len(cells) == 0 {
			continue // the header is the first row with cells from header_row on
		}
		s.hdrRow = s.row
		for _, h := range cells {
			s.header = append(s.header, strings.TrimSpace(h))
		}
		return nil
	}
	if err := s.rows.Error(); err != nil {
		return err
	}
	if s.row == 0 {
		return errEmpty
	}
	return &stopError{reason: fmt.Sprintf("the sheet %q has no header row", sheet)}
}

func (s *xlsxSource) columns() []string { return s.header }
func (s *xlsxSource) headerRow() int    { return s.hdrRow }

func (s *xlsxSource) next() (int, []string, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return 0, nil, err
		}
		return 0, nil, io.EOF
	}
	s.row++
	cells, err := s.rows.Columns()
	if err != nil {
		return s.row, nil, &stopError{row: s.row, reason: fmt.Sprintf("cannot read the row: %v", err)}
	}
	return s.row, cells, nil
}

func (s *xlsxSource) close() error {
	var err error
	if s.rows != nil {
		err = s.rows.Close()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}
