package agent

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/thbx/thbx/submission/schema"
)

const header = "status,sex,age_group,citizenship"

// check writes content to a file and runs CheckFile on it.
func check(t *testing.T, content string) (int, *ProblemsError) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "victims.csv")
	writeFile(t, path, content, 0o600)
	n, err := CheckFile(path)
	if err == nil {
		return n, nil
	}
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("CheckFile: %v, want a *ProblemsError", err)
	}
	return n, pe
}

// records reads every valid record of content.
func records(t *testing.T, content string) ([]schema.Victim, error) {
	t.Helper()
	vr, err := newVictimReader(strings.NewReader(content))
	if err != nil {
		return nil, err
	}
	var out []schema.Victim
	for {
		v, ok, err := vr.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return out, vr.result()
		}
		out = append(out, v)
	}
}

func wantProblems(t *testing.T, pe *ProblemsError, want ...Problem) {
	t.Helper()
	if pe == nil {
		t.Fatalf("no problems, want %v", want)
	}
	if !reflect.DeepEqual(pe.Problems, want) {
		t.Fatalf("problems\n%s\nwant\n%v", pe, want)
	}
}

func TestCheckFileSample(t *testing.T) {
	n, err := CheckFile("../testdata/victims-small.csv")
	if err != nil || n != 3 {
		t.Fatalf("CheckFile = %d, %v; want 3 records", n, err)
	}
	if _, err := CheckFile(filepath.Join(t.TempDir(), "none.csv")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestDelimiterDetection(t *testing.T) {
	rows := [][]string{
		{"status_source", "status", "sex", "age_group", "citizenship", "exploitation"},
		{"klientka", "actual", "F", "adult", "UA", "labour|begging"},
		{"presumed", "possible", "M", "child", "CZ", ""},
	}
	for name, sep := range map[string]string{"comma": ",", "semicolon": ";", "tab": "\t"} {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			for _, r := range rows {
				b.WriteString(strings.Join(r, sep) + "\r\n")
			}
			if n, pe := check(t, b.String()); pe != nil || n != 2 {
				t.Fatalf("%d records, %v", n, pe)
			}
			if d := detectDelimiter([]byte(b.String())); d != rune(sep[0]) {
				t.Fatalf("detected %q", d)
			}
		})
	}
	// Commas inside the values of a semicolon file do not fool it: only
	// the header line counts.
	n, pe := check(t, "status_source;status;sex;age_group;citizenship\n\"a, b, c, d, e, f\";actual;F;adult;UA\n")
	if pe != nil || n != 1 {
		t.Fatalf("semicolon file with commas in values: %d %v", n, pe)
	}
}

func TestHeaderSpelling(t *testing.T) {
	vs, err := records(t, "\ufeff Status ;SEX; Age_Group ;citizenship\nactual;f;adult;ua\n")
	if err != nil {
		t.Fatal(err)
	}
	want := schema.Victim{Status: "actual", Sex: "F", AgeGroup: "adult", Citizenship: "UA"}
	if len(vs) != 1 || !reflect.DeepEqual(vs[0], want) {
		t.Fatalf("records %+v", vs)
	}
}

func TestByteOrderMark(t *testing.T) {
	for name, content := range map[string]string{
		"comma":     "\ufeff" + header + "\nactual,F,adult,UA\n",
		"semicolon": "\ufeffstatus;sex;age_group;citizenship\nactual;F;adult;UA\n",
	} {
		t.Run(name, func(t *testing.T) {
			if n, pe := check(t, content); pe != nil || n != 1 {
				t.Fatalf("%d records, %v", n, pe)
			}
		})
	}
}

func TestEmptyFile(t *testing.T) {
	for name, content := range map[string]string{
		"empty":       "",
		"blank lines": "\n  \r\n\t\n",
		"only a BOM":  "\ufeff",
		"BOM, blank":  "\ufeff\n\n",
	} {
		t.Run(name, func(t *testing.T) {
			n, pe := check(t, content)
			wantProblems(t, pe, Problem{Row: 1, Reason: "the file is empty"})
			if n != 0 {
				t.Fatalf("%d records", n)
			}
			if pe.Error() != "the file has 1 problem(s); nothing was sealed or sent\nrow 1: the file is empty" {
				t.Fatalf("message %q", pe.Error())
			}
		})
	}
}

