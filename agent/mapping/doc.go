// Package mapping reads a partner's own file — a CSV export, a
// spreadsheet, a JSON export — and turns each row into a record of the
// common schema, as a mapping file says, anonymising it on the way: the
// step between "our spreadsheet, our words" and a submission.
//
// A mapping is a small YAML file, strict (an unknown key is an error):
//
//	dataset: victims                 # victims, proceedings, controls or aggregates
//	source:
//	  format: csv                    # csv, xlsx, json (an array) or jsonl; default from the file name
//	  encoding: auto                 # utf-8, utf-8-bom, windows-1250 or auto
//	  delimiter: auto                # auto, ",", ";" or tab
//	  sheet: Program 2025            # xlsx: the sheet (default: the first)
//	  header_row: 1                  # the row holding the column names
//	profile: default                 # anonymisation profile: default or default_bloom
//	columns:
//	  "Status oběti":
//	    field: status                # the column holds a schema field
//	    also: status_source          # and its own word is kept next to the code
//	    values:                      # local terms, before the schema's own Czech and English terms
//	      "poškozená osoba": possible
//	  "Forma vykořisťování": {field: exploitation, split: ", "}
//	  "Datum zápisu": {field: identified_on, formats: [d.m.yyyy]}
//	  "Příjmení": {identifier: surname}
//	  "Bydliště": {identifier: address}
//	  "Č. j.": {drop: true}
//	  "Stadium": {field: stage, skip: [zproštěno]}   # rows with these values are left out
//	constants: {decided_by: police}  # the same value in every record
//	defaults: {sex: U}               # used where the column is empty
//	ignore_unmapped: false           # true: drop columns the mapping does not name
//	sum_duplicates: false            # counts only: add up rows that are the same record
//
// Every column of the file must be named in the mapping, as a field, an
// identifier or a drop, unless ignore_unmapped is set: a new column with
// names or phone numbers in it never leaves because nobody mapped it.
//
// What the package guarantees:
//
//   - Identifier columns (surname, given, full_name, birth_date,
//     birth_year, age, address, town, postcode, document, phone, email,
//     free_text) never reach a record. Names and the birth date become
//     keyed linkage keys (and, if the profile says so, a Bloom filter)
//     under the partners' linkage secret; the birth date becomes birth
//     year, age group and age band at identification; an address becomes a
//     NUTS 3 region. Problems with an identifier column never repeat its
//     value.
//   - Every record that leaves has passed the schema's own validation;
//     every row that does not become a record is either a listed Problem
//     or skipped by a skip rule the mapping states.
//   - Readers stream: memory does not grow with the file (CSV through a
//     Windows-1250 decoder when asked, XLSX through excelize's row
//     iterator, JSON arrays token by token, JSON Lines line by line).
//     sum_duplicates keeps one record per distinct combination, and at
//     most MaxSums of them.
//
// [Suggest] writes a first mapping from a file's header and values, for a
// partner to check and edit; [Mapping.Run] maps a file with one.
package mapping
