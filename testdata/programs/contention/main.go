// Command contention plants mutex and block profiles: goroutines contend on a
// few mutexes from different call paths and block on channels, a
// sync.WaitGroup, a sync.Cond and select.
//
// Usage: contention OUTDIR
// Writes OUTDIR/mutex.pb.gz, OUTDIR/mutex.txt (debug=1), OUTDIR/block.pb.gz
// and OUTDIR/block.txt (debug=1).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type account struct {
	mu      sync.Mutex
	balance int
}

type ledger struct {
	mu      sync.RWMutex
	entries []int
}

var (
	accounts = [3]*account{{}, {}, {}}
	book     ledger
	sink     int
)

// spin burns a little CPU while a lock is held, so others have to wait.
//
//go:noinline
func spin(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x += i * i
	}
	return x
}

// deposit and withdraw contend on the same account mutex from different paths.
//
//go:noinline
func deposit(a *account, v int) {
	a.mu.Lock()
	a.balance += v
	sink += spin(2000)
	a.mu.Unlock()
}

//go:noinline
func withdraw(a *account, v int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance -= v
	sink += spin(4000)
}

//go:noinline
func transfer(from, to *account, v int) {
	withdraw(from, v)
	deposit(to, v)
}

//go:noinline
func audit() int {
	total := 0
	for _, a := range accounts {
		a.mu.Lock()
		total += a.balance
		time.Sleep(50 * time.Microsecond)
		a.mu.Unlock()
	}
	return total
}

//go:noinline
func appendEntry(v int) {
	book.mu.Lock()
	book.entries = append(book.entries, v)
	sink += spin(20000)
	book.mu.Unlock()
}

//go:noinline
func readEntries() int {
	book.mu.RLock()
	defer book.mu.RUnlock()
	return len(book.entries) + spin(5000)
}

// producer/consumer: a slow consumer makes producers block on send.
//
//go:noinline
func produce(ch chan<- int, n int) {
	for i := 0; i < n; i++ {
		ch <- i
	}
}

//go:noinline
func consumeSlowly(ch <-chan int, done chan<- struct{}) {
	for v := range ch {
		sink += v
		time.Sleep(200 * time.Microsecond)
	}
	close(done)
}

// waitForTick blocks in a select until a timer fires.
//
//go:noinline
func waitForTick(d time.Duration) {
	t := time.NewTimer(d)
	stop := make(chan struct{})
	select {
	case <-t.C:
	case <-stop:
	}
}

//go:noinline
func waitAll(wg *sync.WaitGroup) {
	wg.Wait()
}

// queue is a tiny sync.Cond based work queue: the consumer waits on the
// condition variable whenever the queue is empty.
type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
	done  bool
}

//go:noinline
func (q *queue) push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

//go:noinline
func (q *queue) pop() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.done {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return 0, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}

//go:noinline
func condHandoff(rounds int) {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				v, ok := q.pop()
				if !ok {
					return
				}
				sink += v
			}
		}()
	}
	for r := 0; r < rounds; r++ {
		time.Sleep(200 * time.Microsecond)
		q.push(r)
	}
	q.mu.Lock()
	q.done = true
	q.mu.Unlock()
	q.cond.Broadcast()
	waitAll(&wg)
}

func write(dir, name, file string, debug int) {
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: contention OUTDIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)

	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				a, b := accounts[(w+i)%3], accounts[(w+i+1)%3]
				transfer(a, b, 1)
				if i%50 == 0 {
					sink += audit()
				}
			}
		}(w)
	}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				if i%4 == 0 {
					appendEntry(i)
				} else {
					sink += readEntries()
				}
			}
		}()
	}

	ch := make(chan int)
	done := make(chan struct{})
	for p := 0; p < 3; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			produce(ch, 200)
		}()
	}
	go consumeSlowly(ch, done)

	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			waitForTick(time.Millisecond)
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		condHandoff(50)
	}()

	waitAll(&wg)
	close(ch)
	<-done

	write(dir, "mutex", "mutex.pb.gz", 0)
	write(dir, "mutex", "mutex.txt", 1)
	write(dir, "block", "block.pb.gz", 0)
	write(dir, "block", "block.txt", 1)
}
