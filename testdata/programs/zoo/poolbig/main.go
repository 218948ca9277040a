// Command poolbig plants oversized pooled objects: exportReport writes each
// report into a pooled bytes.Buffer and puts it back whatever its size. One
// report in fifty is a 2 MiB export, so buffers grow to megabytes and the pool
// keeps them: small requests then hold 2 MiB buffers, and the heap carries
// them from GC to GC. 100 requests/s, one export in fifty.
// Planted: pool-oversized at exportReport.
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

// exportReport renders a report of n KiB into a pooled buffer.
func exportReport(n int) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	size := 4
	if n%50 == 0 {
		size = 2 << 10 // a full export: 2 MiB
	}
	for i := 0; i < size; i++ {
		buf.Write(line)
	}
	shipped += buf.Len()
	bufPool.Put(buf) // whatever it grew to
}

func main() {
	zoo.Run(1, 10*time.Millisecond, exportReport)
}
