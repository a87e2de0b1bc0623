//go:build race

// Package race reports whether the binary is built with the race detector. Tests whose
// cost grows several times under it, and whose extra rounds give it no concurrency to
// check (a SIGKILLed child's race reports die with it), do fewer rounds there; the plain
// run of the same tests does them all.
package race

// Enabled is true in a binary built with -race.
const Enabled = true
