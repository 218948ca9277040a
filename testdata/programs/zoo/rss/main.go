// Command rss is the RSS-accounting fixture: it holds memory of known kinds
// and sizes, and says what it holds at GET /stats, so a tool's breakdown of
// the resident set can be checked against the program's own numbers.
// At start it
//   - allocates and keeps 48 MiB of live heap in 384 objects of 128 KiB
//     (every page written, so all of it is resident);
//   - allocates a 96 MiB spike in 96 objects of 1 MiB, writes every page,
//     drops it and runs runtime.GC(): about 80 MiB of free heap stays
//     mapped and resident (HeapIdle - HeapReleased); the background
//     scavenger returned none of it within a minute (Go 1.23 and 1.26);
//   - starts 2,000 goroutines that recurse 24 frames of about 200 bytes
//     deep and park, so each has an 8 KiB stack (about 16 MiB of StackInuse).
//
// Then it serves a light steady load. GET /stats answers JSON: keptBytes,
// keptObjects, droppedBytes, parkedGoroutines, recursionDepth, goroutines,
// every runtime/metrics value under /memory/classes/, and runtime.MemStats.
// Planted: memory-not-returned (the dropped spike), visible at once; the
// kept heap and the parked goroutines are constant, as a cache and a worker
// pool would be.
package main

import (
	"encoding/json"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

const (
	keptObjects  = 384
	keptSize     = 128 << 10
	spikeObjects = 96
	spikeSize    = 1 << 20
	parked       = 2000
	depth        = 24
	page         = 4096
)

var (
	kept    [][]byte
	release = make(chan struct{}) // never closed: the parked goroutines stay
	served  int
)

// touch writes every page of b, so the memory is resident, not only mapped.
func touch(b []byte, v byte) {
	for i := 0; i < len(b); i += page {
		b[i] = v
	}
}

// loadCache keeps keptObjects buffers for the life of the process.
func loadCache() {
	kept = make([][]byte, keptObjects)
	for i := range kept {
		kept[i] = make([]byte, keptSize)
		touch(kept[i], byte(i))
	}
}

// rebuild allocates a large temporary structure and drops it.
func rebuild() int {
	spike := make([][]byte, spikeObjects)
	sum := 0
	for i := range spike {
		spike[i] = make([]byte, spikeSize)
		touch(spike[i], byte(i))
		sum += int(spike[i][0])
	}
	return sum
}

// descend recurses depth frames, each with a 160-byte array on its stack,
// then parks until the process ends.
//
//go:noinline
func descend(d int) byte {
	var frame [160]byte
	frame[d%len(frame)] = byte(d)
	if d == 0 {
		<-release
		return frame[0]
	}
	return descend(d-1) + frame[(d*7)%len(frame)]
}

type stats struct {
	KeptBytes        int               `json:"keptBytes"`
	KeptObjects      int               `json:"keptObjects"`
	DroppedBytes     int               `json:"droppedBytes"`
	ParkedGoroutines int               `json:"parkedGoroutines"`
	RecursionDepth   int               `json:"recursionDepth"`
	Goroutines       int               `json:"goroutines"`
	Metrics          map[string]uint64 `json:"metrics"`
	MemStats         map[string]uint64 `json:"memstats"`
}

func handleStats(w http.ResponseWriter, r *http.Request) {
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/classes/") && d.Kind == metrics.KindUint64 {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s := stats{
		KeptBytes: keptObjects * keptSize, KeptObjects: keptObjects,
		DroppedBytes:     spikeObjects * spikeSize,
		ParkedGoroutines: parked, RecursionDepth: depth,
		Goroutines: runtime.NumGoroutine(),
		Metrics:    map[string]uint64{},
		MemStats: map[string]uint64{
			"Sys": ms.Sys, "HeapSys": ms.HeapSys, "HeapAlloc": ms.HeapAlloc,
			"HeapInuse": ms.HeapInuse, "HeapIdle": ms.HeapIdle, "HeapReleased": ms.HeapReleased,
			"HeapObjects": ms.HeapObjects, "StackInuse": ms.StackInuse, "StackSys": ms.StackSys,
			"MSpanInuse": ms.MSpanInuse, "MSpanSys": ms.MSpanSys,
			"MCacheInuse": ms.MCacheInuse, "MCacheSys": ms.MCacheSys,
			"BuckHashSys": ms.BuckHashSys, "GCSys": ms.GCSys, "OtherSys": ms.OtherSys,
			"NextGC": ms.NextGC, "NumGC": uint64(ms.NumGC), "TotalAlloc": ms.TotalAlloc,
		},
	}
	for _, m := range samples {
		s.Metrics[m.Name] = m.Value.Uint64()
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(s)
}

func main() {
	zoo.Init() // the MemProfileRate applies to the allocations below
	loadCache()
	served = rebuild()
	runtime.GC() // the rebuild is over: collect it
	for i := 0; i < parked; i++ {
		go descend(depth)
	}
	http.HandleFunc("/stats", handleStats)
	zoo.Run(10, 10*time.Millisecond, func(n int) {
		zoo.Sink = strconv.Itoa(n + served)
	})
}
