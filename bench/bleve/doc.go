// Package bleve measures the baseline a user would otherwise build for filmbot's /ask: the
// same facts in an in-memory github.com/blevesearch/bleve/v2 index, answered with its top
// hit. It is its own module so that bleve never reaches the bot's binary; its benchmarks
// put bleve's latency and dev-set accuracy beside filmbot's answer engine, in the same run.
//
//	cd bench/bleve && go test -run XXX -bench . -benchtime 2000x
package bleve
