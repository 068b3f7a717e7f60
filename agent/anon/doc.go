// Package anon turns a partner's person records into what may leave the
// partner: linkage keys, an optional Bloom-filter encoding of names and
// birth date, and generalised attributes (birth year, age band, NUTS 3
// region). It runs in the agent, before a submission is sealed.
//
// What it guarantees:
//
//   - Identifiers never leave the partner. Names, dates of birth and
//     addresses are inputs to this package; its outputs are keyed values
//     (HMAC-SHA256, truncated to 128 bits) and generalised attributes,
//     never the identifiers themselves or an unkeyed hash of them.
//   - Every keyed value depends on a [Secret] that partners share with one
//     another and that the hub never holds. An unkeyed hash of a name and a
//     birth date is reversed by hashing every plausible name and date; with
//     the secret out of the hub's reach it cannot run that dictionary. Each
//     use has its own HKDF-SHA256 sub-key ("linkage-key/v1", "bloom/v1"),
//     and the secret never prints itself.
//   - Keys are stable across the usual near-misses of the same person in
//     two sources: diacritics, titles, Czech feminine (-ová) and adjectival
//     surname forms, several Latin spellings of a Cyrillic name, day and
//     month swapped, and a typo in one field; and a record without a
//     birth date still keys its names. [Keys] documents which variant
//     tolerates what, and what each costs in precision.
//   - The optional [Bloom] encoding (1024 bits, keyed bigrams, XOR-folded)
//     lets the hub measure how alike two records' names and birth dates
//     are, for the near-misses no key variant catches, with [Dice].
//   - Which identifiers were dropped, which key variants were computed and
//     how attributes were generalised is declared by a [Profile], whose
//     [Profile.Digest] the manifest names.
//
// What it does not guarantee: keys are pseudonyms, and pseudonymised
// data are still personal data (GDPR Art. 4(5)). Whoever holds the secret
// (every partner) can test a guessed name and birth date against a key;
// the same person's records link across sources and years, which is
// their purpose; the key of the names alone (d3) tells the hub how many
// records carry one name, though not which; a rare combination of generalised attributes can still
// single out a person, and suppressing small cells is the hub's job.
//
// Normalisation ([NormalizeName], [SurnameBase], [Phonetic], [ParseDate])
// is made of pure functions so that every partner computes the same keys
// from the same person, whatever its spreadsheet looks like.
package anon
