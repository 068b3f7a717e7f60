// Package synth generates synthetic partner files for thbx: what the
// police, the prosecution and the courts, the alien police and the labour
// inspectorate, the Victim Assistance Programme, NGOs, IOM, the
// intelligence service and embassies would send a National Rapporteur on
// trafficking in human beings, each in its own layout, words, file format
// and encoding, together with a ground truth of who is who.
//
// The persons are invented: names are drawn from tables of common Czech,
// Slovak, Ukrainian, Vietnamese, Romanian, Bulgarian, Nigerian, Filipino
// and Mongolian names and combined at random, so any resemblance to a real
// person is chance. The same person is reported by several partners and
// across years, written differently each time (transliterations, -ová
// forms, dropped diacritics, typos, swapped day and month, missing
// values), which is what record linkage has to undo.
//
// Guarantees:
//   - Determinism: the same Config gives byte-identical files. Each record
//     is drawn from a generator keyed by the seed and the record's
//     coordinates, so selecting fewer partners leaves the others' files
//     unchanged.
//   - Bounded memory: persons are recomputed from the seed when written,
//     rows stream to disk, and only a few bytes per person are kept, so
//     100 times the Czech volume (Config.Scale = 100) runs in well under
//     200 MiB of heap.
//   - A consistent ground truth: every record of a person-level file has
//     one line in ground-truth/records.csv naming its person, and every
//     person named there has one line in ground-truth/persons.csv.
//
// At Scale 1 a year holds 300-500 person records from all partners about
// 250-400 distinct persons, 10-30 % of them reported by more than one
// partner (DOMAIN.md, "Volumes, for test data").
package synth
