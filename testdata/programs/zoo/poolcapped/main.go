// Command poolcapped is poolbig done right: a buffer that grew past 64 KiB
// for a full export is dropped instead of put back, so the pool only keeps
// small buffers and a big export's memory goes with its request. The clean
// control for pool-oversized.
// Planted: nothing.
package main

import (
	"bytes"
	"sync"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

// New makes a buffer with room for a small report.
var bufPool = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

var (
	line    = bytes.Repeat([]byte("x"), 1024)
	shipped int
)

const maxPooled = 64 << 10

// exportReport renders a report of n KiB into a pooled buffer.
func exportReport(n int) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	size := 4
	if n%50 == 0 {
		size = 2 << 10
	}
	for i := 0; i < size; i++ {
		buf.Write(line)
	}
	shipped += buf.Len()
	if buf.Cap() <= maxPooled {
		bufPool.Put(buf)
	}
}

func main() {
	zoo.Run(1, 10*time.Millisecond, exportReport)
}
