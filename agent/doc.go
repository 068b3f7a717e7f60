// Package agent is the partner side of thbx: it reads a partner's file,
// checks it against the schema, seals it into a submission for the hub,
// keeps it in a local outbox and uploads it to the drop box, and reads the
// hub's receipts.
//
// Nothing is lost: a sealed submission stays in the outbox until a
// receipt for exactly that manifest has arrived, so a crash, an S3 outage
// or a payload damaged on the way is mended by sending the same sealed
// submission again.
package agent
