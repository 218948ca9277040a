// Command plateau plants a live set that grows to about 24 MB over the first
// quarter of the work and then plateaus (random slots are replaced, the size
// stays put), while the program churns POINTER-FREE objects: []byte of 0.5 to
// 8.7 KB, so marking is cheap and the heap goal tracks the plateau. Size:
// 4,800 live slots of 0.5–8.7 KB (≈ 24 MB), 500,000 steps, each allocating
// one or two short-lived buffers and doing some CPU work (≈ 3.9 GB
// allocated in all).
//
// Work is fixed: a fixed number of steps driven by a seeded generator, the
// same objects in the same order whatever GOGC or GOMEMLIMIT say. It prints
// one summary line to stdout and nothing to stderr (gctrace goes there).
package main

import (
	"fmt"
	"runtime"
)

const (
	steps       = 500_000
	spin        = 2_500 // CPU work per step
	liveSlots   = 4_800 // × 4.7 KB on average (size classes included) ≈ 24 MB
	growthSteps = steps / 4
	minBytes    = 512
	maxBytes    = 8_900 // 8.7 KB
)

// lcg is a deterministic pseudo-random sequence: the same on every run.
type lcg uint64

func (l *lcg) next() uint64 {
	*l = *l*6364136223846793005 + 1442695040888963407
	return uint64(*l >> 33)
}

func size(rng *lcg) int { return minBytes + int(rng.next()%(maxBytes-minBytes+1)) }

var (
	live [][]byte
	sink [8][]byte // the latest churn buffers, dead a few steps later
)

func main() {
	rng := lcg(3)
	live = make([][]byte, 0, liveSlots)
	growEvery := growthSteps / liveSlots
	var sum uint64
	for step := 0; step < steps; step++ {
		// Churn: one or two short-lived buffers, written and read.
		for k := 0; k <= int(step&1); k++ {
			b := make([]byte, size(&rng))
			for j := 0; j < len(b); j += 16 {
				b[j] = byte(step + j)
			}
			for j := 0; j < len(b); j += 16 {
				sum = sum*31 + uint64(b[j])
			}
			sink[(2*step+k)%len(sink)] = b
		}
		// CPU work between allocations: under 1 GB/s of churn rather than
		// 2 GB/s, so what is allocated while a cycle marks (counted as live by
		// that cycle) stays well under the 24 MB plateau.
		for j := 0; j < spin; j++ {
			sum = sum*6364136223846793005 + (uint64(j) ^ sum>>29)
		}
		// The live set: grows to liveSlots during the first quarter, then
		// one random slot is replaced every few steps.
		if step%growEvery == 0 {
			b := make([]byte, size(&rng))
			b[0] = byte(step)
			if len(live) < liveSlots {
				live = append(live, b)
			} else {
				live[rng.next()%liveSlots] = b
			}
		}
	}
	runtime.KeepAlive(live)
	fmt.Println("plateau checksum", sum, "live", len(live))
}