func TestHeaderProblems(t *testing.T) {
	known := "not a victims/1 column; known: " + strings.Join(schema.Fields("victims/1"), ", ")
	t.Run("missing required", func(t *testing.T) {
		_, pe := check(t, "status,sex\nactual,F\n")
		wantProblems(t, pe,
			Problem{Row: 1, Column: "age_group", Reason: "required column is missing"},
			Problem{Row: 1, Column: "citizenship", Reason: "required column is missing"})
	})
	t.Run("unknown", func(t *testing.T) {
		_, pe := check(t, header+",name,Birth Year\nactual,F,adult,UA,Jana,1990\n")
		wantProblems(t, pe,
			Problem{Row: 1, Column: "name", Reason: known},
			Problem{Row: 1, Column: "birth year", Reason: known})
	})
	t.Run("unknown and missing", func(t *testing.T) {
		_, pe := check(t, "status,sex,age_group,nationality\nactual,F,adult,UA\n")
		wantProblems(t, pe,
			Problem{Row: 1, Column: "nationality", Reason: known},
			Problem{Row: 1, Column: "citizenship", Reason: "required column is missing"})
	})
}

// Free text is refused when it starts like a formula; a coded field that
// does would be no valid code anyway, and is refused as such.
func TestFormulaCells(t *testing.T) {
	const reason = "looks like a spreadsheet formula; remove it"
	n, pe := check(t, "status_source,status,sex,age_group,citizenship,birth_year\n"+
		"\"=HYPERLINK(\"\"x\"\")\",actual,F,adult,UA,\n"+
		"ok,+cmd,F,adult,UA,\n"+
		"@SUM(A1),actual,F,adult,-2+3,\n"+
		" -cmd,actual,F,adult,UA,\n"+
		"fine,actual,F,adult,UA,-1990\n"+ // a number is no formula; the schema then refuses the year
		"fine,actual,F,adult,UA,1990\n")
	wantProblems(t, pe,
		Problem{Row: 2, Column: "status_source", Value: `=HYPERLINK("x")`, Reason: reason},
		Problem{Row: 3, Column: "status", Value: "+cmd", Reason: "is not one of possible, actual, not_victim"},
		Problem{Row: 4, Column: "status_source", Value: "@SUM(A1)", Reason: reason},
		Problem{Row: 5, Column: "status_source", Value: "-cmd", Reason: reason},
		Problem{Row: 6, Column: "birth_year", Value: "-1990", Reason: "is not between 1900 and 2100"},
	)
	if n != 1 {
		t.Fatalf("%d valid records, want 1", n)
	}
}

func TestBrokenQuotes(t *testing.T) {
	// The row where reading failed; rows after it are not read.
	n, pe := check(t, header+"\nactual,F,adult,UA\nactual,F,\"ad\"ult,UA\nactual,F,adult,UA\nvictim,F,adult,UA\n")
	wantProblems(t, pe, Problem{Row: 3, Reason: `extraneous or missing " in quoted-field (at character 13)`})
	if n != 1 {
		t.Fatalf("%d records", n)
	}
	// A quote that never closes: the row where the field started, not
	// the end of the file.
	_, pe = check(t, header+"\nactual,F,adult,UA\nactual,F,\"adult,UA\nactual,F,adult,UA\nactual,F,adult,UA\n")
	if pe == nil || len(pe.Problems) != 1 || pe.Problems[0].Row != 3 || !strings.Contains(pe.Problems[0].Reason, `extraneous or missing "`) {
		t.Fatalf("unclosed quote: %v", pe)
	}
}

func TestWrongFieldCountSkipsTheRowOnly(t *testing.T) {
	n, pe := check(t, header+"\nactual,F,adult\nactual,F,adult,UA\nactual,F,adult,UA,extra\nvictim,F,adult,UA\n")
	wantProblems(t, pe,
		Problem{Row: 2, Reason: "wrong number of fields (at character 1)"},
		Problem{Row: 4, Reason: "wrong number of fields (at character 1)"},
		Problem{Row: 5, Column: "status", Value: "victim", Reason: "is not one of possible, actual, not_victim"})
	if n != 1 {
		t.Fatalf("%d records", n)
	}
}

func TestManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(header + "\n")
	for range 60 {
		b.WriteString("victim,F,adult,UA\n")
	}
	b.WriteString("actual,F,adult,UA\n")
	n, pe := check(t, b.String())
	if pe == nil || len(pe.Problems) != maxProblems || pe.More != 10 {
		t.Fatalf("problems %d, more %d", len(pe.Problems), pe.More)
	}
	if pe.Problems[0].Row != 2 || pe.Problems[49].Row != 51 {
		t.Fatalf("rows %d … %d", pe.Problems[0].Row, pe.Problems[49].Row)
	}
	msg := pe.Error()
	if !strings.HasPrefix(msg, "the file has 60 problem(s); nothing was sealed or sent\n") || !strings.HasSuffix(msg, "\n… and 10 more") {
		t.Fatalf("message %q", msg)
	}
	if n != 1 {
		t.Fatalf("%d records", n)
	}
}

func TestBirthYear(t *testing.T) {
	_, pe := check(t, "status,sex,age_group,citizenship,birth_year\n"+
		"actual,F,adult,UA,19x8\n"+
		"actual,F,adult,UA,1998.0\n"+
		"actual,F,adult,UA,1800\n"+
		"actual,F,adult,UA,\n"+
		"actual,F,adult,UA, 1998 \n")
	wantProblems(t, pe,
		Problem{Row: 2, Column: "birth_year", Value: "19x8", Reason: "not a year"},
		Problem{Row: 3, Column: "birth_year", Value: "1998.0", Reason: "not a year"},
		Problem{Row: 4, Column: "birth_year", Value: "1800", Reason: "is not between 1900 and 2100"})
	vs, _ := records(t, "status,sex,age_group,citizenship,birth_year\nactual,F,adult,UA, 1998 \n")
	if len(vs) != 1 || vs[0].BirthYear != 1998 {
		t.Fatalf("records %+v", vs)
	}
}

func TestListFields(t *testing.T) {
	k1, k2 := strings.Repeat("a", 16), strings.Repeat("B", 20)
	vs, err := records(t, "status,sex,age_group,citizenship,exploitation,linkage_keys\n"+
		"actual,F,adult,UA,labour| begging |,"+k1+"|"+k2+"\n"+
		"actual,F,adult,UA,sexual,\n"+
		"actual,F,adult,UA,,\n")
	if err != nil {
		t.Fatal(err)
	}
	want := [][2][]string{{{"labour", "begging"}, {k1, k2}}, {{"sexual"}, nil}, {nil, nil}}
	for i, v := range vs {
		if got := [2][]string{v.Exploitation, v.LinkageKeys}; !reflect.DeepEqual(got, want[i]) {
			t.Errorf("row %d: %q, want %q", i+2, got, want[i])
		}
	}
	_, pe := check(t, "status,sex,age_group,citizenship,exploitation,linkage_keys\nactual,F,adult,UA,labour|slavery,short\n")
	wantProblems(t, pe,
		Problem{Row: 2, Column: "exploitation", Value: "slavery", Reason: "is not one of " + strings.Join(schema.Exploitation, ", ")},
		// The value is not repeated: it may be raw personal data.
		Problem{Row: 2, Column: "linkage_keys", Reason: "a value of 5 characters is not 16-128 base64url characters"})
}

// A linkage key is base64url: one in 64 begins with "-", which is no
// spreadsheet formula.
func TestLinkageKeyStartingWithHyphen(t *testing.T) {
	key := "-" + strings.Repeat("A", 21)
	vs, err := records(t, "status,sex,age_group,citizenship,linkage_keys\nactual,F,adult,UA,"+key+"\n")
	if err != nil {
		var pe *ProblemsError
		if errors.As(err, &pe) && len(pe.Problems) == 1 && strings.Contains(pe.Problems[0].Reason, "formula") {
			t.Fatalf("a valid linkage key starting with '-' is refused as a spreadsheet formula: %v", err)
		}
		t.Fatal(err)
	}
	if len(vs) != 1 || !reflect.DeepEqual(vs[0].LinkageKeys, []string{key}) {
		t.Fatalf("records %+v", vs)
	}
}

