// Command leakprofile leaks goroutines the ways Go 1.26's goroutine leak
// detector can prove (GOEXPERIMENT=goroutineleakprofile: a goroutine blocked
// on a channel or lock that nothing reachable can ever touch) and one way it
// cannot (receivers on a package-level channel: always reachable), then
// writes the goroutineleak profile in its three forms.
//
// Usage: leakprofile OUTDIR
//
// Writes OUTDIR/goroutineleak.txt (debug=1), goroutineleak.pb.gz (proto) and
// goroutineleak.debug2.txt (debug=2: every goroutine, the leaked ones marked
// "(leaked)"), and prints to stdout a JSON object: per function, how many
// goroutines it parked and whether the runtime can prove them leaked.
// Built without the experiment it exits 3: the profile does not exist.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type parked struct {
	Func   string `json:"func"`
	State  string `json:"state"`
	Count  int    `json:"count"`
	Leaked bool   `json:"leaked"` // the runtime can prove it: nothing reachable can wake it
}

var (
	truth   []parked
	started sync.WaitGroup
	// Package-level: always reachable, so the detector never calls these waiters leaked.
	shutdown = make(chan struct{})
)

func spawn(fn, state string, n int, leaked bool, start func()) {
	truth = append(truth, parked{fn, state, n, leaked})
	started.Add(n)
	for i := 0; i < n; i++ {
		go start()
	}
}

// fetch gives up after a timeout, but the goroutine computing the answer
// sends on an unbuffered channel nobody will read again: the classic leak.
//
//go:noinline
func fetch(key int) (int, bool) {
	result := make(chan int)
	go compute(key, result)
	select {
	case v := <-result:
		return v, true
	case <-time.After(time.Millisecond):
		return 0, false
	}
}

//go:noinline
func compute(key int, out chan<- int) {
	started.Done()
	time.Sleep(5 * time.Millisecond)
	out <- key * key
}

// consume ranges over a channel its producer forgot to close and dropped.
//
//go:noinline
func consume(in <-chan string) {
	started.Done()
	for s := range in {
		_ = s
	}
}

// lockedOut waits for a lock whose holder returned without unlocking.
//
//go:noinline
func lockedOut(mu *sync.Mutex) {
	started.Done()
	mu.Lock()
}

// waitShutdown waits for a package-level channel: reachable, never proven leaked.
//
//go:noinline
func waitShutdown() {
	started.Done()
	<-shutdown
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: leakprofile OUTDIR")
		os.Exit(2)
	}
	prof := pprof.Lookup("goroutineleak")
	if prof == nil {
		fmt.Fprintln(os.Stderr, "no goroutineleak profile: build with GOEXPERIMENT=goroutineleakprofile (Go 1.26+)")
		os.Exit(3)
	}
	out := os.Args[1]

	truth = append(truth, parked{"main.compute", "chan send", 20, true})
	started.Add(20)
	for i := 0; i < 20; i++ {
		fetch(i)
	}
	spawn("main.consume", "chan receive", 15, true, func() { consume(make(chan string)) })
	spawn("main.lockedOut", "sync.Mutex.Lock", 6, true, func() {
		mu := new(sync.Mutex)
		mu.Lock()
		lockedOut(mu)
	})
	spawn("main.waitShutdown", "chan receive", 12, false, waitShutdown)
	started.Wait()
	time.Sleep(50 * time.Millisecond) // compute's sleep ends; every goroutine reaches its blocking call
	runtime.GC()

	write := func(name string, debug int) {
		f, err := os.Create(filepath.Join(out, name))
		if err != nil {
			panic(err)
		}
		if err := prof.WriteTo(f, debug); err != nil {
			panic(err)
		}
		if err := f.Close(); err != nil {
			panic(err)
		}
	}
	write("goroutineleak.txt", 1)
	write("goroutineleak.pb.gz", 0)
	write("goroutineleak.debug2.txt", 2)
	b, _ := json.Marshal(map[string]any{"groups": truth})
	fmt.Println(string(b))
}
