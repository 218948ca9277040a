// Command tempbuf plants large temporary buffers in a hot loop: every request
// allocates a fresh 256 KiB scratch buffer, uses it once and drops it, so the
// GC runs constantly while almost nothing is retained.
// Planted: allocation-churn in encodeResponse.
package main

import (
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

// encodeResponse builds a response in a scratch buffer that could be reused.
func encodeResponse(n int) int {
	buf := make([]byte, 256<<10)
	for i := 0; i < len(buf); i += 1024 {
		buf[i] = byte(n)
	}
	zoo.Sink = buf
	return int(buf[n%len(buf)])
}

func main() {
	zoo.Run(10, 10*time.Millisecond, func(n int) { encodeResponse(n) })
}
