// Command lockpile plants a lock held across slow work: a registry behind one
// sync.Mutex is flushed every 100 ms, and flush keeps the lock while it
// writes the entries out (a 90 ms sleep standing in for the I/O). Requests
// arrive at 2,000/s, each in its own goroutine as net/http would run it, and
// block in lookup's Lock while flush holds it: about 90 goroutines are parked
// on the mutex on average (up to 180 just before flush lets go, none in the
// 10 ms it does not hold it), from the first second on.
// Planted: lock-contention and goroutine-pileup; the waiters are in
// (*registry).lookup (block profile, goroutine profile), the holder is
// (*registry).flush (mutex profile: the delay is charged to its Unlock).
// Mutex and block profiling are on, set here as a service would set them.
package main

import (
	"runtime"
	"strconv"
	"sync"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type entry struct {
	name    string
	version int
	hits    int
}

type registry struct {
	mu      sync.Mutex
	entries map[string]*entry
	written int
}

// lookup is the request path: a map read under the registry's lock.
func (r *registry) lookup(name string) *entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.entries[name]
	if e != nil {
		e.hits++
	}
	return e
}

// flush writes every entry out while holding the lock: the bug is doing the
// slow write under the lock instead of copying the entries and writing after
// Unlock.
func (r *registry) flush() {
	r.mu.Lock()
	for _, e := range r.entries {
		r.written += e.version
	}
	time.Sleep(90 * time.Millisecond) // the write to disk
	r.mu.Unlock()
}

func (r *registry) flushEvery(d time.Duration) {
	for range time.Tick(d) {
		r.flush()
	}
}

var reg = &registry{entries: map[string]*entry{}}

func handleLookup(n int) {
	if e := reg.lookup("svc-" + strconv.Itoa(n%512)); e != nil {
		zoo.Sink = e
	}
}

func main() {
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(10_000) // one blocking event per 10 µs blocked, on average
	for i := 0; i < 512; i++ {
		name := "svc-" + strconv.Itoa(i)
		reg.entries[name] = &entry{name: name, version: i}
	}
	go reg.flushEvery(100 * time.Millisecond)
	zoo.Run(20, 10*time.Millisecond, func(n int) { go handleLookup(n) })
}
