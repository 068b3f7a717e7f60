// Package agent is the partner side of thbx: it reads a partner's file,
// checks it against the schema, seals it into a submission for the hub,
// keeps it in a local outbox and uploads it to the drop box, and reads the
// hub's receipts.
//
// A file in the schema's own columns is sealed with SealFile. A partner's
// own spreadsheet or export is sealed with SealMapped: a mapping
// (package agent/mapping) says which column is which field, its names and
// dates of birth become linkage keys under the partners' linkage secret
// (Config.LinkageSecret), and the manifest names the anonymisation
// profile. Either way, a file with any problem seals nothing.
//
// Nothing is lost: a sealed submission stays in the outbox until a
// receipt for exactly that manifest has arrived, so a crash, an S3 outage
// or a payload damaged on the way is mended by sending the same sealed
// submission again.
package agent
