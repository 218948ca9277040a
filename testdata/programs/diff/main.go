// Command diff produces heap/allocs profile pairs for comparisons.
//
// Usage:
//
//	diff OUTDIR before      writes before.heap.pb.gz and before.allocs.pb.gz
//	diff OUTDIR after       writes after.heap.pb.gz and after.allocs.pb.gz
//	diff OUTDIR cumulative  writes t0.allocs.pb.gz and t1.allocs.pb.gz, two
//	                        snapshots of the same process (for -base)
//
// Compared with "before", "after" allocates more in buildCache and
// renderPage, less in parseInput and compress, never calls legacyEncode
// (before only) and calls fastEncode (after only). decodeHeader is unchanged.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

func init() {
	runtime.MemProfileRate = 4096
}

var (
	retained [][]byte
	sink     []byte
)

func keep(b []byte) { retained = append(retained, b) }

func drop(b []byte) { sink = b }

// Each worker allocates `kb` KiB in chunks of `chunk` bytes; it keeps one in
// `keepEvery` chunks (0 = keep nothing). Most workers allocate directly (flat);
// decodeHeader and renderPage go through the shared helper allocate (cum only).

//go:noinline
func parseInput(kb, chunk, keepEvery int) {
	for i := 0; i < kb*1024/chunk; i++ {
		b := make([]byte, chunk)
		if keepEvery > 0 && i%keepEvery == 0 {
			keep(b)
		} else {
			drop(b)
		}
	}
}

//go:noinline
func buildCache(kb, chunk, keepEvery int) {
	for i := 0; i < kb*1024/chunk; i++ {
		b := make([]byte, chunk)
		if keepEvery > 0 && i%keepEvery == 0 {
			keep(b)
		} else {
			drop(b)
		}
	}
}

//go:noinline
func renderPage(kb, chunk, keepEvery int) {
	allocate(kb, chunk, keepEvery)
}

//go:noinline
func compress(kb, chunk, keepEvery int) {
	for i := 0; i < kb*1024/chunk; i++ {
		b := make([]byte, chunk)
		if keepEvery > 0 && i%keepEvery == 0 {
			keep(b)
		} else {
			drop(b)
		}
	}
}

//go:noinline
func decodeHeader(kb, chunk, keepEvery int) {
	allocate(kb, chunk, keepEvery)
}

//go:noinline
func legacyEncode(kb, chunk, keepEvery int) {
	for i := 0; i < kb*1024/chunk; i++ {
		b := make([]byte, chunk)
		if keepEvery > 0 && i%keepEvery == 0 {
			keep(b)
		} else {
			drop(b)
		}
	}
}

//go:noinline
func fastEncode(kb, chunk, keepEvery int) {
	for i := 0; i < kb*1024/chunk; i++ {
		b := make([]byte, chunk)
		if keepEvery > 0 && i%keepEvery == 0 {
			keep(b)
		} else {
			drop(b)
		}
	}
}

//go:noinline
func allocate(kb, chunk, keepEvery int) {
	for i := 0; i < kb*1024/chunk; i++ {
		b := make([]byte, chunk)
		if keepEvery > 0 && i%keepEvery == 0 {
			keep(b)
		} else {
			drop(b)
		}
	}
}

//go:noinline
func handleRequest(mode string) {
	switch mode {
	case "before":
		parseInput(8192, 4096, 4)
		buildCache(2048, 16384, 2)
		renderPage(4096, 1024, 8)
		compress(6144, 32768, 0)
		decodeHeader(1024, 512, 4)
		legacyEncode(3072, 2048, 3)
	case "after":
		parseInput(2048, 4096, 4)
		buildCache(8192, 16384, 2)
		renderPage(6144, 1024, 8)
		compress(1024, 32768, 0)
		decodeHeader(1024, 512, 4)
		fastEncode(4096, 8192, 3)
	}
}

func write(dir, name, file string) {
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: diff OUTDIR before|after|cumulative")
		os.Exit(2)
	}
	dir, mode := os.Args[1], os.Args[2]
	switch mode {
	case "before", "after":
		handleRequest(mode)
		runtime.GC()
		write(dir, "heap", mode+".heap.pb.gz")
		write(dir, "allocs", mode+".allocs.pb.gz")
	case "cumulative":
		handleRequest("before")
		runtime.GC()
		write(dir, "allocs", "t0.allocs.pb.gz")
		handleRequest("after")
		runtime.GC()
		write(dir, "allocs", "t1.allocs.pb.gz")
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", mode)
		os.Exit(2)
	}
	runtime.KeepAlive(retained)
}
