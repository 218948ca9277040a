// Command rlockpile is a router whose table reload keeps the write lock of
// the table's sync.RWMutex while it waits for a config service that never
// answers: every request then piles up in RLock. It writes the goroutine
// profile at one moment in the three forms, so they can be compared.
//
// Usage: rlockpile OUTDIR
//
// Writes OUTDIR/goroutine.debug2.txt (debug=2), goroutine.txt (debug=1) and
// goroutine.pb.gz (proto), back to back while nothing moves (every goroutine
// is parked), and prints to stdout a JSON object: per function, how many
// goroutines it parked, in which state, and which one holds the lock.
//
// Besides the 235 readers (200 proxy requests, 35 status requests) and the
// reload holding the lock, 16 cache warmers read the table earlier and now
// wait for their next job: the table's address is still in their frames,
// where the runtime prints it with "?" (a value it cannot vouch for).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"
)

type routeTable struct {
	mu      sync.RWMutex
	routes  map[string]string
	version int
}

type parked struct {
	Func  string `json:"func"`
	State string `json:"state"`
	Count int    `json:"count"`
}

var (
	table       = &routeTable{routes: map[string]string{"a": "10.0.0.1:80"}}
	configReply = make(chan map[string]string) // the config service never answers
	warmJobs    = make(chan struct{})          // no more warm-up rounds come
	started     sync.WaitGroup
	truth       []parked
)

//go:noinline
func (t *routeTable) lookup(host string) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.routes[host]
}

// reload holds the write lock while it waits for the new table: the bug.
//
//go:noinline
func (t *routeTable) reload(locked chan<- struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	close(locked)
	started.Done()
	t.routes = <-configReply
	t.version++
}

//go:noinline
func handleProxy(req int) string {
	started.Done()
	return table.lookup("host-" + strconv.Itoa(req%64))
}

//go:noinline
func handleStatus(req int) string {
	started.Done()
	return table.lookup("a") + strconv.Itoa(req)
}

// warm looks up a batch of hosts, then waits for a signal to start over.
// The table pointer is dead once the batch is done, but its frame keeps a
// stale copy, which the runtime prints with "?".
//
//go:noinline
func warm(t *routeTable, hosts []string) int {
	n := 0
	for _, h := range hosts {
		n += len(t.lookup(h))
	}
	started.Done()
	<-warmJobs
	return n
}

func spawn(fn, state string, n int, start func(i int)) {
	truth = append(truth, parked{fn, state, n})
	started.Add(n)
	for i := 0; i < n; i++ {
		go start(i)
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: rlockpile OUTDIR")
		os.Exit(2)
	}
	out := os.Args[1]
	spawn("main.warm", "chan receive", 16, func(i int) { warm(table, []string{"a", "host-" + strconv.Itoa(i)}) })
	started.Wait()
	locked := make(chan struct{})
	spawn("main.(*routeTable).reload", "chan receive", 1, func(int) { table.reload(locked) })
	<-locked
	spawn("main.handleProxy", "sync.RWMutex.RLock", 200, func(i int) { handleProxy(i) })
	spawn("main.handleStatus", "sync.RWMutex.RLock", 35, func(i int) { handleStatus(i) })
	started.Wait()
	time.Sleep(200 * time.Millisecond) // the last readers reach RLock

	prof := pprof.Lookup("goroutine")
	for _, w := range []struct {
		name  string
		debug int
	}{{"goroutine.debug2.txt", 2}, {"goroutine.txt", 1}, {"goroutine.pb.gz", 0}} {
		f, err := os.Create(filepath.Join(out, w.name))
		if err != nil {
			panic(err)
		}
		if err := prof.WriteTo(f, w.debug); err != nil {
			panic(err)
		}
		if err := f.Close(); err != nil {
			panic(err)
		}
	}
	b, _ := json.Marshal(map[string]any{"groups": truth, "holder": "main.(*routeTable).reload"})
	fmt.Println(string(b))
}
