// Package trust decides who thbx trusts and who may change that: security
// officers, together, under a threshold k of n.
//
// A [Root] names the officers and the threshold. A trust [Bundle] names the
// partners and their signing keys, the hub's age recipients, its receipt
// key, the drop box and the access policy digest. Both travel as [Signed]
// documents (JWS JSON serialization with several signatures), and both are
// valid only with the signatures of k distinct officers of the root: one
// officer alone can change nothing. The design follows TUF:
//
//   - A new root must be signed by the threshold of the old root's officers
//     and by the threshold of its own, so a stolen set of new keys cannot
//     take over, and the chain of roots can be followed from a pinned one.
//   - A bundle is accepted only if its version is not lower than the one
//     already trusted (rollback protection), an equal version must carry
//     the same content, and an expired bundle or root is refused (freeze
//     protection: an attacker who withholds updates cannot keep a device on
//     old trust for ever).
//
// A proposal is simply a Signed document with fewer than k signatures:
// officers [Propose] a change, review its [Diff], add their signature and
// publish once k are present. Each signature is checked as a compact JWS
// by [certs.OfficerPublicKey.VerifyJWS], so only EdDSA under the named
// officer's key, with a canonical encoding and the expected document type,
// can count.
//
// Enrolment turns a partner's [EnrolmentRequest] into a bundle change and an
// [EnrolmentPackage]: the pinned root, the current bundle and the partner's
// secrets, age-encrypted to a recipient the partner made. The root is
// self-signed, so its [RootFingerprint] must be confirmed out of band.
package trust
