// Command crashlog is a small service that logs every request it handles to
// stderr, as services do, and then dies with a goroutine dump at the end of a
// long log: the input `footprint goroutines crash.log` gets from users.
//
// Usage:
//
//	crashlog panic        log ~100 KiB of requests, then a request handler panics (nil map write)
//	crashlog signals      log, and on SIGUSR1 write every goroutine's stack to stderr (a
//	                      "dump on signal" handler, as many services install) and go on
//	                      logging; SIGQUIT then ends it with the runtime's own dump
//
// Both park workers first: 12 idle workers waiting for jobs (chan receive), 8
// request goroutines waiting for a reply nobody sends (chan receive), 5
// goroutines queued on the session mutex held by a stuck flusher. The first
// stdout line is a JSON object with those counts, what the program printed
// (bytes of log before each dump) and, in signals mode, "ready" when the
// first signal may be sent and "logged" lines after each further batch.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

type sessionStore struct {
	mu       sync.Mutex
	sessions map[string]int
}

var (
	jobs      = make(chan int)
	replies   = make(chan string)
	stuckIO   = make(chan struct{})
	store     = &sessionStore{}
	parked    sync.WaitGroup
	logged    int // bytes written by the logger
	loggedMu  sync.Mutex
	requestID int
)

type countingWriter struct{}

func (countingWriter) Write(p []byte) (int, error) {
	loggedMu.Lock()
	logged += len(p)
	loggedMu.Unlock()
	return os.Stderr.Write(p)
}

//go:noinline
func worker(id int) {
	parked.Done()
	for j := range jobs {
		_ = j * id
	}
}

//go:noinline
func awaitReply(req int) string {
	parked.Done()
	return fmt.Sprint(req, <-replies)
}

// flush holds the session lock while it waits on a write that never completes.
//
//go:noinline
func (s *sessionStore) flush(ready chan<- struct{}) {
	s.mu.Lock()
	close(ready)
	parked.Done()
	<-stuckIO
	s.mu.Unlock()
}

//go:noinline
func (s *sessionStore) touch(id string) {
	s.mu.Lock()
	s.sessions[id]++ // sessions was never made: a nil map write panics
	s.mu.Unlock()
}

func parkAll() map[string]int {
	counts := parkWorkers()
	parked.Add(1 + 5)
	ready := make(chan struct{})
	go store.flush(ready)
	<-ready
	for i := 0; i < 5; i++ {
		go func(id string) {
			parked.Done()
			store.touch(id)
		}(fmt.Sprint("s", i))
	}
	parked.Wait()
	time.Sleep(100 * time.Millisecond) // let the last ones reach their blocking call
	counts["main.(*sessionStore).flush"] = 1
	counts["main.(*sessionStore).touch"] = 5
	return counts
}

// logRequests writes n access-log lines of about 120 bytes each.
func logRequests(n int) {
	for i := 0; i < n; i++ {
		requestID++
		log.Printf("INFO request id=%06d method=GET path=/api/v1/items/%d status=200 bytes=%d duration=%dus remote=10.0.%d.%d:5%04d",
			requestID, requestID%977, 512+requestID%4096, 150+requestID%900, requestID%250, requestID%200, requestID%10000)
	}
}

func loggedBytes() int {
	loggedMu.Lock()
	defer loggedMu.Unlock()
	return logged
}

func emit(v any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

// dumpOnSignal writes every goroutine's stack, as runtime.Stack formats it,
// when SIGUSR1 arrives, then tells the caller (which goes on logging).
func dumpOnSignal(done chan<- struct{}) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	for range c {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		log.Printf("WARN SIGUSR1: dumping %d goroutines", runtime.NumGoroutine())
		os.Stderr.Write(buf[:n])
		done <- struct{}{}
	}
}

func main() {
	log.SetOutput(countingWriter{})
	log.SetFlags(log.Ldate | log.Ltime | log.Lmicroseconds)
	mode := "panic"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "panic":
		logRequests(900)
		parked := parkWorkers()
		emit(map[string]any{"parked": parked, "goroutines": runtime.NumGoroutine(), "loggedBeforeDump": loggedBytes()})
		go store.touch("s0") // the session map was never made: this request panics
		time.Sleep(10 * time.Second)
	case "signals":
		dumped := make(chan struct{})
		go dumpOnSignal(dumped)
		logRequests(900)
		parked := parkAll()
		emit(map[string]any{"parked": parked, "goroutines": runtime.NumGoroutine(), "loggedBeforeDump": loggedBytes(), "ready": true})
		<-dumped
		logRequests(700)
		emit(map[string]any{"logged": loggedBytes()})
		select {} // SIGQUIT ends it
	default:
		fmt.Fprintln(os.Stderr, "usage: crashlog panic|signals")
		os.Exit(2)
	}
}

// parkWorkers parks the idle workers and the requests awaiting a reply.
func parkWorkers() map[string]int {
	parked.Add(12 + 8)
	for i := 0; i < 12; i++ {
		go worker(i)
	}
	for i := 0; i < 8; i++ {
		go awaitReply(i)
	}
	parked.Wait()
	time.Sleep(100 * time.Millisecond)
	return map[string]int{"main.worker": 12, "main.awaitReply": 8}
}
