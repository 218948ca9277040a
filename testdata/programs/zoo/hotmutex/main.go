// Command hotmutex plants a hot lock: every request records the timings of
// its five stages into one shared map behind one sync.Mutex. Requests arrive
// 400 every 10 ms (40,000 a second, 200,000 records), each in its own
// goroutine as net/http would run it. Each critical section is short (a map
// update, a histogram bucket and a scan of 256 recent values, well under a
// microsecond), but every record takes the same lock, so the goroutines of a
// batch queue on it: seconds of mutex delay per second (1-7 s/s measured on
// 2 cores), from the first second on, at about a fifth of one core.
// Planted: lock-contention in (*stats).record, which is both the holder
// (mutex profile) and the waiter (block profile). Mutex and block profiling
// are on, set here as a service would set them.
package main

import (
	"runtime"
	"strconv"
	"sync"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type routeStats struct {
	count       int64
	totalNs     int64
	maxNs       int64
	buckets     [32]int64
	recent      [256]int64
	next        int
	maxRecentNs int64
}

type stats struct {
	mu      sync.Mutex
	byRoute map[string]*routeStats
}

// record adds one observation under the global lock.
func (s *stats) record(route string, ns int64) {
	s.mu.Lock()
	r := s.byRoute[route]
	if r == nil {
		r = &routeStats{}
		s.byRoute[route] = r
	}
	r.count++
	r.totalNs += ns
	if ns > r.maxNs {
		r.maxNs = ns
	}
	b := 0
	for v := ns; v > 1 && b < len(r.buckets)-1; v >>= 1 {
		b++
	}
	r.buckets[b]++
	r.recent[r.next%len(r.recent)] = ns
	r.next++
	r.maxRecentNs = 0
	for _, v := range r.recent { // the max of the last 256, recomputed on every call
		if v > r.maxRecentNs {
			r.maxRecentNs = v
		}
	}
	s.mu.Unlock()
}

var (
	metrics = &stats{byRoute: map[string]*routeStats{}}
	routes  [64]string
)

// handleRequest records the timings of a request's five stages.
func handleRequest(n int) {
	for stage := 0; stage < 5; stage++ {
		metrics.record(routes[(n+stage)%len(routes)], int64(1000+(n*31+stage*7)%100000))
	}
}

func main() {
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(10_000)
	for i := range routes {
		routes[i] = "/api/v1/items/" + strconv.Itoa(i)
	}
	zoo.Run(400, 10*time.Millisecond, func(n int) { go handleRequest(n) })
}
