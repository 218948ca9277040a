// Command subslice plants small sub-slices that pin large buffers: each frame
// is read into a fresh 1 MiB buffer, and only its 16-byte header is kept —
// as a sub-slice, which keeps the whole buffer alive. The last 64 headers
// are kept, so about 64 MiB stays pinned by 1 KiB of headers.
// Planted: large-object-retention in readFrame.
package main

import (
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

const keep = 64

var headers [keep][]byte

// readFrame fills a new frame buffer, as a network read would.
func readFrame(n int) []byte {
	frame := make([]byte, 1<<20)
	for i := 0; i < len(frame); i += 4096 {
		frame[i] = byte(n + i)
	}
	return frame
}

func main() {
	zoo.Run(1, 20*time.Millisecond, func(n int) {
		frame := readFrame(n)
		headers[n%keep] = frame[:16] // the bug: bytes.Clone(frame[:16]) would free the frame
	})
}
