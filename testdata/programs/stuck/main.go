// Command stuck leaves goroutines blocked in every common state, so that the
// goroutine dumps footprint reads come from a real process, and prints how
// many goroutines it parked where (the truth the tests compare against).
//
// Usage:
//
//	stuck serve            park goroutines, run contention, serve /debug/pprof on 127.0.0.1
//	stuck many N           park N leaked receivers (3 parents) + N/20 selects, serve
//	stuck panic            a goroutine started by a goroutine panics (run with tracebackancestors)
//
// In serve and many modes the first stdout line is the listen address and the
// second a JSON object {"groups":[...]} naming each parked group's function,
// expected state, count and creator; GET /truth returns it again. GET
// /leak?n=K parks K more chan receivers (a leak that grows between two dumps). The process exits by itself after 10 minutes.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// group is one line of the truth the program prints.
type group struct {
	Func    string `json:"func"`    // the goroutine's own (user) function where it blocks
	State   string `json:"state"`   // the state Go 1.26 prints (1.23 prints semacquire for WaitGroup)
	Count   int    `json:"count"`   // how many were started
	Creator string `json:"creator"` // the function whose go statement started them
}

var (
	truth   []group
	parked  sync.WaitGroup // every parked goroutine calls Done just before blocking
	never   = make(chan int) // nobody sends: receivers wait forever
	unread  = make(chan int) // nobody receives: senders wait forever
	quit    = make(chan struct{})
	mu      sync.Mutex // held forever by lockHolder: the pile-up
	rw      sync.RWMutex
	cond    = sync.NewCond(&sync.Mutex{})
	pending sync.WaitGroup // never reaches zero
	truthMu sync.Mutex // guards truth once the server runs
)

func spawn(fn string, state string, n int, start func(i int)) {
	truth = append(truth, group{fn, state, n, "main.spawn"})
	parked.Add(n)
	for i := 0; i < n; i++ {
		go start(i)
	}
}

//go:noinline
func chanSender(v int) {
	parked.Done()
	unread <- v
}

//go:noinline
func chanReceiver() int {
	parked.Done()
	return <-never
}

//go:noinline
func leakyReceiver(ch chan int) int {
	parked.Done()
	return <-ch
}

//go:noinline
func selectWait() {
	parked.Done()
	select {
	case <-never:
	case <-quit:
	}
}

//go:noinline
func sleeper(d time.Duration) {
	parked.Done()
	time.Sleep(d)
}

//go:noinline
func tickerLoop() {
	t := time.NewTicker(time.Hour) // never stopped: the loop never ends
	parked.Done()
	for range t.C {
	}
}

//go:noinline
func lockHolder(m *sync.Mutex, ready chan<- struct{}) {
	m.Lock()
	close(ready)
	parked.Done()
	<-never // blocks while holding m
	m.Unlock()
}

//go:noinline
func lockWaiter(m *sync.Mutex) {
	parked.Done()
	m.Lock()
	m.Unlock()
}

//go:noinline
func readLockWaiter() {
	parked.Done()
	rw.RLock()
	rw.RUnlock()
}

//go:noinline
func condWaiter() {
	cond.L.Lock()
	parked.Done()
	cond.Wait()
	cond.L.Unlock()
}

//go:noinline
func groupWaiter() {
	parked.Done()
	pending.Wait()
}

//go:noinline
func nilChanReceiver() {
	var ch chan int
	parked.Done()
	<-ch
}

//go:noinline
func selectForever() {
	parked.Done()
	select {}
}

//go:noinline
func lockedReceiver() {
	runtime.LockOSThread()
	parked.Done()
	<-never
}

//go:noinline
func deep(n int, a, b int) int {
	if n == 0 {
		parked.Done()
		return <-never + a + b
	}
	return deep(n-1, a+1, b) + 1
}

//go:noinline
func manyArgs(a, b, c, d, e, f, g, h, i, j, k, l int) int {
	parked.Done()
	return <-never + a + b + c + d + e + f + g + h + i + j + k + l
}

//go:noinline
func genericWait[T any](v T) T {
	parked.Done()
	<-never
	return v
}

//go:noinline
func connReader(c net.Conn) {
	parked.Done()
	buf := make([]byte, 1)
	c.Read(buf)
}

// parents starts n goroutines at one site from each of p different parent
// goroutines: the same leak, created "in goroutine" p different ids.
func parents(fn string, p, n int, ch chan int) {
	truth = append(truth, group{fn, "chan receive", p * n, "main.parents.func1"})
	parked.Add(p * n)
	var started sync.WaitGroup
	started.Add(p)
	for j := 0; j < p; j++ {
		go func() {
			for i := 0; i < n; i++ {
				go leakyReceiver(ch)
			}
			started.Done()
		}()
	}
	started.Wait()
}

