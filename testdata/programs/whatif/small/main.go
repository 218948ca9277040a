// Command small plants a live heap far UNDER the runtime's heap-goal floor
// (4 MiB at GOGC=100, scaled by GOGC/100) while churning short-lived
// allocations, so every cycle's goal comes from the floor, not from the live
// heap. Size: about 1 MiB live (256 buffers of 4 KiB, a few replaced per
// step so the live set stays put), 600,000 steps of small churn (strings,
// pointer-bearing structs, byte slices of 16 to 511 B) with CPU work between
// them, about 0.9 GB allocated in all.
//
// Work is fixed: a fixed number of steps driven by a seeded generator, the
// same objects in the same order whatever GOGC or GOMEMLIMIT say. It prints
// one summary line to stdout and nothing to stderr (gctrace goes there).
package main

import (
	"fmt"
	"runtime"
	"strconv"
)

const (
	steps     = 600_000
	spin      = 2_000 // CPU work per step
	liveBufs  = 256
	liveBytes = 4 << 10 // 256 × 4 KiB = 1 MiB live
)

// lcg is a deterministic pseudo-random sequence: the same on every run.
type lcg uint64

func (l *lcg) next() uint64 {
	*l = *l*6364136223846793005 + 1442695040888963407
	return uint64(*l >> 33)
}

// item is a short-lived object with pointers.
type item struct {
	name string
	buf  []byte
	next *item
	n    uint64
}

// sink holds the latest few churn objects: they escape, and die a few steps later.
var sink [16]*item

var live [liveBufs][]byte

func main() {
	rng := lcg(7)
	for i := range live {
		live[i] = make([]byte, liveBytes)
	}
	var sum uint64
	for step := 0; step < steps; step++ {
		var head *item
		for k := 0; k < 4; k++ {
			size := 16 + int(rng.next()%496)
			it := &item{buf: make([]byte, size), next: head, n: rng.next()}
			it.buf[int(it.n%uint64(size))] = byte(step)
			it.name = "s" + strconv.FormatUint(it.n, 36)
			head = it
		}
		// A little work on the objects, so the run is not all allocation.
		for it := head; it != nil; it = it.next {
			for j := 0; j < len(it.buf); j += 8 {
				sum = sum*31 + (uint64(it.buf[j]) ^ it.n)
			}
			sum += uint64(len(it.name))
		}
		// CPU work between allocations: about 300 MB/s of churn rather than
		// 1 GB/s, so what is allocated while a cycle marks (counted as live by
		// that cycle) stays small next to the 1 MiB live heap even when the
		// machine is busy and marking takes longer in wall time.
		for j := 0; j < spin; j++ {
			sum = sum*6364136223846793005 + (uint64(j) ^ sum>>29)
		}
		sink[step%len(sink)] = head
		if step%64 == 0 { // replace a live buffer: the live set stays ~1 MiB
			b := make([]byte, liveBytes)
			b[step%liveBytes] = byte(step)
			live[rng.next()%liveBufs] = b
		}
	}
	runtime.KeepAlive(&live)
	fmt.Println("small checksum", sum)
}
