// Package schema defines the records a submission may carry and checks
// them: schema version 1 of four datasets.
//
//   - victims/1: one person as one source reports them;
//   - proceedings/1: criminal-justice counts (suspected, prosecuted,
//     convicted persons), per year or per case;
//   - controls/1: inspections by the alien police and the labour
//     inspectorate;
//   - aggregates/1: counts over any subset of a fixed list of dimensions,
//     for sources that give only counts.
//
// No record carries a direct identifier. Names, dates of birth, document
// and phone numbers, addresses and free-text narratives stay with the
// partner; what leaves is coded attributes, generalised quasi-identifiers
// (birth year, age band, NUTS 3 region) and keyed linkage keys and Bloom
// filters that only partners holding the linkage secret could compute.
// Pseudonymised records are still personal data (GDPR Art. 4(5)): errors
// name fields and rules, never a free-text or key value.
//
// The schema is machine-readable: [Dataset.Spec] lists each field's
// kind and code list, and [CodeList.Match] and [CodeList.Nearest] map the
// words partners use, Czech or English, to codes. docs/SCHEMA.md is
// generated from the same tables by [Markdown].
//
// Decoding is strict: unknown, repeated and mis-cased fields and anything
// after the JSON object are refused, so every reader of a signed
// submission sees the same record.
package schema
