// Package e2e holds the end-to-end tests of the spine: real agents and a
// real hub against a real S3 server, the Versity gateway on loopback,
// started by the tests themselves (deploy/s3gw) and stopped at the end.
// They need the versitygw binary: `go install
// github.com/versity/versitygw/cmd/versitygw@v1.8.0` or $THBX_VERSITYGW;
// .ci/run installs it. Without it they fail, saying so.
//
// Each attack of SECURITY.md items 3 to 8 that applies to the spine is a
// named test asserting the exact rejection reason in the receipt, that the
// hub keeps working and that the original objects are kept.
package e2e
