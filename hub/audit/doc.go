// Package audit is the hub's append-only audit log: every decision the hub
// takes (accept, reject, decrypt, merge, a read or an export allowed or
// denied by the access policy, a change of keys, trust or policy) is
// appended as one entry, and anyone who holds the log and some of its
// signed checkpoints can check that it is complete and unaltered.
//
// # What it guarantees
//
// Entries form a hash chain: each one carries the SHA-256 of the one before
// it and its own SHA-256 over a canonical encoding that includes that
// previous hash. Changing, deleting, inserting or reordering any entry
// breaks the chain at the first entry touched, and [Verify] names it.
//
// A chain alone does not stop whoever can write the file from rewriting
// it from some entry on and recomputing every hash after it, or from
// cutting its end off. [Log.Checkpoint] therefore signs the sequence
// number and hash of the newest durable entry with the hub's Ed25519 key.
// An auditor who keeps checkpoints somewhere the hub cannot write detects
// with [Verify] any rewriting, deletion or truncation of an entry at or
// before the newest checkpoint they hold, and any fork (two signed
// checkpoints that disagree).
//
// [Log.Append] returns only after the entry is on stable storage (fsync;
// appends that arrive together share one), so a checkpoint never names an
// entry a crash could still take back. If Append returns an error, the
// caller must not carry out the action it meant to log; after a failed
// write or fsync the Log refuses every later Append, since what reached
// the disk is no longer known (reopening it recovers, see below).
//
// # What it does not guarantee
//
//   - An attacker who holds the file AND the signing key can rewrite
//     everything after the newest checkpoint an auditor holds, and sign
//     new checkpoints over the rewritten history. Entries after that
//     checkpoint are only as safe as the file; [Report.Unanchored] says how
//     many there are. Hand checkpoints to auditors often.
//   - An attacker with the file alone can still cut off or rewrite the
//     entries after the newest checkpoint an auditor holds: the chain is
//     consistent again once recomputed.
//   - The log says what the hub decided, not that the decision was right,
//     and it cannot record what a compromised hub chose not to log.
//   - Entry times come from the hub's clock and are not ordered evidence;
//     the sequence number is the order.
//   - Confidentiality: the log is kept 0600, but it is not encrypted.
//     Events must never carry record values, names, tokens or keys; Append
//     refuses control characters, over-long fields and strings shaped like
//     a thbx bearer token, but it cannot recognise every secret.
//
// # Recovery
//
// [Open] reads the whole file and checks the chain before it appends.
// A last line without its newline is what a crash in the middle of a write
// leaves: Open copies those bytes to a file beside the log
// (NAME.torn-RANDOM, mode 0600), cuts them off, logs a warning, and appends
// a log_recovered entry that says so, so the repair itself is on the
// chain. Any other damage (a bad hash, a broken link, a line that is not
// canonical) makes Open fail with a [*TamperError]: the hub does not
// extend a chain it cannot vouch for. Keep the damaged file for the
// auditors and start a new log beside it.
//
// # File format
//
// The log is JSON Lines (UTF-8, one entry per line, "\n" after each). An
// entry's line is its body with the member "hash" added before the final
// "}", as in entry 3 of testdata/small.jsonl:
//
//	{"v":1,"seq":3,"time":"2025-03-01T09:00:02Z","actor":{"kind":"analyst","subject":"a.novák"},"action":"read_records","resource":{"dataset":"victims","period":"2023"},"decision":"allow","reason":"granted","rule":"analysts-read","prev":"f3a4e80e914841d97f436f20f16248d9775fd584bda28e9f684ae0025465fc15","hash":"6e8d5522aed230bc3f1a2ec64338f2cdc893e4640eb013723bc6df48aca470a3"}
//
// The body is the canonical encoding: members in exactly the order
// v, seq, time, actor (kind, subject), action, resource (path, dataset,
// period, format; each left out when empty, the whole object left out
// when all are), decision, reason, rule (left out when empty), details
// (keys sorted bytewise; left out when empty), prev; no whitespace; time in
// RFC 3339 UTC with "Z" and no trailing zeros in the fraction; strings
// escaped only where JSON requires (\" and \\; fields may not hold
// control characters). hash is lowercase hex of
//
//	SHA-256("thbx-audit-entry-v1\n" || body)
//
// prev is the hash of the entry before, 64 zeros for seq 1; seq starts at
// 1 and grows by one. A reader accepts a line only if re-encoding what it
// parsed gives back the same bytes, so there is one encoding per entry.
//
// # Checkpoint format
//
// A checkpoint is six lines of text, each ending in "\n":
//
//	thbx-audit-checkpoint v1
//	seq 42
//	hash <64 lowercase hex digits: the hash of entry 42>
//	time 2025-03-01T18:00:00Z
//	key <key id of the signing key, as certs.KeyID>
//	sig <Ed25519 signature, unpadded base64url>
//
// The signature is over the first five lines, newlines included. seq 0
// with a hash of 64 zeros is the checkpoint of an empty log.
//
// testdata/ holds a small log, a checkpoint of it and the public key
// that signed it (hex), to check another implementation against.
package audit