// Rows are lines of the file, as a spreadsheet or editor shows them
// (1 is the header), also after a value that spans lines or a blank line.
func TestRowNumbersAreLines(t *testing.T) {
	_, pe := check(t, "status_source,status,sex,age_group,citizenship\n"+
		"\"two\nlines\",actual,F,adult,UA\n"+ // lines 2-3
		"x,victim,F,adult,UA\n") // line 4
	if pe == nil || len(pe.Problems) != 1 {
		t.Fatalf("problems %v", pe)
	}
	if pe.Problems[0].Row != 4 {
		t.Fatalf("row %d reported for line 4, after a multi-line value", pe.Problems[0].Row)
	}
}

func TestRowNumbersCountBlankLines(t *testing.T) {
	_, pe := check(t, header+"\nactual,F,adult,UA\n\nvictim,F,adult,UA\n")
	if pe == nil || len(pe.Problems) != 1 {
		t.Fatalf("problems %v", pe)
	}
	if pe.Problems[0].Row != 4 {
		t.Fatalf("row %d reported for line 4, after a blank line", pe.Problems[0].Row)
	}
}

func TestCheckFileCountsValidRecords(t *testing.T) {
	n, pe := check(t, header+"\nactual,F,adult,UA\nvictim,X,adult,UA\npossible,M,child,CZ\nnot_victim,U,unknown,XX\n")
	wantProblems(t, pe,
		Problem{Row: 3, Column: "status", Value: "victim", Reason: "is not one of possible, actual, not_victim"},
		Problem{Row: 3, Column: "sex", Value: "X", Reason: "is not one of F, M, U"})
	if n != 3 {
		t.Fatalf("%d records, want 3", n)
	}
	if n, pe := check(t, header+"\n"); pe != nil || n != 0 {
		t.Fatalf("header only: %d %v", n, pe)
	}
}

func TestProblemString(t *testing.T) {
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{Row: 1, Reason: "the file is empty"}, "row 1: the file is empty"},
		{Problem{Row: 1, Column: "name", Reason: "x"}, "row 1, column name: x"},
		{Problem{Row: 7, Column: "status", Value: `a "b"`, Reason: "y"}, `row 7, column status, value "a \"b\"": y`},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.p, got, tt.want)
		}
	}
	e := &ProblemsError{Problems: []Problem{{Row: 2, Reason: "a"}}, More: 3}
	if got, want := e.Error(), "the file has 4 problem(s); nothing was sealed or sent\nrow 2: a\n… and 3 more"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}

// A column named twice is ambiguous: which of the two holds the status?
func TestRepeatedColumn(t *testing.T) {
	_, pe := check(t, "status,sex,age_group,citizenship,Status\nactual,F,adult,UA,possible\n")
	if pe == nil {
		t.Fatal("a column named twice in the header is accepted")
	}
	if len(pe.Problems) != 1 || pe.Problems[0].Row != 1 || pe.Problems[0].Column != "status" {
		t.Fatalf("problems %v", pe)
	}
}

// The payload is UTF-8. A file saved in a legacy code page (Windows-1250
// for Czech) must be refused, not sealed with its letters replaced.
func TestNotUTF8(t *testing.T) {
	// "identifikovaná oběť" in Windows-1250.
	n, pe := check(t, "status_source,status,sex,age_group,citizenship\nidentifikovan\xe1 ob\xec\x9d,actual,F,adult,UA\n")
	if pe == nil {
		t.Fatalf("a Windows-1250 file passes the check (%d records)", n)
	}
	if len(pe.Problems) != 1 || pe.Problems[0].Row != 2 || !strings.Contains(pe.Problems[0].Reason, "UTF-8") {
		t.Fatalf("problems %v", pe)
	}
}
