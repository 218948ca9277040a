// Command mapgrow plants a map that keeps growing to the end, written by four
// worker goroutines under one mutex, plus short-lived churn. Size: 4 workers ×
// 400,000 inserts = 1.6 million entries (uint64 key → pointer to a 48-byte
// record holding a small string), ≈ 140 MB live at the end; every insert also
// allocates a 256 B – 2 KiB temporary buffer (≈ 2 GB allocated in all). The
// live heap never plateaus, and the map's growth steps (Go 1.23: one new
// bucket array twice the size; Go 1.24+: table splits) make big jumps.
//
// Work is fixed: each worker inserts a fixed sequence of distinct keys from
// its own seeded generator, so the final map is the same whatever GOGC or
// GOMEMLIMIT say (only the interleaving of the workers varies). It prints one
// summary line to stdout and nothing to stderr (gctrace goes there).
package main

import (
	"fmt"
	"runtime"
	"strconv"
	"sync"
)

const (
	workers   = 4
	perWorker = 400_000
	batch     = 64 // inserts prepared per lock acquisition
)

// lcg is a deterministic pseudo-random sequence: the same on every run.
type lcg uint64

func (l *lcg) next() uint64 {
	*l = *l*6364136223846793005 + 1442695040888963407
	return uint64(*l >> 33)
}

type record struct {
	name  string
	owner *record // the previous record this worker wrote: pointers to trace
	seq   uint64
	hash  uint64
}

var (
	mu   sync.Mutex
	m    = map[uint64]*record{}
	sink [workers][4][]byte // each worker's latest churn buffers
)

func worker(w int, sums []uint64, wg *sync.WaitGroup) {
	defer wg.Done()
	rng := lcg(100 + w)
	keys := make([]uint64, 0, batch)
	vals := make([]*record, 0, batch)
	var prev *record
	var sum uint64
	for i := 0; i < perWorker; i++ {
		// Distinct keys across workers: an odd multiplier is a bijection.
		id := uint64(i*workers + w)
		r := &record{seq: id, hash: id * 0x9E3779B97F4A7C15, owner: prev}
		r.name = "k" + strconv.FormatUint(r.hash>>40, 16)
		prev = r
		keys = append(keys, r.hash)
		vals = append(vals, r)
		// Churn: a temporary buffer, written and read.
		b := make([]byte, 256+int(rng.next()%1793))
		for j := 0; j < len(b); j += 64 {
			b[j] = byte(i + j)
			sum += uint64(b[j/2])
		}
		sink[w][i%4] = b
		if len(keys) == batch || i == perWorker-1 {
			mu.Lock()
			for k, key := range keys {
				m[key] = vals[k]
			}
			mu.Unlock()
			keys, vals = keys[:0], vals[:0]
		}
	}
	sums[w] = sum
}

func main() {
	var wg sync.WaitGroup
	sums := make([]uint64, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go worker(w, sums, &wg)
	}
	wg.Wait()
	var sum uint64
	for _, s := range sums {
		sum += s
	}
	runtime.KeepAlive(m)
	fmt.Println("mapgrow checksum", sum, "entries", len(m))
}
