// Command gcload is a fixed, deterministic allocation workload for checking
// footprint's gctrace reading and its GOGC / GOMEMLIMIT what-if simulator
// against real runs.
//
// Every run allocates the same objects in the same order whatever GOGC or
// GOMEMLIMIT say: a live set of pointer-bearing nodes grows over the first
// part of the work and then plateaus (old nodes are replaced, the size stays
// put), while short-lived buffers and small boxed values churn throughout.
//
//	-mode=load   the workload alone (the what-if runs)
//	-mode=noisy  the workload while other goroutines write lines to stderr, so
//	             the runtime's gctrace lines get split by them as in real logs;
//	             also calls runtime.GC and debug.FreeOSMemory for "(forced)"
//	-mode=leak   the workload, but the live set never stops growing
//	-mode=idle   a little work, then idles past the runtime's 2-minute
//	             periodic GC, which prints "GC forced"
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// node is a live object with pointers, so marking has real work to do.
type node struct {
	payload []byte
	label   *string
	id      int
}

const (
	totalSteps  = 80000
	growthSteps = 16000   // the live set grows over the first 20% of the steps
	nodeBytes   = 3 << 10 // payload per live node: 16000 nodes ≈ 48 MiB live
	churnBufs   = 6       // short-lived buffers per step
	churnBytes  = 16 << 10
	churnBoxes  = 24 // small boxed values per step

	baselineChunks = 256 // 16 MiB live from the start
)

var sink atomic.Value // keeps churn from being optimised away

// lcg is a deterministic pseudo-random sequence: the same on every run.
type lcg uint64

func (l *lcg) next() uint64 {
	*l = *l*6364136223846793005 + 1442695040888963407
	return uint64(*l >> 33)
}

// baseline is live from the start to the end, like a service's config and
// caches: the heap is never tiny, so no run spends its first hundred cycles
// at the 4 MiB minimum, where timing noise decides the cycle count.
var baseline [][]byte

func workload(forceEvery int, leak bool) uint64 {
	for i := 0; i < baselineChunks; i++ {
		baseline = append(baseline, make([]byte, 64<<10))
	}
	live := make([]*node, growthSteps)
	rng := lcg(1)
	var sum uint64
	for step := 0; step < totalSteps; step++ {
		slot := step
		if step >= growthSteps && leak {
			live = append(live, nil) // a leak: every node stays reachable
		} else if step >= growthSteps {
			slot = int(rng.next() % growthSteps) // plateau: replace, keep the size
		}
		n := &node{payload: make([]byte, nodeBytes), id: step}
		n.payload[step%nodeBytes] = byte(step)
		label := fmt.Sprint("node-", step)
		n.label = &label
		live[slot] = n
		sum += churn(step, &rng)
		if forceEvery > 0 && step > 0 && step%forceEvery == 0 {
			if step%(2*forceEvery) == 0 {
				debug.FreeOSMemory()
			} else {
				runtime.GC()
			}
		}
	}
	runtime.KeepAlive(live)
	return sum
}

func churn(step int, rng *lcg) uint64 {
	var sum uint64
	boxes := make([]any, 0, churnBufs+churnBoxes)
	for b := 0; b < churnBufs; b++ {
		buf := make([]byte, churnBytes)
		buf[int(rng.next()%churnBytes)] = byte(step)
		sum += uint64(buf[step%churnBytes])
		boxes = append(boxes, buf) // escapes: heap-allocated, dead after the step
	}
	for i := 0; i < churnBoxes; i++ {
		boxes = append(boxes, [4]uint64{uint64(step), uint64(i)})
	}
	sink.Store(boxes)
	return sum
}

// noise writes whole lines to stderr from other goroutines until stopped.
func noise(stop *atomic.Bool, wg *sync.WaitGroup, id int) {
	defer wg.Done()
	for i := 0; !stop.Load(); i++ {
		fmt.Fprintf(os.Stderr, "app: worker %d wrote line %d\n", id, i)
		time.Sleep(50 * time.Microsecond)
	}
}

func main() {
	mode := flag.String("mode", "load", "load, noisy or idle")
	flag.Parse()
	switch *mode {
	case "load":
		fmt.Println("checksum", workload(0, false))
	case "noisy":
		var stop atomic.Bool
		var wg sync.WaitGroup
		for id := 0; id < 2; id++ {
			wg.Add(1)
			go noise(&stop, &wg, id)
		}
		fmt.Println("checksum", workload(10000, false))
		stop.Store(true)
		wg.Wait()
	case "leak":
		fmt.Println("checksum", workload(0, true))
	case "idle":
		buf := make([][]byte, 0, 64)
		for i := 0; i < 64; i++ {
			buf = append(buf, make([]byte, 1<<20))
		}
		runtime.KeepAlive(buf)
		time.Sleep(125 * time.Second)
		fmt.Println("idle done")
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", *mode)
		os.Exit(2)
	}
}
