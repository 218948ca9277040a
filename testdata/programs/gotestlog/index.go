// Package gotestlog is a small package with a test that allocates, run by
// testdata/regen-gctrace.sh as `GODEBUG=gctrace=1 go test` so the log holds
// the GCs of several processes at once: the go command, the compiler and
// linker it starts, and the test binary.
package gotestlog

import "strconv"

// Index maps words to the positions they occur at.
type Index map[string][]int

// Build indexes n generated words; the index grows with n.
func Build(n int) Index {
	idx := Index{}
	for i := 0; i < n; i++ {
		w := "word-" + strconv.Itoa(i%(n/4+1))
		idx[w] = append(idx[w], i)
	}
	return idx
}
