package gotestlog

import "testing"

// TestBuild builds indexes of growing size and keeps the last few alive, so
// the test binary runs a few dozen GCs with a live heap that grows.
func TestBuild(t *testing.T) {
	var keep []Index
	for round := 1; round <= 24; round++ {
		idx := Build(round * 10000)
		if len(idx) == 0 {
			t.Fatal("empty index")
		}
		keep = append(keep, idx)
		if len(keep) > 3 {
			keep = keep[1:]
		}
	}
}
