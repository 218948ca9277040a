// Command symbols allocates through the frames a legacy heap profile's own
// comment lines cannot name as pprof does when given the binary: generic
// functions instantiated for a shape (slices.SortFunc's
// insertionSortCmpFunc[go.shape.*uint8], a generic of ours for go.shape.int),
// a method value's -fm wrapper, the deferwrap and gowrap closures the compiler
// makes for `defer f(x)` and `go f(x)`, and inlined helpers. The runtime
// prints generics as F[...] and leaves wrappers out of its frames, so the
// function they inline shows in their place.
//
// Usage: symbols OUTDIR
// Writes OUTDIR/heap.txt (heap profile, debug=1) at MemProfileRate=1.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
)

func init() {
	runtime.MemProfileRate = 1
}

var keep [][]byte

type item struct {
	name   string
	weight int
}

// byWeight allocates in the comparator, so its stacks run through the sort's generic code.
func byWeight(a, b *item) int {
	keep = append(keep, make([]byte, 48))
	return a.weight - b.weight
}

//go:noinline
func sortItems(items []*item) {
	slices.SortFunc(items, byWeight)
}

// collect is instantiated for go.shape.int.
//
//go:noinline
func collect[T any](v T, n int) []T {
	out := make([]T, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, v)
	}
	return out
}

type builder struct{ parts [][]byte }

// add is small enough to be inlined into its method-value wrapper, builder.add-fm.
func (b *builder) add(n int) { b.parts = append(b.parts, make([]byte, n)) }

//go:noinline
func apply(f func(int), n int) {
	for i := 0; i < n; i++ {
		f(64 + i%8)
	}
}

// release is inlined into the deferwrap1 closure of `defer release(n)`.
func release(n int) { keep = append(keep, make([]byte, n)) }

//go:noinline
func withDefer(n int) {
	defer release(n)
	keep = append(keep, make([]byte, 16))
}

// spawn's goroutines run worker through a gowrap closure.
func worker(n int, wg *sync.WaitGroup) {
	defer wg.Done()
	keep = append(keep, make([]byte, n))
}

//go:noinline
func spawn(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go worker(200+i, &wg)
	}
	wg.Wait()
}

// newName and label are inlined into describe.
func newName(i int) string { return fmt.Sprintf("item-%04d", i) }
func label(i int) *item    { return &item{name: newName(i), weight: (i * 7919) % 1000} }

//go:noinline
func describe(n int) []*item {
	items := make([]*item, 0, n)
	for i := 0; i < n; i++ {
		items = append(items, label(i))
	}
	return items
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: symbols OUTDIR")
		os.Exit(2)
	}
	items := describe(200)
	sortItems(items)
	ints := collect(42, 300)
	b := &builder{}
	apply(b.add, 200)
	for i := 0; i < 50; i++ {
		withDefer(32 + i)
	}
	spawn(20)
	runtime.GC()
	f, err := os.Create(filepath.Join(os.Args[1], "heap.txt"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 1); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f.Close()
	runtime.KeepAlive(items)
	runtime.KeepAlive(ints)
	runtime.KeepAlive(b)
}
