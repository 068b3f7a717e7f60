// Package submission is the contract between a partner's agent and the hub:
// submission format v1 (docs/FORMAT.md).
//
// A submission is two objects in the drop box: an age-encrypted payload
// (a header line naming partner and submission, then one JSON record a
// line) and a manifest, a JWS signed by the partner's key, that binds the
// payload's size and SHA-256 to the partner, the dataset, the period, a
// time-ordered submission id and the partner's chain of earlier manifests.
// The hub answers with a receipt, a JWS signed by its receipt key.
//
// Seal produces a submission; Open checks one while streaming it, so the
// memory it needs does not grow with the payload. Neither decides whom to
// trust: the caller resolves the signing key (see package certs and the
// hub) and passes it in.
//
// The package sits at the top of the module, beside agent/ and hub/,
// because both sides must share exactly this code.
package submission
