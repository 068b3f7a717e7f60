// Package merge links the victims/1 records partners send to the hub into
// persons, without any identity: through the keyed linkage keys and
// Bloom encodings that agent/anon made at each partner. It then counts
// the persons for the Rapporteur's report: by sex, age group,
// citizenship group, form of exploitation and status, de-duplicated and
// by source category, and the overlap of the sources that
// multiple-systems estimation needs.
//
// Link clusters records:
//
//   - A key of a strong variant (a1, a2, h1, h2: whole names and whole
//     birth date) links two records alone.
//   - A weak key (b1, c1, d1, d2, d3, e1, f1, g1, h3: a name or part of
//     the date left out, or the names alone) is only a candidate; so is
//     a pair of alike Bloom encodings found by blocking. A candidate
//     links when its evidence, in bits, reaches Config.MinScore: the
//     variant's prior (for the names alone, adjusted by how common the
//     name is), the Bloom similarity, how near in time the two were
//     identified and whether in one period, their regions, forms of
//     exploitation, statuses and age bands. Different known sexes,
//     citizenships or birth years rule a link out.
//   - Two records of one submission never join on weak evidence (a
//     partner reports a person once), nor two records that rule each
//     other out: a chain of plausible links, or a record that resembles
//     two persons, cannot make one person of two.
//
// Every rule and weight is in Config, with defaults measured on
// agent/synth data, and every link can be explained (Result.Explain).
//
// Guarantees:
//
//   - Reproducible: the same records and Config give the same persons,
//     ids and tables, whatever order the records come in.
//   - Opaque, stable person ids: HMAC-SHA256 under a hub-local salt, so an
//     id tells nothing of the keys; derived from the person's earliest
//     record, so that records of later periods leave it alone; with the
//     previous merge's assignments (Config.Previous) kept through merges
//     and splits.
//   - Near-linear cost: keys are indexed one variant at a time, a weak key
//     is followed to at most Config.MaxCandidates records, Bloom blocks
//     are split and capped at Config.MaxBlock; a million records link in
//     under ten seconds on two cores (bench/merge: 6.5 s, and 1.4 s for
//     the tables), the records held as slim Victims.
//   - Tables that add up: each person counts once in a de-duplicated
//     table, under documented rules where its records disagree (see
//     PersonsBy and resolve).
//
// What it does not guarantee: correct persons. Linkage keys are made
// from names and birth dates as sources write them; a record without a
// birth date has only the key of its names, which every namesake
// shares, and links only where the rest of the evidence singles out one
// person; two persons with the same names and birth date share every
// key. PairQuality measures a merge against a ground truth; the package
// tests report it on agent/synth data.
//
// The tables are raw counts: suppressing or rounding small cells before
// publication is for the caller.
package merge
