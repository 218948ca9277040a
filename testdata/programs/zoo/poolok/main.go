// Command poolok is poolmiss done right: renderPage takes a scratch buffer
// from the pool and puts it back when the page is written, so New runs only
// when a GC has emptied the pool. The clean control for pool-miss.
// Planted: nothing.
package main

import (
	"bytes"
	"sync"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

func newScratch() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }

var bufPool = sync.Pool{New: newScratch}

var written int

// renderPage writes a page into a pooled buffer and returns the buffer.
func renderPage(n int) int {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	for i := 0; i < 64; i++ {
		buf.WriteString("<li>item</li>")
	}
	written += buf.Len()
	bufPool.Put(buf)
	return n
}

func main() {
	zoo.Run(20, 10*time.Millisecond, func(n int) { renderPage(n) })
}
