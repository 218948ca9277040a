// Command heap plants a varied heap profile: retained growth, hot-loop churn,
// deep (recursive) stacks, inlined allocating helpers and a labelled region.
//
// Usage: heap OUTDIR
// Writes OUTDIR/heap.pb.gz, OUTDIR/allocs.pb.gz and OUTDIR/heap.txt.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
)

func init() {
	// Sample (on average) one allocation every 4 KiB so that many sites show up.
	runtime.MemProfileRate = 4096
}

type record struct {
	id      int
	name    string
	payload []byte
}

type node struct {
	depth int
	buf   []byte
	next  *node
}

var (
	registry    = map[int]*record{}
	journal     []string
	forest      []*node
	deepKeep    [][]byte
	index       [][]byte
	labeledKeep [][]byte
	sink        []byte
)

// growRegistry keeps adding records to a map that is never trimmed.
//
//go:noinline
func growRegistry(n int) {
	base := len(registry)
	for i := 0; i < n; i++ {
		registry[base+i] = &record{
			id:      base + i,
			name:    fmt.Sprintf("record-%06d", base+i),
			payload: make([]byte, 256+(i%512)),
		}
	}
}

// appendJournal grows a retained slice of strings.
//
//go:noinline
func appendJournal(n int) {
	for i := 0; i < n; i++ {
		journal = append(journal, strings.Repeat("j", 16+i%64))
	}
}

// churn allocates large temporary buffers in a hot loop and drops them.
//
//go:noinline
func churn(iterations int) int {
	total := 0
	for i := 0; i < iterations; i++ {
		buf := make([]byte, 64<<10+(i%7)*1024)
		buf[len(buf)-1] = byte(i)
		sink = buf
		total += len(sink)
	}
	sink = nil
	return total
}

// buildTree recursively builds a chain, allocating at every level, so
// sampled stacks are up to depth+1 frames of main.buildTree.
//
//go:noinline
func buildTree(depth int) *node {
	n := &node{depth: depth, buf: make([]byte, 512+depth*64)}
	if depth > 0 {
		n.next = buildTree(depth - 1)
	}
	return n
}

// descend recurses ~20 deep before allocating at the leaf.
//
//go:noinline
func descend(depth, size int) []byte {
	if depth == 0 {
		return leafAlloc(size)
	}
	return descend(depth-1, size)
}

//go:noinline
func leafAlloc(size int) []byte {
	return make([]byte, size)
}

// newSmall and makeKey are small enough to be inlined into buildIndex; the
// allocation's Location therefore has three Line entries.
func newSmall(i int) []byte {
	return make([]byte, 40+i%24)
}

func makeKey(i int) []byte {
	b := newSmall(i)
	b[0] = byte(i)
	return b
}

//go:noinline
func buildIndex(n int) {
	for i := 0; i < n; i++ {
		index = append(index, makeKey(i))
	}
}

//go:noinline
func labeledWork(n int) {
	for i := 0; i < n; i++ {
		labeledKeep = append(labeledKeep, make([]byte, 1024+i%256))
	}
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
		fmt.Fprintln(os.Stderr, "usage: heap OUTDIR")
		os.Exit(2)
	}
	dir := os.Args[1]

	for round := 0; round < 8; round++ {
		growRegistry(2000)
		appendJournal(3000)
		churn(200)
		forest = append(forest, buildTree(20))
		deepKeep = append(deepKeep, descend(20, 8192))
		buildIndex(4000)
	}
	pprof.Do(context.Background(), pprof.Labels("worker", "a"), func(ctx context.Context) {
		labeledWork(2000)
	})

	runtime.GC()
	write(dir, "heap", "heap.pb.gz", 0)
	write(dir, "allocs", "allocs.pb.gz", 0)
	write(dir, "heap", "heap.txt", 1)
	runtime.KeepAlive(registry)
	runtime.KeepAlive(forest)
}
