// Command heapdump plants memory with known retainers and writes a heap dump
// (runtime/debug.WriteHeapDump), so footprint's retained sizes and reference
// chains can be checked against what the program says it allocated.
//
// Usage: heapdump [-scale N] DUMPFILE > planted.json
//
// -scale N divides every planted size and count by N (a small dump for the
// fuzz tests, with other size classes).
//
// Every allocation is sampled (MemProfileRate = 1), so the dump carries each
// object's allocation stack. What is planted, one retainer each:
//
//   - main.cache:   a package-level slice of 512 *entry, each with a 4 KiB value
//   - main.parked:  3 MiB reachable only from a parked goroutine's stack
//   - a finalizer:  1 MiB reachable only from an object whose finalizer has not run
//   - a finalizer's function: a closure passed to SetFinalizer capturing 2 MiB
//   - main.handler: a closure capturing a 1.5 MiB table
//   - main.header:  16 bytes sliced out of a 4 MiB frame (an interior pointer pins it all)
//   - main.ring:    a cycle of 1,000 nodes of 256 bytes
//   - main.sharedA and main.sharedB: one 1 MiB array both point to (retained by neither alone)
//
// and garbage: a cycle of 500 nodes and a 512 KiB buffer dropped after the
// last GC, so they are in the dump but unreachable.
//
// stdout is one JSON document: per retainer its root, the allocations it
// holds as [count, requested size, has pointers] (the runtime rounds each up
// to its size class, after an 8-byte header for objects with pointers over
// 512 bytes), the function that allocated them, and addresses to check.
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

type entry struct {
	key   int
	value []byte
}

type node struct {
	next    *node
	payload [248]byte
}

type resource struct{ data []byte }

type owner struct{ id int }

// scale divides the planted sizes (-scale N).
var scale = 1

func scaled(n int) int { return max(n/scale, 4) }

var (
	cache   []*entry
	handler func() int
	header  []byte
	ring    *node
	sharedA *byte
	sharedB *byte
	keeper  *owner
)

//go:noinline
func fillCache() {
	cache = make([]*entry, 512)
	size := scaled(4096)
	for i := range cache {
		cache[i] = &entry{key: i, value: make([]byte, size)}
	}
	planted.Record("main.cache", "global", "main.fillCache",
		[][3]uintptr{{1, 512 * 8, 1}, {512, unsafe.Sizeof(entry{}), 1}, {512, uintptr(size), 0}}, "")
}

// parked holds buf on its stack while it waits forever: only its frame keeps it.
//
//go:noinline
func parked(ready chan<- string, never <-chan struct{}) {
	buf := make([]byte, scaled(3<<20))
	ready <- planted.GoroutineID() + `,"object":` + planted.Addr(unsafe.Pointer(&buf[0]))
	<-never
	runtime.KeepAlive(buf)
}

func (r *resource) close() { r.data = nil }

// finalized makes an object only its pending finalizer keeps, after the last GC.
//
//go:noinline
func finalized() {
	r := &resource{data: make([]byte, scaled(1<<20))}
	runtime.SetFinalizer(r, (*resource).close)
	planted.Record("finalizer", "finalizer", "main.finalized",
		[][3]uintptr{{1, unsafe.Sizeof(resource{}), 1}, {1, uintptr(len(r.data)), 0}}, `,"object":`+planted.Addr(unsafe.Pointer(r)))
}

// finalizerClosure sets a finalizer whose function captures 2 MiB: the
// finalizer record keeps the closure, and the closure keeps the buffer,
// for as long as keeper lives.
//
//go:noinline
func finalizerClosure() {
	keeper = &owner{id: 1}
	big := make([]byte, scaled(2<<20))
	runtime.SetFinalizer(keeper, func(o *owner) { o.id = len(big) })
	planted.Record("finalizer function", "finalizer", "main.finalizerClosure",
		[][3]uintptr{{1, closureSize, 1}, {1, uintptr(len(big)), 0}}, `,"object":`+planted.Addr(unsafe.Pointer(keeper))+`,"closure":true`)
}

// closureSize is a closure capturing one slice: its code pointer, then the
// captured slice header (cmd/compile lays captured variables out after the
// function pointer; a slice never reassigned is captured by value).
const closureSize = unsafe.Sizeof(struct {
	fn       uintptr
	captured []byte
}{})

//go:noinline
func makeHandler() {
	table := make([]byte, scaled(1536<<10))
	handler = func() int { return len(table) }
	planted.Record("main.handler", "global", "main.makeHandler", [][3]uintptr{{1, closureSize, 1}, {1, uintptr(len(table)), 0}}, `,"closure":true`)
}

//go:noinline
func readHeader() {
	frame := make([]byte, scaled(4<<20))
	header = frame[100:116]
	planted.Record("main.header", "global", "main.readHeader", [][3]uintptr{{1, uintptr(len(frame)), 0}},
		`,"object":`+planted.Addr(unsafe.Pointer(&frame[0]))+`,"interior":100`)
}

//go:noinline
func buildRing(n int) *node {
	first := &node{}
	cur := first
	for i := 1; i < n; i++ {
		cur.next = &node{}
		cur = cur.next
	}
	cur.next = first
	return first
}

//go:noinline
func share() {
	a := make([]byte, scaled(1<<20))
	sharedA, sharedB = &a[0], &a[0]
	planted.Record("main.sharedA main.sharedB", "shared", "main.share", [][3]uintptr{{1, uintptr(len(a)), 0}}, `,"object":`+planted.Addr(unsafe.Pointer(&a[0])))
}

//go:noinline
func makeGarbage() {
	n := scaled(500)
	g := buildRing(n)
	buf := make([]byte, scaled(512<<10))
	planted.Record("garbage", "garbage", "main.makeGarbage", [][3]uintptr{{uintptr(n), unsafe.Sizeof(node{}), 1}, {1, uintptr(len(buf)), 0}},
		`,"object":`+planted.Addr(unsafe.Pointer(g))+`,"buffer":`+planted.Addr(unsafe.Pointer(&buf[0])))
}

func main() {
	args := os.Args[1:]
	if len(args) == 3 && args[0] == "-scale" {
		scale, _ = strconv.Atoi(args[1])
		args = args[2:]
	}
	if len(args) != 1 || scale < 1 {
		os.Stderr.WriteString("usage: heapdump [-scale N] DUMPFILE\n")
		os.Exit(2)
	}
	f, err := os.Create(args[0])
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	fillCache()
	ready := make(chan string)
	never := make(chan struct{})
	go parked(ready, never)
	planted.Record("main.parked", "goroutine", "main.parked", [][3]uintptr{{1, uintptr(scaled(3 << 20)), 0}}, ","+<-ready)
	finalizerClosure()
	makeHandler()
	readHeader()
	links := scaled(1000)
	ring = buildRing(links)
	planted.Record("main.ring", "global", "main.buildRing", [][3]uintptr{{uintptr(links), unsafe.Sizeof(node{}), 1}}, `,"object":`+planted.Addr(unsafe.Pointer(ring)))
	share()

	// Everything above is live; collect what setting it up left behind, then
	// plant what no GC has seen yet: the finalizer-only object and the garbage.
	runtime.GC()
	debug.SetGCPercent(-1)
	finalized()
	makeGarbage()
	planted.Write(scale)
	debug.WriteHeapDump(f.Fd())
	f.Close()
}
