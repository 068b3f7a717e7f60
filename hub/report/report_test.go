package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/schema"
)

var (
	secret, _ = anon.GenerateSecret(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	salt      = []byte("a test salt of 32 bytes, fixed..")
	t0        = time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
)

// world is a store with submissions made directly, without the intake.
type world struct {
	t   *testing.T
	st  *store.Store
	seq map[string]uint64
	n   int
}

func newWorld(t *testing.T) *world {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &world{t: t, st: st, seq: map[string]uint64{}}
}

// submit stores an accepted submission and returns its id.
func (w *world) submit(partner, dataset, period, class string, withdraw bool, recs ...any) string {
	w.t.Helper()
	w.seq[partner]++
	w.n++
	id := fmt.Sprintf("s%03d", w.n)
	sub := &store.Submission{Partner: partner, ID: id, Sequence: w.seq[partner], ManifestHash: fmt.Sprintf("%064d", w.n),
		Manifest: []byte("{}"), KeyID: "k", Dataset: dataset, Period: period, Schema: dataset + "/1",
		Classification: class, Created: t0.Add(time.Duration(w.n) * time.Hour), Status: submission.Accepted,
		Records: int64(len(recs)), Decided: t0, Withdraw: withdraw}
	tx, err := w.st.Begin(context.Background(), sub)
	if err != nil {
		w.t.Fatal(err)
	}
	for i, r := range recs {
		b, _ := json.Marshal(r)
		if err := tx.AddRecord(context.Background(), int64(i+1), b); err != nil {
			w.t.Fatal(err)
		}
	}
	if err := tx.Commit(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	return id
}

func victim(p anon.Person, status, form string) schema.Victim {
	age := "adult"
	return schema.Victim{Status: status, Sex: p.Sex, BirthYear: p.BirthDate.Y, AgeGroup: age, Citizenship: p.Citizenship,
		Exploitation: []string{form}, LinkageKeys: anon.Keys(secret, p), Bloom: anon.Bloom(secret, p)}
}

var (
	jana   = anon.Person{Surname: "Nováková", Given: "Jana", BirthDate: anon.Date{Y: 1990, M: 3, D: 14}, Sex: "F", Citizenship: "CZ"}
	olena  = anon.Person{Surname: "Kovalenko", Given: "Olena", BirthDate: anon.Date{Y: 1985, M: 11, D: 2}, Sex: "F", Citizenship: "UA"}
	minh   = anon.Person{Surname: "Nguyen", Given: "Van Minh", BirthDate: anon.Date{Y: 1979, M: 6, D: 30}, Sex: "M", Citizenship: "VN"}
	pavel  = anon.Person{Surname: "Dvořák", Given: "Pavel", BirthDate: anon.Date{Y: 1970, M: 1, D: 5}, Sex: "M", Citizenship: "CZ"}
	pavel2 = anon.Person{Surname: "Dvořák", Given: "Pavel", BirthDate: anon.Date{Y: 1970, M: 9, D: 22}, Sex: "M", Citizenship: "CZ"}
)

func config(w *world) report.Config {
	return report.Config{Store: w.st, Salt: salt, Now: func() time.Time { return t0 },
		Categories: map[string]string{"ngo-a": "ngo", "police-cz": "police", "vap-moi": "vap", "bis": "intelligence", "nsz": "prosecution"}}
}

func run(t *testing.T, cfg report.Config) (*store.Merge, bool) {
	t.Helper()
	m, made, err := report.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m, made
}

func summary(t *testing.T, m *store.Merge, scope string) report.ScopeSummary {
	t.Helper()
	s, err := report.ReadSummary(m)
	if err != nil {
		t.Fatal(err)
	}
	return s.Scopes[scope]
}

// personOf returns the person each record was linked to in a scope.
func personOf(t *testing.T, w *world, version int64, scope string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := w.st.Assignments(context.Background(), version, scope, func(a store.Assignment) error {
		out[fmt.Sprintf("%s/%s/%d", a.Partner, a.Submission, a.N)] = a.Person
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMergeLinksAcrossSourcesAndYears(t *testing.T) {
	w := newWorld(t)
	// Jana in three sources with different spellings; Olena in two years;
	// two different Pavel Dvořáks born in the same year.
	janaNGO := jana
	janaNGO.Surname, janaNGO.Given = "NOVAKOVA", "jana"
	janaVAP := jana
	janaVAP.Surname = "Novakova" // no diacritics
	ngo := w.submit("ngo-a", "victims", "2024", "standard", false,
		victim(janaNGO, "possible", "sexual"), victim(pavel, "possible", "labour"))
	police := w.submit("police-cz", "victims", "2024", "standard", false,
		victim(jana, "actual", "sexual"), victim(olena, "actual", "labour"), victim(pavel2, "actual", "labour"))
	vap := w.submit("vap-moi", "victims", "2024", "standard", false, victim(janaVAP, "actual", "sexual"))
	police25 := w.submit("police-cz", "victims", "2025", "standard", false, victim(olena, "actual", "labour"), victim(minh, "actual", "labour"))

	m, made := run(t, config(w))
	if !made || m.Version != 1 {
		t.Fatalf("version %d, made %v", m.Version, made)
	}
	p := personOf(t, w, m.Version, report.ScopeStandard)
	same := func(a, b string) bool { return p[a] != "" && p[a] == p[b] }
	if !same("ngo-a/"+ngo+"/1", "police-cz/"+police+"/1") || !same("police-cz/"+police+"/1", "vap-moi/"+vap+"/1") {
		t.Errorf("Jana's three records are not one person: %v", p)
	}
	if !same("police-cz/"+police+"/2", "police-cz/"+police25+"/1") {
		t.Errorf("Olena reported in 2024 and 2025 is not one person")
	}
	if same("ngo-a/"+ngo+"/2", "police-cz/"+police+"/3") {
		t.Errorf("two Pavel Dvořáks born in 1970 on different days were linked")
	}
	s := summary(t, m, report.ScopeStandard)
	if s.Records != 8 || s.Persons != 5 {
		t.Errorf("records %d persons %d, want 8 and 5", s.Records, s.Persons)
	}
	// Table totals agree with the records: the de-duplicated table of a
	// period adds up to the persons with a record in it, and each
	// source's table to its records (no source reports a person twice).
	ts, err := report.ReadTables(m, report.ScopeStandard)
	if err != nil {
		t.Fatal(err)
	}
	bySex, _ := report.FindTable(ts, "persons_by_sex")
	if got := total(bySex, merge.AllPeriods); got != 5 {
		t.Errorf("persons_by_sex pooled total %d, want 5", got)
	}
	if got := total(bySex, "2024"); got != 5-1 {
		t.Errorf("persons_by_sex 2024 total %d, want 4", got)
	}
	reported, _ := report.FindTable(ts, "reported_by_sex")
	if got := total(reported, "2024"); got != 6 {
		t.Errorf("reported_by_sex 2024 total %d, want the 6 records of 2024", got)
	}
	overlap, _ := report.FindTable(ts, "overlap")
	if got := total(overlap, merge.AllPeriods); got != 5 {
		t.Errorf("overlap pooled total %d, want 5", got)
	}

	// Nothing changed: no new version.
	if m2, made := run(t, config(w)); made || m2.Version != 1 {
		t.Errorf("a run with the same inputs made version %d", m2.Version)
	}
	if err := report.Verify(context.Background(), config(w), 1); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func total(t merge.Table, period string) int {
	n := 0
	for _, r := range t.Rows {
		if r.Keys[0] == period {
			n += r.Count
		}
	}
	return n
}

func TestSupersedeAndWithdraw(t *testing.T) {
	w := newWorld(t)
	w.submit("police-cz", "victims", "2024", "standard", false, victim(jana, "actual", "sexual"), victim(olena, "actual", "labour"))
	ngo1 := w.submit("ngo-a", "victims", "2024", "standard", false, victim(jana, "possible", "sexual"), victim(minh, "possible", "labour"))
	v1, _ := run(t, config(w))
	ids1 := personOf(t, w, v1.Version, report.ScopeStandard)

	// The NGO resubmits 2024: Minh was a mistake, Pavel is new.
	ngo2 := w.submit("ngo-a", "victims", "2024", "standard", false, victim(jana, "possible", "sexual"), victim(pavel, "possible", "labour"))
	v2, made := run(t, config(w))
	if !made || v2.Version != 2 || v2.Previous != 1 {
		t.Fatalf("after a resubmission: version %d previous %d made %v", v2.Version, v2.Previous, made)
	}
	if hasInput(v2, ngo1) || !hasInput(v2, ngo2) {
		t.Errorf("version 2 inputs %v: want the resubmission in place of the first", v2.Inputs)
	}
	ids2 := personOf(t, w, v2.Version, report.ScopeStandard)
	if len(ids2) != 4 {
		t.Errorf("version 2 has %d records, want 4", len(ids2))
	}
	// Jana keeps her id across versions.
	var janaPolice string
	for ref := range ids1 {
		if ref[:9] == "police-cz" && ref[len(ref)-2:] == "/1" {
			janaPolice = ref
		}
	}
	if ids1[janaPolice] == "" || ids1[janaPolice] != ids2[janaPolice] {
		t.Errorf("Jana's id changed from %q to %q", ids1[janaPolice], ids2[janaPolice])
	}

	// The NGO withdraws 2024: only the police's records remain.
	w.submit("ngo-a", "victims", "2024", "standard", true)
	v3, _ := run(t, config(w))
	if s := summary(t, v3, report.ScopeStandard); s.Records != 2 || s.Persons != 2 || s.Inputs != 1 {
		t.Errorf("after the withdrawal: %+v, want 1 input, 2 records, 2 persons", s)
	}
	// Earlier versions stay as they were, and reproducible.
	old, err := w.st.GetMerge(context.Background(), 1)
	if err != nil || !hasInput(old, ngo1) {
		t.Fatalf("version 1 after later merges: %v, %v", old, err)
	}
	for v := int64(1); v <= 3; v++ {
		if err := report.Verify(context.Background(), config(w), v); err != nil {
			t.Errorf("Verify version %d: %v", v, err)
		}
	}
	// A changed configuration is said, not taken for a changed result.
	cfg := config(w)
	cfg.Salt = []byte("another salt of at least 16 bytes")
	if err := report.Verify(context.Background(), cfg, 2); err == nil || errors.Is(err, report.ErrChanged) {
		t.Errorf("Verify with another salt: %v, want a configuration error", err)
	}
}

func hasInput(m *store.Merge, id string) bool {
	for _, in := range m.Inputs {
		if in.Submission == id {
			return true
		}
	}
	return false
}

func TestRestrictedScope(t *testing.T) {
	w := newWorld(t)
	w.submit("ngo-a", "victims", "2024", "standard", false, victim(jana, "possible", "sexual"))
	w.submit("bis", "victims", "2024", "restricted", false, victim(jana, "possible", "sexual"), victim(minh, "possible", "labour"))
	m, _ := run(t, config(w))
	std, res := summary(t, m, report.ScopeStandard), summary(t, m, report.ScopeRestricted)
	if std.Records != 1 || std.Persons != 1 || std.Inputs != 1 {
		t.Errorf("standard scope %+v, want the NGO's record only", std)
	}
	if res.Records != 3 || res.Persons != 2 {
		t.Errorf("restricted scope %+v, want 3 records, 2 persons", res)
	}
	ts, _ := report.ReadTables(m, report.ScopeStandard)
	ov, _ := report.FindTable(ts, "overlap")
	for _, d := range ov.Dims {
		if d == "intelligence" {
			t.Errorf("the standard scope's overlap names the restricted source")
		}
	}
}

func TestCountTables(t *testing.T) {
	w := newWorld(t)
	w.submit("nsz", "proceedings", "2024", "standard", false,
		schema.Proceeding{Year: 2024, Stage: "prosecuted", Sex: "M", Count: 7},
		schema.Proceeding{Year: 2024, Stage: "prosecuted", Sex: "F", Count: 3},
		schema.Proceeding{Year: 2024, Stage: "indicted", Count: 4})
	w.submit("nsz", "proceedings", "2025", "standard", false, schema.Proceeding{Year: 2025, Stage: "prosecuted", Count: 2})
	m, _ := run(t, config(w))
	ts, _ := report.ReadTables(m, report.ScopeStandard)
	st, ok := report.FindTable(ts, "proceedings_by_stage")
	if !ok {
		t.Fatal("no proceedings_by_stage")
	}
	want := map[string]int{"2024 prosecution prosecuted": 10, "2024 prosecution indicted": 4, "2025 prosecution prosecuted": 2,
		"all prosecution prosecuted": 12, "all prosecution indicted": 4}
	got := map[string]int{}
	for _, r := range st.Rows {
		got[fmt.Sprint(r.Keys[0], " ", r.Keys[1], " ", r.Keys[2])] = r.Count
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("proceedings_by_stage %v, want %v", got, want)
	}
	sex, _ := report.FindTable(ts, "proceedings_by_stage_sex")
	if total(sex, "2024") != 14 {
		t.Errorf("proceedings_by_stage_sex 2024 adds up to %d, want 14", total(sex, "2024"))
	}
}

func TestCompleteness(t *testing.T) {
	w := newWorld(t)
	w.submit("police-cz", "victims", "2024", "standard", false, victim(jana, "actual", "sexual"))
	w.submit("ngo-a", "victims", "2024", "standard", false, victim(jana, "actual", "sexual"))
	w.submit("ngo-a", "victims", "2024", "standard", true)
	exp := []report.Expectation{
		{Partner: "police-cz", Category: "police", Datasets: []string{"victims"}},
		{Partner: "ngo-a", Category: "ngo", Datasets: []string{"victims"}},
		{Partner: "vap-moi", Category: "vap", Datasets: []string{"victims"}},
	}
	// 2024 ended on 1 January 2025; t0 is in 2026: everything is late
	// with a 90-day deadline, nothing with a two-year one.
	tab, err := report.Completeness(context.Background(), w.st, exp, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range tab.Rows {
		got[r.Keys[0]+" "+r.Keys[4]] = r.Count
	}
	want := map[string]int{
		"police-cz expected": 1, "police-cz received": 1, "police-cz accepted": 1, "police-cz late": 1, "police-cz withdrawn": 0,
		"ngo-a received": 2, "ngo-a accepted": 2, "ngo-a withdrawn": 1,
		"vap-moi expected": 1, "vap-moi received": 0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
	tab, _ = report.Completeness(context.Background(), w.st, exp, 2*365*24*time.Hour)
	for _, r := range tab.Rows {
		if r.Keys[4] == "late" && r.Count != 0 {
			t.Errorf("%v late with a two-year deadline", r.Keys)
		}
	}
}

// TestDecodedInPlace links two sources that report the same persons, more
// than one decoding batch of them: each record must keep its own
// attributes through the parallel decoding, so record i of one source is
// one person with record i of the other, and with no other record.
func TestDecodedInPlace(t *testing.T) {
	w := newWorld(t)
	const n = 2500
	var recs []any
	for i := range n {
		p := anon.Person{Surname: "Nov" + letters(i), Given: "Jan" + letters(i), BirthDate: anon.Date{Y: 1950 + i/192, M: 1 + i/16%12, D: 13 + i%16},
			Sex: "F", Citizenship: "UA"}
		recs = append(recs, victim(p, "actual", "labour"))
	}
	a := w.submit("ngo-a", report.Victims, "2023", "standard", false, recs...)
	b := w.submit("police-cz", report.Victims, "2023", "standard", false, recs...)
	m, _ := run(t, config(w))
	if s := summary(t, m, report.ScopeStandard); s.Records != 2*n || s.Persons != n {
		t.Fatalf("%d records, %d persons; want %d, %d", s.Records, s.Persons, 2*n, n)
	}
	pers := personOf(t, w, m.Version, report.ScopeStandard)
	for i := 1; i <= n; i++ {
		if x, y := pers[fmt.Sprintf("ngo-a/%s/%d", a, i)], pers[fmt.Sprintf("police-cz/%s/%d", b, i)]; x == "" || x != y {
			t.Fatalf("record %d: persons %q and %q", i, x, y)
		}
	}
}

// TestDamagedRecord: a stored record the merge cannot read stops the
// merge with an error that names it, and no version is made.
func TestDamagedRecord(t *testing.T) {
	w := newWorld(t)
	recs := []any{victim(jana, "actual", "labour"), map[string]any{"status": 5}}
	for range 3000 { // past the first decoding batches
		recs = append(recs, victim(olena, "actual", "labour"))
	}
	recs[2500] = map[string]any{"linkage_keys": "a1_x"} // damaged too, in a later batch
	id := w.submit("ngo-a", report.Victims, "2023", "standard", false, recs...)
	for range 5 { // the earliest damaged record, whichever batch fails first
		_, made, err := report.Run(context.Background(), config(w))
		if err == nil || made || !strings.Contains(err.Error(), "ngo-a/"+id+"/2:") {
			t.Fatalf("made %v, error %v; want an error naming ngo-a/%s/2", made, err, id)
		}
	}
	if _, err := w.st.GetMerge(context.Background(), 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a version was stored: %v", err)
	}
}

// letters spells i in letters, as names hold no digits, of which no
// transliteration makes another (as it does w and v, or j and i).
func letters(i int) string {
	const alphabet = "bdgklmnprt"
	s := ""
	for ; i > 0 || s == ""; i /= len(alphabet) {
		s += alphabet[i%len(alphabet) : i%len(alphabet)+1]
	}
	return s
}
