// Command heapdefault plants a heap profile with the default
// runtime.MemProfileRate (512 KiB), using big allocations so that the
// sampling scale ("@ heap/1048576" in the legacy text) matters.
//
// Usage: heapdefault OUTDIR
// Writes OUTDIR/heap.pb.gz and OUTDIR/heap.txt.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

var (
	cache   [][]byte
	blobs   [][]byte
	small   [][]byte
	scratch []byte
)

// fillCache retains many 1 MiB blocks.
//
//go:noinline
func fillCache(n int) {
	for i := 0; i < n; i++ {
		cache = append(cache, make([]byte, 1<<20))
	}
}

// loadBlobs retains a few very large blocks.
//
//go:noinline
func loadBlobs(n int) {
	for i := 0; i < n; i++ {
		blobs = append(blobs, make([]byte, (4+i%3)<<20))
	}
}

// transcode churns 2 MiB temporaries that are dropped immediately.
//
//go:noinline
func transcode(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		buf := make([]byte, 2<<20)
		buf[i%len(buf)] = 1
		scratch = buf
		total += len(scratch)
	}
	scratch = nil
	return total
}

// smallObjects allocates many small retained objects; only a few get sampled.
//
//go:noinline
func smallObjects(n int) {
	for i := 0; i < n; i++ {
		small = append(small, make([]byte, 128+i%128))
	}
}

//go:noinline
func mediumTemps(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		b := make([]byte, 96<<10)
		scratch = b
		total += len(b)
	}
	scratch = nil
	return total
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
		fmt.Fprintln(os.Stderr, "usage: heapdefault OUTDIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	for round := 0; round < 4; round++ {
		fillCache(16)
		loadBlobs(3)
		transcode(40)
		smallObjects(50000)
		mediumTemps(400)
	}
	runtime.GC()
	write(dir, "heap", "heap.pb.gz", 0)
	write(dir, "heap", "heap.txt", 1)
	runtime.KeepAlive(cache)
	runtime.KeepAlive(blobs)
	runtime.KeepAlive(small)
}
