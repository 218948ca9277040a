// Command poolmiss plants a sync.Pool that never gets its objects back:
// renderPage takes a 16 KiB scratch buffer from bufPool for every request
// and never returns it, so every Get finds the pool empty and calls New —
// the pool costs a lock-free lookup and saves nothing. 2,000 requests/s.
// Planted: pool-miss at renderPage (New: newScratch).
package main

import (
	"bytes"
	"sync"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

// newScratch is the pool's New: a buffer with room for a page.
func newScratch() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }

var bufPool = sync.Pool{New: newScratch}

// renderPage writes a page into a pooled buffer — and forgets to Put it back.
func renderPage(n int) int {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	for i := 0; i < 64; i++ {
		buf.WriteString("<li>item</li>")
	}
	zoo.Sink = buf
	return buf.Len() + n
}

func main() {
	zoo.Run(20, 10*time.Millisecond, func(n int) { renderPage(n) })
}
