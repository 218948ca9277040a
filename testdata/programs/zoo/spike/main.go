// Command spike plants memory not returned to the OS: every two seconds it
// rebuilds a 256 MiB index to summarise it, drops it and collects it, and
// serves with a small heap in between. The freed pages stay mapped
// (HeapIdle) until the background scavenger gets to them, so the process
// keeps holding memory it no longer uses.
// Planted: memory-not-returned (a MemStats finding, no single line).
package main

import (
	"runtime"
	"strconv"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

// rebuildIndex builds a large temporary structure, as a startup load or a
// nightly rebuild does, and returns a small summary of it.
func rebuildIndex() int {
	index := make([][]byte, 0, 4096)
	for i := 0; i < 4096; i++ {
		chunk := make([]byte, 64<<10)
		chunk[i%len(chunk)] = byte(i)
		index = append(index, chunk)
	}
	return len(index)
}

var entries int

func main() {
	go func() {
		for {
			entries = rebuildIndex()
			runtime.GC() // the rebuild is over: collect it
			time.Sleep(2 * time.Second)
		}
	}()
	zoo.Run(10, 10*time.Millisecond, func(n int) {
		zoo.Sink = strconv.Itoa(n + entries)
	})
}
