// Package zoo runs a planted-bug program as a small service: it serves
// net/http/pprof and expvar on 127.0.0.1 and calls the program's "request"
// handler at a fixed rate, so heap snapshots taken at intervals show how the
// planted problem develops under load.
package zoo

import (
	_ "expvar" // /debug/vars with memstats
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof" // /debug/pprof/heap, /debug/pprof/allocs
	"os"
	"runtime"
	"time"
)

// Run serves the debug endpoints and calls handle(n) for n = 0, 1, 2, …
// perTick times every tick, until the process is killed. It prints the
// address it listens on as its first line of output.
func Run(perTick int, tick time.Duration, handle func(n int)) {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	rate := flag.Int("memprofilerate", 64<<10, "runtime.MemProfileRate")
	flag.Parse()
	runtime.MemProfileRate = *rate
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().String())
	go func() {
		if err := http.Serve(ln, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}()
	n := 0
	for range time.Tick(tick) {
		for i := 0; i < perTick; i++ {
			handle(n)
			n++
		}
	}
}

// Sink keeps a value reachable just long enough that the compiler cannot
// keep it on the stack; it is overwritten by the next call.
var Sink any
