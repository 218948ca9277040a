// Command rwpile plants a writer holding a sync.RWMutex across slow work: the
// routing table is reloaded every 100 ms, and reload keeps the write lock
// while it fetches the new table (a 90 ms sleep standing in for the fetch).
// Readers arrive at 2,000/s, each in its own goroutine as net/http would run
// it, and block in route's RLock: about 90 goroutines are parked on the lock
// on average (up to 180 just before reload lets go, none in the 10 ms it
// does not hold it), from the first second on.
// Planted: lock-contention and goroutine-pileup; the readers wait in
// (*routeTable).route (block profile, goroutine profile), the holder is
// (*routeTable).reload (mutex profile: the delay is charged to its Unlock).
// Mutex and block profiling are on, set here as a service would set them.
package main

import (
	"runtime"
	"strconv"
	"sync"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type routeTable struct {
	mu       sync.RWMutex
	backends map[string]string
	version  int
}

// route is the request path: a map read under the read lock.
func (t *routeTable) route(host string) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.backends[host]
}

// reload fetches the new table while holding the write lock: the bug is
// fetching under the lock instead of building the new map first and
// swapping it in.
func (t *routeTable) reload() {
	t.mu.Lock()
	t.version++
	time.Sleep(90 * time.Millisecond) // the fetch from the config service
	for i := 0; i < 256; i++ {
		t.backends["host-"+strconv.Itoa(i)] = "10.0.0." + strconv.Itoa(i%250) + ":8080"
	}
	t.mu.Unlock()
}

func (t *routeTable) reloadEvery(d time.Duration) {
	for range time.Tick(d) {
		t.reload()
	}
}

var table = &routeTable{backends: map[string]string{}}

func handleProxy(n int) {
	zoo.Sink = table.route("host-" + strconv.Itoa(n%256))
}

func main() {
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(10_000) // one blocking event per 10 µs blocked, on average
	go table.reloadEvery(100 * time.Millisecond)
	zoo.Run(20, 10*time.Millisecond, func(n int) { go handleProxy(n) })
}
