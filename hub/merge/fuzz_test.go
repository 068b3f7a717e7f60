package merge_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/submission/schema"
)

// fuzzRecords makes up to 40 records of 7 bytes each. Keys come from a
// pool of four values per variant, so that records share them often;
// some keys are of no known variant, some Bloom encodings broken.
//
//	byte 0: partner (bits 0-1), period (2-3), sex (4-5), Bloom (6-7)
//	byte 1: which of the thirteen variants the record has a key of, a
//	        bit a variant, rotating
//	byte 2: which of four values each variant's key has, two bits a
//	        variant, rotating
//	byte 3: birth year (0: unknown)
//	byte 4: citizenship (bits 0-1), age group (2-3), status (4-5), a key
//	        of no known variant (6), an a1 key twice (7)
//	byte 5: region (bits 0-1), form of exploitation (2-4), age band
//	        (5-7, 0: none)
//	byte 6: identification day
func fuzzRecords(data []byte) []merge.Record {
	variants := []string{"a1", "a2", "b1", "c1", "d1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}
	bands := []string{"", "0-8", "9-17", "18-20", "21-23", "30-38", "39-47", "48+"}
	cits := []string{"XX", "CZ", "UA", "VN"}
	groups := []string{"unknown", "child", "adult", "adult"}
	statuses := []string{"possible", "actual", "not_victim", "possible"}
	regions := []string{"", "CZ010", "CZ064", "CZ080"}
	forms := []string{"", "sexual", "labour", "begging", "criminal", "sexual", "labour", "other"}
	var out []merge.Record
	n := map[string]int64{}
	for i := 0; i+7 <= len(data) && len(out) < 40; i += 7 {
		b := data[i : i+7]
		partner, period := fmt.Sprintf("p%d", b[0]&3), fmt.Sprintf("%d", 2020+int(b[0]>>2&3))
		sub := partner + "-" + period
		n[sub]++
		v := schema.Victim{
			Sex: []string{"U", "F", "M", "U"}[b[0]>>4&3], Citizenship: cits[b[4]&3], AgeGroup: groups[b[4]>>2&3],
			Status: statuses[b[4]>>4&3], Region: regions[b[5]&3], AgeBand: bands[b[5]>>5],
			IdentifiedOn: fmt.Sprintf("%s-%02d-%02d", period, 1+int(b[6])%12, 1+int(b[6])%28),
		}
		if b[3] != 0 {
			v.BirthYear = 1950 + int(b[3]%60)
		}
		if f := forms[b[5]>>2&7]; f != "" {
			v.Exploitation = []string{f}
		}
		for j, code := range variants {
			if b[1]&(1<<(j%8)) == 0 && !(j == 8 && b[1]&1 != 0) {
				continue
			}
			val := int(b[2]>>((2*j)%8)) & 3
			raw := []byte(fmt.Sprintf("%s-%d-keykeykey", code, val))
			v.LinkageKeys = append(v.LinkageKeys, code+"_"+base64.RawURLEncoding.EncodeToString(raw))
		}
		if b[4]&64 != 0 {
			v.LinkageKeys = append(v.LinkageKeys, "zz_notavariantatall", "no-underscore-key-at-all")
		}
		if b[4]&128 != 0 && len(v.LinkageKeys) > 0 {
			v.LinkageKeys = append(v.LinkageKeys, v.LinkageKeys[0])
		}
		switch b[0] >> 6 {
		case 1, 2: // one of four encodings
			var raw [128]byte
			for k := range raw {
				raw[k] = byte(k*int(b[2]&3+1)) ^ b[2]&0xC0
			}
			v.Bloom = base64.RawURLEncoding.EncodeToString(raw[:])
		case 3:
			v.Bloom = "not a Bloom encoding"
		}
		out = append(out, merge.Record{Ref: merge.RecordRef{Partner: partner, Submission: sub, N: n[sub]},
			Category: []string{"police", "ngo", "ngo", "iom"}[b[0]&3], Period: period, Victim: merge.VictimOf(&v)})
	}
	return out
}

// FuzzLink links small random record sets and checks what Link
// promises: every record in exactly one person; ids unique, sorted and
// the same whatever the order of records; one explained link fewer than
// records per person; two records of one submission joined only through
// strong keys; tables that add up.
func FuzzLink(f *testing.F) {
	// Seeds: nothing; one record; three records sharing an a1 key;
	// records sharing only weak keys in one submission and across two;
	// records with Bloom encodings, broken ones and unknown variants.
	f.Add([]byte{})
	f.Add([]byte{0x11, 0x01, 0x00, 40, 0x11, 0x05, 10})
	f.Add([]byte{0x11, 0x01, 0x00, 40, 0x11, 0x05, 10, 0x12, 0x01, 0x00, 40, 0x11, 0x05, 10, 0x05, 0x01, 0x00, 40, 0x11, 0x05, 10})
	f.Add([]byte{0x11, 0x0C, 0x00, 40, 0x11, 0x05, 10, 0x11, 0x0C, 0x00, 40, 0x11, 0x05, 11, 0x12, 0x0C, 0x00, 40, 0x11, 0x05, 12})
	f.Add([]byte{0x51, 0x10, 0x01, 40, 0x51, 0x05, 10, 0x92, 0x10, 0x01, 0, 0x91, 0x05, 10, 0xD3, 0x04, 0x02, 40, 0xC1, 0x05, 10})
	f.Fuzz(func(t *testing.T, data []byte) {
		recs := fuzzRecords(data)
		res, err := merge.Link(recs, merge.Config{Salt: salt})
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, recs, res)
		rev := slices.Clone(recs)
		slices.Reverse(rev)
		again, err := merge.Link(rev, merge.Config{Salt: salt})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if a, b := personOf(t, res, r.Ref), personOf(t, again, r.Ref); a != b {
				t.Fatalf("%s: %s, reversed %s", r.Ref, a, b)
			}
		}
	})
}

