// Command heapretain is a second planted-retention program for footprint
// heapdump, written after the analysis and not used to tune it: other
// shapes than testdata/programs/heapdump, checked by the same rules.
//
// Usage: heapretain DUMPFILE > planted.json
//
// Every allocation is sampled (MemProfileRate = 1). What is planted, one
// retainer each:
//
//   - main.registry: a package-level struct value (in the data segment, not a
//     pointer) whose slice holds 300 *item, each with a 1000-byte buffer
//   - main.lru:      a doubly linked list of 200 elements of 512 bytes (every
//     link points both ways: a cycle at each step)
//   - main.current:  an interface value holding a pointer to a 64 KiB array
//   - main.field:    a pointer to an int in the middle of a 16 KiB struct
//   - main.file:     an object with a pending finalizer that a global also
//     holds: the global, not the finalizer, is its retainer
//   - a worker goroutine: a slice of four 64 KiB buffers that only its frame
//     (main.worker) keeps
//   - main.main's own frame: a 200 KiB buffer it keeps alive past the dump
//
// stdout is one JSON document in the format of testdata/programs/heapdump.
package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"unsafe"

	"footprint-fixtures/internal/planted"
)

func init() { runtime.MemProfileRate = 1 }

type item struct {
	id  int
	buf []byte
}

type elem struct {
	prev, next *elem
	payload    [496]byte
}

type split struct {
	a [8192]byte
	b int
	c [8192]byte
}

type handle struct {
	fd   int
	data []byte
}

var (
	registry struct {
		name  string
		items []*item
	}
	lru     *elem
	current any
	field   *int
	file    *handle
)

//go:noinline
func fillRegistry() {
	registry.name = "items"
	registry.items = make([]*item, 300)
	for i := range registry.items {
		registry.items[i] = &item{id: i, buf: make([]byte, 1000)}
	}
	planted.Record("main.registry", "global", "main.fillRegistry",
		[][3]uintptr{{1, 300 * 8, 1}, {300, unsafe.Sizeof(item{}), 1}, {300, 1000, 0}}, "")
}

//go:noinline
func buildLRU(n int) {
	var tail *elem
	for i := 0; i < n; i++ {
		e := &elem{prev: tail}
		if tail != nil {
			tail.next = e
		} else {
			lru = e
		}
		tail = e
	}
	planted.Record("main.lru", "global", "main.buildLRU", [][3]uintptr{{uintptr(n), unsafe.Sizeof(elem{}), 1}}, `,"object":`+planted.Addr(unsafe.Pointer(lru)))
}

//go:noinline
func setCurrent() {
	big := new([64 << 10]byte)
	current = big
	planted.Record("main.current", "global", "main.setCurrent", [][3]uintptr{{1, 64 << 10, 0}}, `,"object":`+planted.Addr(unsafe.Pointer(big)))
}

//go:noinline
func pointIntoField() {
	s := new(split)
	field = &s.b
	planted.Record("main.field", "global", "main.pointIntoField", [][3]uintptr{{1, unsafe.Sizeof(split{}), 0}},
		`,"object":`+planted.Addr(unsafe.Pointer(s))+`,"interior":`+strconv.Itoa(int(unsafe.Offsetof(s.b))))
}

func (h *handle) close() { h.data = nil }

//go:noinline
func openFile() {
	file = &handle{fd: 3, data: make([]byte, 96<<10)}
	runtime.SetFinalizer(file, (*handle).close)
	planted.Record("main.file", "global", "main.openFile", [][3]uintptr{{1, unsafe.Sizeof(handle{}), 1}, {1, 96 << 10, 0}}, `,"object":`+planted.Addr(unsafe.Pointer(file)))
}

// worker keeps its jobs while it waits forever.
//
//go:noinline
func worker(jobs []*[64 << 10]byte, ready chan<- string, never <-chan struct{}) {
	ready <- planted.GoroutineID()
	<-never
	runtime.KeepAlive(jobs)
}

// startWorker makes the jobs where only the worker will see them.
//
//go:noinline
func startWorker(never <-chan struct{}) {
	jobs := make([]*[64 << 10]byte, 4)
	for i := range jobs {
		jobs[i] = new([64 << 10]byte)
	}
	ready := make(chan string)
	go worker(jobs, ready, never)
	planted.Record("main.worker", "goroutine", "main.startWorker", [][3]uintptr{{1, 4 * 8, 1}, {4, 64 << 10, 0}}, `,"frame":"main.worker",`+<-ready)
}

// dump is the dump's file: a global, so main's frame holds only what the program planted there.
var dump *os.File

func main() {
	if len(os.Args) != 2 {
		os.Stderr.WriteString("usage: heapretain DUMPFILE\n")
		os.Exit(2)
	}
	var err error
	if dump, err = os.Create(os.Args[1]); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	fillRegistry()
	buildLRU(200)
	setCurrent()
	pointIntoField()
	openFile()
	never := make(chan struct{})
	startWorker(never)
	mine := make([]byte, 200<<10)
	planted.Record("main.main", "goroutine", "main.main", [][3]uintptr{{1, 200 << 10, 0}}, `,"frame":"main.main","goroutine":1,"object":`+planted.Addr(unsafe.Pointer(&mine[0])))

	runtime.GC()
	debug.SetGCPercent(-1)
	planted.Write(1)
	debug.WriteHeapDump(dump.Fd())
	dump.Close()
	runtime.KeepAlive(mine)
}