func parkAll() {
	spawn("main.chanSender", "chan send", 7, func(i int) { chanSender(i) })
	spawn("main.chanReceiver", "chan receive", 11, func(int) { chanReceiver() })
	parents("main.leakyReceiver", 4, 10, make(chan int))
	spawn("main.selectWait", "select", 13, func(int) { selectWait() })
	spawn("main.sleeper", "sleep", 5, func(int) { sleeper(time.Hour) })
	spawn("main.tickerLoop", "chan receive", 3, func(int) { tickerLoop() })
	ready := make(chan struct{})
	spawn("main.lockHolder", "chan receive", 1, func(int) { lockHolder(&mu, ready) })
	<-ready
	spawn("main.lockWaiter", "sync.Mutex.Lock", 25, func(int) { lockWaiter(&mu) })
	rw.Lock() // held by main from here on: readers pile up
	spawn("main.readLockWaiter", "sync.RWMutex.RLock", 3, func(int) { readLockWaiter() })
	spawn("main.condWaiter", "sync.Cond.Wait", 2, func(int) { condWaiter() })
	pending.Add(1)
	spawn("main.groupWaiter", "sync.WaitGroup.Wait", 4, func(int) { groupWaiter() })
	spawn("main.nilChanReceiver", "chan receive (nil chan)", 2, func(int) { nilChanReceiver() })
	spawn("main.selectForever", "select (no cases)", 1, func(int) { selectForever() })
	spawn("main.lockedReceiver", "chan receive", 2, func(int) { lockedReceiver() })
	spawn("main.deep", "chan receive", 1, func(int) { deep(150, 1, 2) })
	spawn("main.manyArgs", "chan receive", 1, func(i int) { manyArgs(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11) })
	spawn("main.genericWait[...]", "chan receive", 1, func(int) { genericWait("x") })
	parkConnections(6)
}

// parkConnections opens n loopback connections whose both ends wait to read.
func parkConnections(n int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	var accepted []net.Conn
	done := make(chan struct{})
	go func() {
		for i := 0; i < n; i++ {
			c, err := ln.Accept()
			if err != nil {
				panic(err)
			}
			accepted = append(accepted, c)
		}
		close(done)
	}()
	var dialled []net.Conn
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			panic(err)
		}
		dialled = append(dialled, c)
	}
	<-done
	ln.Close()
	spawn("main.connReader", "IO wait", 2*n, func(i int) {
		if i < n {
			connReader(accepted[i])
		} else {
			connReader(dialled[i-n])
		}
	})
}

// contend makes real mutex and block profile samples: two call sites share
// one lock, deposit computing under it and audit sleeping under it (I/O
// under a lock), and a consumer blocks on a channel. The mutex profile
// fraction stays set so the profile reports its sampling period.
func contend() {
	runtime.SetMutexProfileFraction(2)
	runtime.SetBlockProfileRate(1000)
	var accounts sync.Mutex
	balance := map[int]int{}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if i%4 == 0 {
					audit(&accounts, balance, i)
				} else {
					deposit(&accounts, balance, i)
				}
			}
		}()
	}
	queue := make(chan int)
	go func() {
		for i := 0; i < 200; i++ {
			time.Sleep(50 * time.Microsecond)
			queue <- i
		}
		close(queue)
	}()
	for range queue {
	}
	wg.Wait()
	runtime.SetBlockProfileRate(0)
}

//go:noinline
func deposit(mu *sync.Mutex, m map[int]int, i int) {
	mu.Lock()
	m[i%64] += spin(20000)
	mu.Unlock()
}

//go:noinline
func audit(mu *sync.Mutex, m map[int]int, i int) {
	mu.Lock()
	time.Sleep(100 * time.Microsecond) // stands for I/O done while holding the lock
	m[i%64] -= i
	mu.Unlock()
}

//go:noinline
func spin(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x += i * i
	}
	return x
}

func parkMany(n int) {
	parents("main.leakyReceiver", 3, n/3, make(chan int))
	spawn("main.selectWait", "select", n/20, func(int) { selectWait() })
}

// listen prints the address first, so the capture script can find the server.
func listen() net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(ln.Addr().String())
	return ln
}

func serve(ln net.Listener) {
	http.HandleFunc("/leak", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		truthMu.Lock()
		truth = append(truth, group{"main.leakyReceiver", "chan receive", n, "main.serve.func1"})
		truthMu.Unlock()
		parked.Add(n)
		ch := make(chan int)
		for i := 0; i < n; i++ {
			go leakyReceiver(ch)
		}
		parked.Wait()
		fmt.Fprintf(w, "%d\n", n)
	})
	http.HandleFunc("/truth", func(w http.ResponseWriter, r *http.Request) {
		truthMu.Lock()
		defer truthMu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"groups": truth})
	})
	http.HandleFunc("/gc", func(w http.ResponseWriter, r *http.Request) {
		runtime.GC() // stamps blocked goroutines' wait start, so later dumps print minutes
		fmt.Fprintln(w, "ok")
	})
	go func() {
		time.Sleep(10 * time.Minute)
		os.Exit(0)
	}()
	http.Serve(ln, nil)
}

func printTruth() {
	parked.Wait()
	time.Sleep(100 * time.Millisecond) // let the last Done-ers reach their blocking call
	b, _ := json.Marshal(map[string]any{"groups": truth})
	fmt.Println(string(b))
}

func main() {
	mode := "serve"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "serve":
		contend()
		parkAll()
		ln := listen()
		printTruth()
		serve(ln)
	case "many":
		n, _ := strconv.Atoi(os.Args[2])
		parkMany(n)
		ln := listen()
		printTruth()
		serve(ln)
	case "panic":
		panicInChild()
	default:
		fmt.Fprintln(os.Stderr, "usage: stuck serve|many N|panic")
		os.Exit(2)
	}
}

// panicInChild panics two goroutines deep, so tracebackancestors shows where it came from.
func panicInChild() {
	done := make(chan struct{})
	go func() {
		go func() {
			var m map[string]int
			m["x"]++ // nil map write: panics
			close(done)
		}()
		<-done
	}()
	<-done
}
