// Package zoo runs a planted-bug program as a small service: it serves
// net/http/pprof and expvar on 127.0.0.1 and either calls the program's
// "request" handler at a fixed rate (Run) or sends real HTTP requests to the
// program's own handlers over loopback (Load), so profiles taken at intervals
// show how the planted problem develops under load.
package zoo

import (
	_ "expvar" // /debug/vars with memstats
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	_ "net/http/pprof" // /debug/pprof/heap, /debug/pprof/allocs, mutex, block, goroutine, trace
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var (
	addrFlag  = flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	memRate   = flag.Int("memprofilerate", 64<<10, "runtime.MemProfileRate")
	mutexFrac = flag.Int("mutexprofilefraction", -1, "runtime.SetMutexProfileFraction; -1 leaves the program's own setting")
	blockRate = flag.Int("blockprofilerate", -1, "runtime.SetBlockProfileRate; -1 leaves the program's own setting")
	initOnce  sync.Once
)

// Init parses the command line and applies the profiling rates. Serve and Run
// call it; a program that allocates before it serves calls it first, so that
// those allocations are sampled at the MemProfileRate its heap profile reports.
func Init() {
	initOnce.Do(func() {
		flag.Parse()
		runtime.MemProfileRate = *memRate
		if *mutexFrac >= 0 {
			runtime.SetMutexProfileFraction(*mutexFrac)
		}
		if *blockRate >= 0 {
			runtime.SetBlockProfileRate(*blockRate)
		}
	})
}

// Serve serves http.DefaultServeMux (the debug endpoints and whatever the
// program registered) on the -addr address, prints that address as the first
// line of output and returns it.
func Serve() string {
	Init()
	ln, err := net.Listen("tcp", *addrFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	addr := ln.Addr().String()
	fmt.Println(addr)
	go func() {
		if err := http.Serve(ln, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}()
	return addr
}

// Run serves the debug endpoints and calls handle(n) for n = 0, 1, 2, …
// perTick times every tick, until the process is killed. It prints the
// address it listens on as its first line of output.
func Run(perTick int, tick time.Duration, handle func(n int)) {
	Serve()
	n := 0
	for range time.Tick(tick) {
		for i := 0; i < perTick; i++ {
			handle(n)
			n++
		}
	}
}

// Load is the service's traffic: clients goroutines each send GET
// http://addr+path(n) (n = 0, 1, 2, … across all of them), read the whole
// response, and send the next request every interval, until the process is
// killed. Connections are kept alive, as a proxy in front of a service keeps
// them, so the handlers run under net/http.(*conn).serve. Pacing sleeps
// rather than waits on a ticker, which keeps the clients out of the block
// profile except for net/http's own waits.
func Load(addr string, clients int, every time.Duration, path func(n int) string) {
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true},
		Timeout:   time.Minute,
	}
	var n atomic.Int64
	var failures atomic.Int64
	for i := 0; i < clients; i++ {
		go func() {
			next := time.Now()
			for {
				resp, err := client.Get("http://" + addr + path(int(n.Add(1)-1)))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil && failures.Add(1) <= 10 {
					fmt.Fprintln(os.Stderr, "load:", err)
				}
				next = next.Add(every)
				if d := time.Until(next); d > 0 {
					time.Sleep(d)
				} else {
					next = time.Now() // fell behind: do not burst to catch up
				}
			}
		}()
	}
	select {}
}

// Sink keeps a value reachable just long enough that the compiler cannot
// keep it on the stack; it is overwritten by the next call.
var Sink any
