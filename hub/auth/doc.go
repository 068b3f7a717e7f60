// Package auth authenticates the clients of the hub's API and pages: people
// with an OIDC bearer token from the Rapporteur's identity provider,
// service accounts with an API token or a TLS client certificate. It says
// who made a request (an Identity); the access policy decides what that
// identity may do.
//
// It guarantees that:
//   - an OIDC token is accepted only if signed, with an allowed asymmetric
//     algorithm (never "none" or HMAC), by a key the configured issuer
//     publishes, names that issuer exactly, lists the hub's audience,
//     has not expired and is past its "nbf", all within the configured
//     clock skew; its roles claim must be an array of strings, of which
//     unknown roles are dropped and at least one known role must remain;
//   - the hub starts while the OIDC issuer is down: discovery is retried,
//     at most once per RetryInterval, and Ready reports the issuer
//     unavailable until it succeeds;
//   - the issuer's key set is fetched again when a token names an unknown
//     key and when it is 15 minutes old (so a withdrawn key stops
//     working), never more than once per RetryInterval however many
//     tokens with made-up key ids arrive; RSA keys under 2048 bits are
//     ignored, and no response from the issuer may exceed 1 MiB;
//   - API tokens are 256 random bits; the tokens file holds only their
//     SHA-256, every lookup compares the hash with every entry in
//     constant time, every entry expires, and the file is refused unless
//     only its owner can read and write it;
//   - a client certificate counts only once TLS has verified it against
//     the client CA, and only if the tokens file maps its key or subject;
//   - the tokens file is decoded strictly (unknown keys, roles, scopes,
//     duplicates and missing expiries are errors), and a reload that
//     fails leaves the entries loaded before in force;
//   - errors wrap a small set of sentinels (ErrInvalidToken, ErrExpired,
//     ...) and never contain a token; clients are to be told only
//     "unauthorized", the cause goes to the log;
//   - the TLS server speaks TLS 1.2 or later with forward-secret AEAD
//     cipher suites, and its key file must be mode 0600.
package auth
