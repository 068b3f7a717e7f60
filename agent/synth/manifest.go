package synth

import "fmt"

// Manifest lists what Generate wrote. Paths are relative to the output
// directory and use forward slashes.
type Manifest struct {
	Seed    uint64   `json:"seed"`
	Years   []int    `json:"years"`
	Scale   float64  `json:"scale"`
	Files   []File   `json:"files"`
	Truth   Truth    `json:"ground_truth"`
	Totals  Totals   `json:"totals"`
	PerYear []Volume `json:"per_year"`
}

// File is one partner file.
type File struct {
	Partner   PartnerKind `json:"partner"`
	Category  Category    `json:"category"`
	Dataset   Dataset     `json:"dataset"`
	Year      int         `json:"year"`
	Path      string      `json:"path"`
	Format    Format      `json:"format"`
	Encoding  Encoding    `json:"encoding,omitempty"` // empty for XLSX
	Delimiter Delimiter   `json:"delimiter,omitempty"`
	Sheet     string      `json:"sheet,omitempty"` // XLSX only
	Records   int         `json:"records"`         // data rows or objects, header excluded
	// PersonLevel is true when each record is about one person and has a
	// line in the ground truth; count files are not.
	PersonLevel bool `json:"person_level"`
}

// Truth names the ground-truth files.
type Truth struct {
	// Records maps each record of a person-level file to its person:
	// partner,file,row,person_id,year,noise; row is the 1-based record
	// number in the file, header not counted (the JSON array element or
	// JSON Lines line for JSON files).
	Records string `json:"records"`
	// Persons is the person table: canonical names, birth date, sex,
	// citizenship, address, forms of exploitation, status and the
	// partners that reported the person.
	Persons string `json:"persons"`
}

// Volume is what a year's person-level files hold, over the selected
// partners.
type Volume struct {
	Year int `json:"year"`
	// Records is the number of person records.
	Records int `json:"records"`
	// Persons is the number of distinct persons in them.
	Persons int `json:"persons"`
	// MultiSource is the number of those persons reported by more than
	// one partner that year.
	MultiSource int `json:"multi_source"`
}

// Totals are over all years.
type Totals struct {
	Records     int `json:"records"`
	Persons     int `json:"persons"`
	MultiSource int `json:"multi_source"` // persons reported by more than one partner, in any years
	CountRows   int `json:"count_rows"`   // rows of the count files
}

// Format is a file format.
type Format string

// File formats.
const (
	CSV       Format = "csv"
	XLSX      Format = "xlsx"
	JSON      Format = "json"  // one array of objects
	JSONLines Format = "jsonl" // one object a line
)

// Encoding is a text encoding.
type Encoding string

// Text encodings.
const (
	UTF8        Encoding = "utf-8"
	UTF8BOM     Encoding = "utf-8-bom"
	Windows1250 Encoding = "windows-1250"
)

// Delimiter is a CSV field delimiter; it encodes in JSON as a
// one-character string.
type Delimiter rune

// MarshalText implements encoding.TextMarshaler.
func (d Delimiter) MarshalText() ([]byte, error) { return []byte(string(rune(d))), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Delimiter) UnmarshalText(b []byte) error {
	rs := []rune(string(b))
	if len(rs) != 1 {
		return fmt.Errorf("delimiter %q is not one character", b)
	}
	*d = Delimiter(rs[0])
	return nil
}
