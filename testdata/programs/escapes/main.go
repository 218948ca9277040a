// Command escapes plants escape-analysis decisions that cost real bytes, so
// that footprint can join `go build -gcflags=-m` output with an allocs profile:
// interface boxing in a hot loop, reflect, closure captures, a slice too large
// for the stack, variable-size slices, an inlined allocating constructor, a
// pointer receiver stored in a global, and fmt in a loop. The work is fixed
// (no randomness, no timing), so every run allocates the same objects.
//
// Usage: escapes OUTDIR
// Writes OUTDIR/allocs.pb.gz (MemProfileRate=1: every allocation is recorded).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/pprof"
	"strings"
)

func init() {
	// Record every allocation, so the profile's bytes per line are exact.
	runtime.MemProfileRate = 1
}

type point struct {
	X, Y int
	Name string
}

type node struct {
	value int
	next  *node
}

type buffer struct {
	data [64]byte
	used int
}

var (
	sinkAny     any
	sinkAnys    []any
	sinkNodes   []*node
	sinkFuncs   []func() int
	sinkBytes   []byte
	sinkInts    []int
	sinkStrings []string
	kept        []*buffer
	total       int
)

// record stores its argument behind an interface: every call boxes.
//
//go:noinline
func record(v any) { sinkAny = v }

// boxInLoop converts an int to an interface on every iteration (convT64).
// Values from 1000 up: the runtime keeps small ints preboxed.
//
//go:noinline
func boxInLoop(n int) {
	for i := 0; i < n; i++ {
		record(i*7 + 1000)
	}
}

// boxPoints keeps structs behind interfaces.
//
//go:noinline
func boxPoints(n int) {
	for i := 0; i < n; i++ {
		p := point{X: i, Y: -i, Name: "p"}
		sinkAnys = append(sinkAnys[:0], p)
	}
}

// newNode is small enough to inline: its &node{} escapes at each call site.
func newNode(v int) *node {
	return &node{value: v}
}

// buildList calls the inlined constructor in a hot loop.
func buildList(n int) {
	var head *node
	for i := 0; i < n; i++ {
		nd := newNode(i)
		nd.next = head
		head = nd
	}
	sinkNodes = append(sinkNodes[:0], head)
}

// viaReflect reads struct fields through reflect: ValueOf boxes the struct,
// Interface() copies each field back out to the heap.
func viaReflect(items []point) {
	for _, it := range items {
		v := reflect.ValueOf(it)
		for f := 0; f < v.NumField(); f++ {
			if x, ok := v.Field(f).Interface().(int); ok {
				total += x
			}
		}
	}
}

// reflectNew allocates through reflect.New.
func reflectNew(n int) {
	t := reflect.TypeOf(point{})
	for i := 0; i < n; i++ {
		sinkAny = reflect.New(t).Interface()
	}
}

// makeCounters captures a variable by reference in each closure.
func makeCounters(n int) {
	sinkFuncs = sinkFuncs[:0]
	for i := 0; i < n; i++ {
		count := i
		sinkFuncs = append(sinkFuncs, func() int {
			count++
			return count
		})
	}
}

// largeScratch makes a buffer too large for the stack, though it never leaves.
func largeScratch(rounds int) {
	for r := 0; r < rounds; r++ {
		buf := make([]byte, 1<<20)
		buf[r] = byte(r)
		total += int(buf[r])
	}
}

// variableScratch makes slices whose size is known only at run time.
func variableScratch(rounds int) {
	for r := 0; r < rounds; r++ {
		xs := make([]int, 64+r%256)
		xs[0] = r
		total += xs[0] + len(xs)
	}
}

// keep stores the receiver in a global: every *buffer it sees escapes.
//
//go:noinline
func (b *buffer) keep() { kept = append(kept, b) }

func keepBuffers(n int) {
	kept = kept[:0]
	for i := 0; i < n; i++ {
		b := buffer{used: i}
		b.keep()
	}
}

// labels formats in a loop: the arguments box, and fmt allocates the result.
func labels(n int) {
	sinkStrings = sinkStrings[:0]
	for i := 0; i < n; i++ {
		sinkStrings = append(sinkStrings, fmt.Sprintf("item-%d", i))
	}
}

// growInts appends without preallocating: growth, not an escape decision.
func growInts(n int) {
	var xs []int
	for i := 0; i < n; i++ {
		xs = append(xs, i)
	}
	sinkInts = xs
}

// joined concatenates into a string that outlives the call.
func joined(parts []string) string {
	return strings.Join(parts, ",")
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: escapes OUTDIR")
		os.Exit(2)
	}
	points := make([]point, 2000)
	for i := range points {
		points[i] = point{X: i, Y: 2 * i, Name: "pt"}
	}
	for round := 0; round < 4; round++ {
		boxInLoop(20000)
		boxPoints(5000)
		buildList(20000)
		viaReflect(points)
		reflectNew(3000)
		makeCounters(4000)
		largeScratch(8)
		variableScratch(3000)
		keepBuffers(3000)
		labels(5000)
		growInts(20000)
		builderScratch(40)
		capacityScratch(40)
	}
	sinkStrings = append(sinkStrings, joined(sinkStrings[:100]))
	if err := writeAllocs(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func writeAllocs(dir string) error {
	runtime.GC() // the profile shows allocations as of the last completed GC
	f, err := os.Create(filepath.Join(dir, "allocs.pb.gz"))
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

// builderScratch grows a strings.Builder to 256 KiB per call. Grow is inlined,
// and with it copyCheck's panic message, which the compiler reports as
// escaping on this line although a constant in an interface allocates
// nothing: the line's bytes are the 256 KiB buffer strings.(*Builder).grow makes.
func builderScratch(n int) {
	for i := 0; i < n; i++ {
		var sb strings.Builder
		sb.Grow(256 << 10)
		sb.WriteString("x")
		sinkStrings = append(sinkStrings[:0], sb.String())
	}
}

// capacityScratch makes an empty slice with a 256 KiB capacity: too large for
// the stack whatever its length, though it never leaves the function.
func capacityScratch(n int) {
	for i := 0; i < n; i++ {
		buf := make([]byte, 0, 262144)
		buf = append(buf, byte(i))
		total += int(buf[0])
	}
}
