// Command goroutines parks goroutines in many different states and then
// writes the goroutine profile in all three formats back to back.
//
// Usage: goroutines OUTDIR
// Writes OUTDIR/goroutine.pb.gz (debug=0), OUTDIR/goroutine.txt (debug=1) and
// OUTDIR/goroutine.debug2.txt (debug=2).
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	never     = make(chan int)       // nobody ever sends or receives here
	neverBuf  = make(chan string, 1) // buffered, filled once, then senders block
	quit      = make(chan struct{})  // closed never (the process exits)
	mu        sync.Mutex             // held by main while profiling
	rw        sync.RWMutex           // write-locked by main while profiling
	cond      = sync.NewCond(&sync.Mutex{})
	wgPending sync.WaitGroup // never reaches zero
	started   sync.WaitGroup // counts goroutines that are about to park
)

//go:noinline
func chanSender(v int) {
	started.Done()
	never <- v
}

//go:noinline
func chanReceiver() int {
	started.Done()
	return <-never
}

//go:noinline
func bufferedSender(s string) {
	started.Done()
	neverBuf <- s
}

//go:noinline
func selectLoop() {
	started.Done()
	select {
	case <-never:
	case <-quit:
	}
}

//go:noinline
func sleeper(d time.Duration) {
	started.Done()
	time.Sleep(d)
}

//go:noinline
func tickerLoop() {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	started.Done()
	for {
		select {
		case <-t.C:
		case <-quit:
			return
		}
	}
}

//go:noinline
func mutexWaiter() {
	started.Done()
	mu.Lock()
	defer mu.Unlock()
}

//go:noinline
func rlockWaiter() {
	started.Done()
	rw.RLock()
	defer rw.RUnlock()
}

//go:noinline
func condWaiter() {
	cond.L.Lock()
	started.Done()
	cond.Wait()
	cond.L.Unlock()
}

//go:noinline
func waitGroupWaiter() {
	started.Done()
	wgPending.Wait()
}

//go:noinline
func acceptLoop(ln net.Listener) {
	started.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go serveConn(c)
	}
}

//go:noinline
func serveConn(c net.Conn) {
	buf := make([]byte, 512)
	started.Done()
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

//go:noinline
func clientRead(c net.Conn) {
	buf := make([]byte, 512)
	started.Done()
	_, _ = c.Read(buf)
}

// nested makes deeper goroutine stacks before parking.
//
//go:noinline
func nested(depth int) {
	if depth == 0 {
		chanReceiver()
		return
	}
	nested(depth - 1)
}

func spawn(n int, f func()) {
	started.Add(n)
	for i := 0; i < n; i++ {
		go f()
	}
}

func write(dir, file string, debug int) {
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup("goroutine").WriteTo(f, debug); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: goroutines OUTDIR")
		os.Exit(2)
	}
	dir := os.Args[1]

	mu.Lock()
	rw.Lock()
	wgPending.Add(1)
	neverBuf <- "full"

	spawn(3, func() { chanSender(1) })
	spawn(4, func() { chanReceiver() })
	spawn(2, func() { bufferedSender("x") })
	spawn(2, selectLoop)
	spawn(3, func() { sleeper(time.Hour) })
	spawn(1, tickerLoop)
	spawn(5, mutexWaiter)
	spawn(2, rlockWaiter)
	spawn(2, condWaiter)
	spawn(2, waitGroupWaiter)
	spawn(2, func() { nested(12) })

	// Labelled goroutines: labels set by pprof.Do are inherited by the
	// goroutines started inside it.
	pprof.Do(context.Background(), pprof.Labels("pool", "io", "shard", "1"), func(ctx context.Context) {
		spawn(3, func() { chanReceiver() })
		spawn(1, func() { sleeper(time.Hour) })
	})
	pprof.Do(context.Background(), pprof.Labels("pool", "cpu"), func(ctx context.Context) {
		spawn(2, func() { chanReceiver() })
		spawn(2, mutexWaiter)
	})

	// Network I/O on the loopback interface only.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	pprof.Do(context.Background(), pprof.Labels("pool", "net"), func(ctx context.Context) {
		spawn(1, func() { acceptLoop(ln) })
		for i := 0; i < 2; i++ {
			started.Add(1) // for serveConn, started by acceptLoop
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				panic(err)
			}
			spawn(1, func() { clientRead(c) })
		}
	})

	started.Wait()
	// Give every goroutine time to actually park.
	time.Sleep(300 * time.Millisecond)

	write(dir, "goroutine.pb.gz", 0)
	write(dir, "goroutine.txt", 1)
	write(dir, "goroutine.debug2.txt", 2)
}
