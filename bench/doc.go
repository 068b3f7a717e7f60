// Package bench measures what sealing and ingesting a submission cost,
// against the age CLI of the same version as the reference (issue
// "spine", item 8). It holds the deterministic record generator and the
// seal and open loops that both cmd/thbxbench and the Go benchmarks use;
// run.sh drives the whole comparison and README.md reports the figures.
package bench
