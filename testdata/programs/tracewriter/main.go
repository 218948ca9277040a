// Command tracewriter writes a Go execution trace of a workload that exercises
// what footprint trace reports: GC cycles with mark assists (allocation-heavy
// goroutines), many short-lived goroutines, blocking on channels, mutexes and
// sleeps, and syscalls (pipe writes and reads).
//
//	tracewriter -out t.trace -dur 1s -workers 4 -churn 2000
//	tracewriter -out t.trace -dur 60s -size 40000000   (stops once the trace holds 40 MB)
package main

import (
	"flag"
	"log"
	"os"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	out := flag.String("out", "trace.out", "trace file to write")
	dur := flag.Duration("dur", time.Second, "how long the workload runs")
	workers := flag.Int("workers", 4, "allocating goroutines")
	churn := flag.Int("churn", 2000, "short-lived goroutines started per 10 ms")
	size := flag.Int64("size", 0, "stop once the trace file holds this many bytes (0: run for -dur)")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	deadline := time.Now().Add(*dur)
	var full atomic.Bool
	running := func() bool { return !full.Load() && time.Now().Before(deadline) }
	if *size > 0 {
		// How fast a trace grows depends on the machine: a size limit gives the same file size everywhere.
		go func() {
			for running() {
				if st, err := f.Stat(); err == nil && st.Size() >= *size {
					full.Store(true)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	var wg sync.WaitGroup
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); allocate(running) }()
	}
	wg.Add(3)
	go func() { defer wg.Done(); spawn(running, *churn) }()
	go func() { defer wg.Done(); pingPong(running) }()
	go func() { defer wg.Done(); syscalls(running) }()
	wg.Wait()
	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// sink keeps allocations reachable for a while so the heap has a live part and
// the GC has marking to do (which makes allocating goroutines assist).
var sink [4096][]byte

func allocate(running func() bool) {
	for i := 0; running(); i++ {
		for j := 0; j < 1000; j++ {
			sink[(i*1000+j)%len(sink)] = make([]byte, 64+j%2048)
		}
	}
}

// spawn starts batches of goroutines that block on a mutex and a channel, then end.
func spawn(running func() bool, n int) {
	var mu sync.Mutex
	for running() {
		done := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mu.Lock()
				mu.Unlock()
				<-done
			}()
		}
		close(done)
		wg.Wait()
		time.Sleep(10 * time.Millisecond)
	}
}

func pingPong(running func() bool) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	for v := 0; running(); v++ {
		ping <- v
		<-pong
		if v%100 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	close(ping)
	for range pong {
	}
}

func syscalls(running func() bool) {
	r, w, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, 512)
	for running() {
		if _, err := w.Write(buf); err != nil {
			log.Fatal(err)
		}
		if _, err := r.Read(buf); err != nil {
			log.Fatal(err)
		}
		time.Sleep(500 * time.Microsecond)
	}
	r.Close()
	w.Close()
}