func checkResult(t *testing.T, recs []merge.Record, res *merge.Result) {
	t.Helper()
	seen := make([]bool, len(recs))
	persons := res.Persons()
	for i, p := range persons {
		if i > 0 && persons[i-1].ID >= p.ID {
			t.Fatalf("ids out of order or twice: %s, %s", persons[i-1].ID, p.ID)
		}
		if len(p.Records) == 0 {
			t.Fatalf("%s has no records", p.ID)
		}
		for _, r := range p.Records {
			if seen[r] {
				t.Fatalf("record %d in two persons", r)
			}
			seen[r] = true
			if id := personOf(t, res, recs[r].Ref); id != p.ID {
				t.Fatalf("PersonOf(%s) = %s, in %s", recs[r].Ref, id, p.ID)
			}
		}
		reasons := res.Explain(p.ID)
		if len(reasons) != len(p.Records)-1 {
			t.Fatalf("%s: %d records, %d links explained", p.ID, len(p.Records), len(reasons))
		}
		// Records of one submission are joined by strong keys only:
		// they are in one component of the strong links.
		comp := map[merge.RecordRef]merge.RecordRef{}
		var find func(x merge.RecordRef) merge.RecordRef
		find = func(x merge.RecordRef) merge.RecordRef {
			if p, ok := comp[x]; ok && p != x {
				return find(p)
			}
			return x
		}
		for _, lr := range reasons {
			if lr.Rule == "strong key" {
				comp[find(lr.A)] = find(lr.B)
			}
		}
		for i, a := range p.Records {
			for _, b := range p.Records[i+1:] {
				ra, rb := recs[a].Ref, recs[b].Ref
				if ra.Partner == rb.Partner && ra.Submission == rb.Submission && find(ra) != find(rb) {
					t.Fatalf("%s and %s of one submission joined on weak evidence: %+v", ra, rb, reasons)
				}
			}
		}
	}
	for i, ok := range seen {
		if !ok {
			t.Fatalf("record %d in no person", i)
		}
	}
	byPeriod := map[string]map[string]bool{}
	for _, r := range recs {
		for _, p := range []string{r.Period, merge.AllPeriods} {
			if byPeriod[p] == nil {
				byPeriod[p] = map[string]bool{}
			}
			byPeriod[p][personOf(t, res, r.Ref)] = true
		}
	}
	for _, tab := range merge.ReportTables(res) {
		if tab.Dims[0] != merge.DimPeriod || strings.HasPrefix(tab.Name, "reported") {
			continue
		}
		got := sums(tab, merge.DimPeriod)
		for p, ids := range byPeriod {
			if got[p] != len(ids) {
				t.Fatalf("%s, %s: %d, want %d", tab.Name, p, got[p], len(ids))
			}
		}
	}
}
