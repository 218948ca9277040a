// Command sparse plants heap fragmentation: it loads two million 64-byte
// records, then keeps one in eight. Every 8 KiB span of that size class
// stays in use for the 16 records it still holds, so those spans take about
// eight times the memory of what they hold (HeapInuse ≫ HeapAlloc).
// Planted: heap-fragmentation (a MemStats finding, no single line).
package main

import (
	"runtime"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type record struct {
	id    int64
	score float64
	tags  [6]int64
}

var kept []*record

// load reads every record, then keeps only the interesting ones: scattered
// across all the spans the load filled, since nothing was freed while loading.
func load() {
	all := make([]*record, 2_000_000)
	for i := range all {
		all[i] = &record{id: int64(i)}
	}
	for i := 0; i < len(all); i += 8 {
		kept = append(kept, all[i])
	}
}

func main() {
	load()
	runtime.GC() // loading is over: collect what was not kept
	zoo.Run(10, 10*time.Millisecond, func(n int) {
		kept[n%len(kept)].score++
	})
}
