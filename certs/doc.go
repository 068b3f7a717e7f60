// Package certs holds the key material of thbx and the registry of who is
// trusted: partner signing keys, the hub's age identities and its
// receipt-signing key.
//
// Each key role has its own type so that a receipt key can never be used
// where a partner key is expected. Private keys live in files readable by
// their owner only; Load refuses a file that group or others can read.
package certs
