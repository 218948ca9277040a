// Command gen writes a large Go heap profile for the footprint benchmark.
//
// Usage: gen OUT.pb.gz
//
// With runtime.MemProfileRate = 1 every allocation is recorded. The program
// walks N (default 400000) distinct call paths: a chain of 18 levels with
// 4 distinct non-inlinable functions per level (walkLLx, x in a..d). For
// path i the function taken at level L is picked by the L-th base-4 digit of
// x = i*mult mod 4^18; mult is odd, so i -> x is a bijection and every i gets its
// own leaf-to-root path (4^18 = 2^36 possible paths). Digits spread over all
// levels, so the paths branch everywhere, not only near the leaves. Each
// last-level function allocates 1-3 objects of one size (sizes vary by
// path; the runtime keys its records by stack and size); one path in ten
// keeps its last object alive (inuse), the rest become garbage. Then it runs
// runtime.GC() and writes the heap profile (gzipped proto).
//
// Regular source: the 72 walk functions differ only in their names.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
)

func init() { runtime.MemProfileRate = 1 }

const (
	levels = 18
	mult   = 0x9E3779B97 // odd: multiplication mod 2^36 is a bijection
	mask   = 1<<(2*levels) - 1
)

var (
	sink []byte   // defeats escape analysis for the freed objects
	kept [][]byte // retained objects (inuse_space)
)

// digit returns the base-4 digit of x used at level l.
func digit(x uint64, l uint) uint64 { return (x >> (2 * l)) & 3 }

//go:noinline
func walk00a(x uint64, i int) {
	switch digit(x, 1) {
	case 0:
		walk01a(x, i)
	case 1:
		walk01b(x, i)
	case 2:
		walk01c(x, i)
	case 3:
		walk01d(x, i)
	}
}

//go:noinline
func walk00b(x uint64, i int) {
	switch digit(x, 1) {
	case 0:
		walk01a(x, i)
	case 1:
		walk01b(x, i)
	case 2:
		walk01c(x, i)
	case 3:
		walk01d(x, i)
	}
}

//go:noinline
func walk00c(x uint64, i int) {
	switch digit(x, 1) {
	case 0:
		walk01a(x, i)
	case 1:
		walk01b(x, i)
	case 2:
		walk01c(x, i)
	case 3:
		walk01d(x, i)
	}
}

//go:noinline
func walk00d(x uint64, i int) {
	switch digit(x, 1) {
	case 0:
		walk01a(x, i)
	case 1:
		walk01b(x, i)
	case 2:
		walk01c(x, i)
	case 3:
		walk01d(x, i)
	}
}

//go:noinline
func walk01a(x uint64, i int) {
	switch digit(x, 2) {
	case 0:
		walk02a(x, i)
	case 1:
		walk02b(x, i)
	case 2:
		walk02c(x, i)
	case 3:
		walk02d(x, i)
	}
}

//go:noinline
func walk01b(x uint64, i int) {
	switch digit(x, 2) {
	case 0:
		walk02a(x, i)
	case 1:
		walk02b(x, i)
	case 2:
		walk02c(x, i)
	case 3:
		walk02d(x, i)
	}
}

//go:noinline
func walk01c(x uint64, i int) {
	switch digit(x, 2) {
	case 0:
		walk02a(x, i)
	case 1:
		walk02b(x, i)
	case 2:
		walk02c(x, i)
	case 3:
		walk02d(x, i)
	}
}

//go:noinline
func walk01d(x uint64, i int) {
	switch digit(x, 2) {
	case 0:
		walk02a(x, i)
	case 1:
		walk02b(x, i)
	case 2:
		walk02c(x, i)
	case 3:
		walk02d(x, i)
	}
}

//go:noinline
func walk02a(x uint64, i int) {
	switch digit(x, 3) {
	case 0:
		walk03a(x, i)
	case 1:
		walk03b(x, i)
	case 2:
		walk03c(x, i)
	case 3:
		walk03d(x, i)
	}
}

//go:noinline
func walk02b(x uint64, i int) {
	switch digit(x, 3) {
	case 0:
		walk03a(x, i)
	case 1:
		walk03b(x, i)
	case 2:
		walk03c(x, i)
	case 3:
		walk03d(x, i)
	}
}

//go:noinline
func walk02c(x uint64, i int) {
	switch digit(x, 3) {
	case 0:
		walk03a(x, i)
	case 1:
		walk03b(x, i)
	case 2:
		walk03c(x, i)
	case 3:
		walk03d(x, i)
	}
}

//go:noinline
func walk02d(x uint64, i int) {
	switch digit(x, 3) {
	case 0:
		walk03a(x, i)
	case 1:
		walk03b(x, i)
	case 2:
		walk03c(x, i)
	case 3:
		walk03d(x, i)
	}
}

//go:noinline
func walk03a(x uint64, i int) {
	switch digit(x, 4) {
	case 0:
		walk04a(x, i)
	case 1:
		walk04b(x, i)
	case 2:
		walk04c(x, i)
	case 3:
		walk04d(x, i)
	}
}

//go:noinline
func walk03b(x uint64, i int) {
	switch digit(x, 4) {
	case 0:
		walk04a(x, i)
	case 1:
		walk04b(x, i)
	case 2:
		walk04c(x, i)
	case 3:
		walk04d(x, i)
	}
}

//go:noinline
func walk03c(x uint64, i int) {
	switch digit(x, 4) {
	case 0:
		walk04a(x, i)
	case 1:
		walk04b(x, i)
	case 2:
		walk04c(x, i)
	case 3:
		walk04d(x, i)
	}
}

//go:noinline
func walk03d(x uint64, i int) {
	switch digit(x, 4) {
	case 0:
		walk04a(x, i)
	case 1:
		walk04b(x, i)
	case 2:
		walk04c(x, i)
	case 3:
		walk04d(x, i)
	}
}

//go:noinline
func walk04a(x uint64, i int) {
	switch digit(x, 5) {
	case 0:
		walk05a(x, i)
	case 1:
		walk05b(x, i)
	case 2:
		walk05c(x, i)
	case 3:
		walk05d(x, i)
	}
}

//go:noinline
func walk04b(x uint64, i int) {
	switch digit(x, 5) {
	case 0:
		walk05a(x, i)
	case 1:
		walk05b(x, i)
	case 2:
		walk05c(x, i)
	case 3:
		walk05d(x, i)
	}
}

//go:noinline
func walk04c(x uint64, i int) {
	switch digit(x, 5) {
	case 0:
		walk05a(x, i)
	case 1:
		walk05b(x, i)
	case 2:
		walk05c(x, i)
	case 3:
		walk05d(x, i)
	}
}

//go:noinline
func walk04d(x uint64, i int) {
	switch digit(x, 5) {
	case 0:
		walk05a(x, i)
	case 1:
		walk05b(x, i)
	case 2:
		walk05c(x, i)
	case 3:
		walk05d(x, i)
	}
}

//go:noinline
func walk05a(x uint64, i int) {
	switch digit(x, 6) {
	case 0:
		walk06a(x, i)
	case 1:
		walk06b(x, i)
	case 2:
		walk06c(x, i)
	case 3:
		walk06d(x, i)
	}
}

//go:noinline
func walk05b(x uint64, i int) {
	switch digit(x, 6) {
	case 0:
		walk06a(x, i)
	case 1:
		walk06b(x, i)
	case 2:
		walk06c(x, i)
	case 3:
		walk06d(x, i)
	}
}

//go:noinline
func walk05c(x uint64, i int) {
	switch digit(x, 6) {
	case 0:
		walk06a(x, i)
	case 1:
		walk06b(x, i)
	case 2:
		walk06c(x, i)
	case 3:
		walk06d(x, i)
	}
}

//go:noinline
func walk05d(x uint64, i int) {
	switch digit(x, 6) {
	case 0:
		walk06a(x, i)
	case 1:
		walk06b(x, i)
	case 2:
		walk06c(x, i)
	case 3:
		walk06d(x, i)
	}
}

//go:noinline
func walk06a(x uint64, i int) {
	switch digit(x, 7) {
	case 0:
		walk07a(x, i)
	case 1:
		walk07b(x, i)
	case 2:
		walk07c(x, i)
	case 3:
		walk07d(x, i)
	}
}

//go:noinline
func walk06b(x uint64, i int) {
	switch digit(x, 7) {
	case 0:
		walk07a(x, i)
	case 1:
		walk07b(x, i)
	case 2:
		walk07c(x, i)
	case 3:
		walk07d(x, i)
	}
}

//go:noinline
func walk06c(x uint64, i int) {
	switch digit(x, 7) {
	case 0:
		walk07a(x, i)
	case 1:
		walk07b(x, i)
	case 2:
		walk07c(x, i)
	case 3:
		walk07d(x, i)
	}
}

//go:noinline
func walk06d(x uint64, i int) {
	switch digit(x, 7) {
	case 0:
		walk07a(x, i)
	case 1:
		walk07b(x, i)
	case 2:
		walk07c(x, i)
	case 3:
		walk07d(x, i)
	}
}

//go:noinline
func walk07a(x uint64, i int) {
	switch digit(x, 8) {
	case 0:
		walk08a(x, i)
	case 1:
		walk08b(x, i)
	case 2:
		walk08c(x, i)
	case 3:
		walk08d(x, i)
	}
}

//go:noinline
func walk07b(x uint64, i int) {
	switch digit(x, 8) {
	case 0:
		walk08a(x, i)
	case 1:
		walk08b(x, i)
	case 2:
		walk08c(x, i)
	case 3:
		walk08d(x, i)
	}
}

//go:noinline
func walk07c(x uint64, i int) {
	switch digit(x, 8) {
	case 0:
		walk08a(x, i)
	case 1:
		walk08b(x, i)
	case 2:
		walk08c(x, i)
	case 3:
		walk08d(x, i)
	}
}

//go:noinline
func walk07d(x uint64, i int) {
	switch digit(x, 8) {
	case 0:
		walk08a(x, i)
	case 1:
		walk08b(x, i)
	case 2:
		walk08c(x, i)
	case 3:
		walk08d(x, i)
	}
}

//go:noinline
func walk08a(x uint64, i int) {
	switch digit(x, 9) {
	case 0:
		walk09a(x, i)
	case 1:
		walk09b(x, i)
	case 2:
		walk09c(x, i)
	case 3:
		walk09d(x, i)
	}
}

//go:noinline
func walk08b(x uint64, i int) {
	switch digit(x, 9) {
	case 0:
		walk09a(x, i)
	case 1:
		walk09b(x, i)
	case 2:
		walk09c(x, i)
	case 3:
		walk09d(x, i)
	}
}

//go:noinline
func walk08c(x uint64, i int) {
	switch digit(x, 9) {
	case 0:
		walk09a(x, i)
	case 1:
		walk09b(x, i)
	case 2:
		walk09c(x, i)
	case 3:
		walk09d(x, i)
	}
}

//go:noinline
func walk08d(x uint64, i int) {
	switch digit(x, 9) {
	case 0:
		walk09a(x, i)
	case 1:
		walk09b(x, i)
	case 2:
		walk09c(x, i)
	case 3:
		walk09d(x, i)
	}
}

//go:noinline
func walk09a(x uint64, i int) {
	switch digit(x, 10) {
	case 0:
		walk10a(x, i)
	case 1:
		walk10b(x, i)
	case 2:
		walk10c(x, i)
	case 3:
		walk10d(x, i)
	}
}

//go:noinline
func walk09b(x uint64, i int) {
	switch digit(x, 10) {
	case 0:
		walk10a(x, i)
	case 1:
		walk10b(x, i)
	case 2:
		walk10c(x, i)
	case 3:
		walk10d(x, i)
	}
}

//go:noinline
func walk09c(x uint64, i int) {
	switch digit(x, 10) {
	case 0:
		walk10a(x, i)
	case 1:
		walk10b(x, i)
	case 2:
		walk10c(x, i)
	case 3:
		walk10d(x, i)
	}
}

//go:noinline
func walk09d(x uint64, i int) {
	switch digit(x, 10) {
	case 0:
		walk10a(x, i)
	case 1:
		walk10b(x, i)
	case 2:
		walk10c(x, i)
	case 3:
		walk10d(x, i)
	}
}

//go:noinline
func walk10a(x uint64, i int) {
	switch digit(x, 11) {
	case 0:
		walk11a(x, i)
	case 1:
		walk11b(x, i)
	case 2:
		walk11c(x, i)
	case 3:
		walk11d(x, i)
	}
}

//go:noinline
func walk10b(x uint64, i int) {
	switch digit(x, 11) {
	case 0:
		walk11a(x, i)
	case 1:
		walk11b(x, i)
	case 2:
		walk11c(x, i)
	case 3:
		walk11d(x, i)
	}
}

//go:noinline
func walk10c(x uint64, i int) {
	switch digit(x, 11) {
	case 0:
		walk11a(x, i)
	case 1:
		walk11b(x, i)
	case 2:
		walk11c(x, i)
	case 3:
		walk11d(x, i)
	}
}

//go:noinline
func walk10d(x uint64, i int) {
	switch digit(x, 11) {
	case 0:
		walk11a(x, i)
	case 1:
		walk11b(x, i)
	case 2:
		walk11c(x, i)
	case 3:
		walk11d(x, i)
	}
}

//go:noinline
func walk11a(x uint64, i int) {
	switch digit(x, 12) {
	case 0:
		walk12a(x, i)
	case 1:
		walk12b(x, i)
	case 2:
		walk12c(x, i)
	case 3:
		walk12d(x, i)
	}
}

//go:noinline
func walk11b(x uint64, i int) {
	switch digit(x, 12) {
	case 0:
		walk12a(x, i)
	case 1:
		walk12b(x, i)
	case 2:
		walk12c(x, i)
	case 3:
		walk12d(x, i)
	}
}

//go:noinline
func walk11c(x uint64, i int) {
	switch digit(x, 12) {
	case 0:
		walk12a(x, i)
	case 1:
		walk12b(x, i)
	case 2:
		walk12c(x, i)
	case 3:
		walk12d(x, i)
	}
}

//go:noinline
func walk11d(x uint64, i int) {
	switch digit(x, 12) {
	case 0:
		walk12a(x, i)
	case 1:
		walk12b(x, i)
	case 2:
		walk12c(x, i)
	case 3:
		walk12d(x, i)
	}
}

//go:noinline
func walk12a(x uint64, i int) {
	switch digit(x, 13) {
	case 0:
		walk13a(x, i)
	case 1:
		walk13b(x, i)
	case 2:
		walk13c(x, i)
	case 3:
		walk13d(x, i)
	}
}

//go:noinline
func walk12b(x uint64, i int) {
	switch digit(x, 13) {
	case 0:
		walk13a(x, i)
	case 1:
		walk13b(x, i)
	case 2:
		walk13c(x, i)
	case 3:
		walk13d(x, i)
	}
}

//go:noinline
func walk12c(x uint64, i int) {
	switch digit(x, 13) {
	case 0:
		walk13a(x, i)
	case 1:
		walk13b(x, i)
	case 2:
		walk13c(x, i)
	case 3:
		walk13d(x, i)
	}
}

//go:noinline
func walk12d(x uint64, i int) {
	switch digit(x, 13) {
	case 0:
		walk13a(x, i)
	case 1:
		walk13b(x, i)
	case 2:
		walk13c(x, i)
	case 3:
		walk13d(x, i)
	}
}

//go:noinline
func walk13a(x uint64, i int) {
	switch digit(x, 14) {
	case 0:
		walk14a(x, i)
	case 1:
		walk14b(x, i)
	case 2:
		walk14c(x, i)
	case 3:
		walk14d(x, i)
	}
}

//go:noinline
func walk13b(x uint64, i int) {
	switch digit(x, 14) {
	case 0:
		walk14a(x, i)
	case 1:
		walk14b(x, i)
	case 2:
		walk14c(x, i)
	case 3:
		walk14d(x, i)
	}
}

//go:noinline
func walk13c(x uint64, i int) {
	switch digit(x, 14) {
	case 0:
		walk14a(x, i)
	case 1:
		walk14b(x, i)
	case 2:
		walk14c(x, i)
	case 3:
		walk14d(x, i)
	}
}

//go:noinline
func walk13d(x uint64, i int) {
	switch digit(x, 14) {
	case 0:
		walk14a(x, i)
	case 1:
		walk14b(x, i)
	case 2:
		walk14c(x, i)
	case 3:
		walk14d(x, i)
	}
}

//go:noinline
func walk14a(x uint64, i int) {
	switch digit(x, 15) {
	case 0:
		walk15a(x, i)
	case 1:
		walk15b(x, i)
	case 2:
		walk15c(x, i)
	case 3:
		walk15d(x, i)
	}
}

//go:noinline
func walk14b(x uint64, i int) {
	switch digit(x, 15) {
	case 0:
		walk15a(x, i)
	case 1:
		walk15b(x, i)
	case 2:
		walk15c(x, i)
	case 3:
		walk15d(x, i)
	}
}

//go:noinline
func walk14c(x uint64, i int) {
	switch digit(x, 15) {
	case 0:
		walk15a(x, i)
	case 1:
		walk15b(x, i)
	case 2:
		walk15c(x, i)
	case 3:
		walk15d(x, i)
	}
}

//go:noinline
func walk14d(x uint64, i int) {
	switch digit(x, 15) {
	case 0:
		walk15a(x, i)
	case 1:
		walk15b(x, i)
	case 2:
		walk15c(x, i)
	case 3:
		walk15d(x, i)
	}
}

//go:noinline
func walk15a(x uint64, i int) {
	switch digit(x, 16) {
	case 0:
		walk16a(x, i)
	case 1:
		walk16b(x, i)
	case 2:
		walk16c(x, i)
	case 3:
		walk16d(x, i)
	}
}

//go:noinline
func walk15b(x uint64, i int) {
	switch digit(x, 16) {
	case 0:
		walk16a(x, i)
	case 1:
		walk16b(x, i)
	case 2:
		walk16c(x, i)
	case 3:
		walk16d(x, i)
	}
}

//go:noinline
func walk15c(x uint64, i int) {
	switch digit(x, 16) {
	case 0:
		walk16a(x, i)
	case 1:
		walk16b(x, i)
	case 2:
		walk16c(x, i)
	case 3:
		walk16d(x, i)
	}
}

//go:noinline
func walk15d(x uint64, i int) {
	switch digit(x, 16) {
	case 0:
		walk16a(x, i)
	case 1:
		walk16b(x, i)
	case 2:
		walk16c(x, i)
	case 3:
		walk16d(x, i)
	}
}

//go:noinline
func walk16a(x uint64, i int) {
	switch digit(x, 17) {
	case 0:
		walk17a(x, i)
	case 1:
		walk17b(x, i)
	case 2:
		walk17c(x, i)
	case 3:
		walk17d(x, i)
	}
}

//go:noinline
func walk16b(x uint64, i int) {
	switch digit(x, 17) {
	case 0:
		walk17a(x, i)
	case 1:
		walk17b(x, i)
	case 2:
		walk17c(x, i)
	case 3:
		walk17d(x, i)
	}
}

//go:noinline
func walk16c(x uint64, i int) {
	switch digit(x, 17) {
	case 0:
		walk17a(x, i)
	case 1:
		walk17b(x, i)
	case 2:
		walk17c(x, i)
	case 3:
		walk17d(x, i)
	}
}

//go:noinline
func walk16d(x uint64, i int) {
	switch digit(x, 17) {
	case 0:
		walk17a(x, i)
	case 1:
		walk17b(x, i)
	case 2:
		walk17c(x, i)
	case 3:
		walk17d(x, i)
	}
}

//go:noinline
func walk17a(x uint64, i int) {
	var b []byte
	size := 16 + (i*37)%2000 // one size per path: the runtime keys its buckets by (stack, size)
	for k := 0; k < 1+i%3; k++ {
		b = make([]byte, size)
		sink = b
	}
	if i%10 == 0 {
		kept = append(kept, b)
	}
}

//go:noinline
func walk17b(x uint64, i int) {
	var b []byte
	size := 16 + (i*37)%2000 // one size per path: the runtime keys its buckets by (stack, size)
	for k := 0; k < 1+i%3; k++ {
		b = make([]byte, size)
		sink = b
	}
	if i%10 == 0 {
		kept = append(kept, b)
	}
}

//go:noinline
func walk17c(x uint64, i int) {
	var b []byte
	size := 16 + (i*37)%2000 // one size per path: the runtime keys its buckets by (stack, size)
	for k := 0; k < 1+i%3; k++ {
		b = make([]byte, size)
		sink = b
	}
	if i%10 == 0 {
		kept = append(kept, b)
	}
}

//go:noinline
func walk17d(x uint64, i int) {
	var b []byte
	size := 16 + (i*37)%2000 // one size per path: the runtime keys its buckets by (stack, size)
	for k := 0; k < 1+i%3; k++ {
		b = make([]byte, size)
		sink = b
	}
	if i%10 == 0 {
		kept = append(kept, b)
	}
}

func walk(i int) {
	x := (uint64(i) * mult) & mask
	switch digit(x, 0) {
	case 0:
		walk00a(x, i)
	case 1:
		walk00b(x, i)
	case 2:
		walk00c(x, i)
	case 3:
		walk00d(x, i)
	}
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: gen OUT.pb.gz [NPATHS]")
		os.Exit(2)
	}
	n := 400000
	if len(os.Args) == 3 {
		v, err := strconv.Atoi(os.Args[2])
		if err != nil || v <= 0 {
			fmt.Fprintln(os.Stderr, "gen: bad NPATHS:", os.Args[2])
			os.Exit(2)
		}
		n = v
	}
	kept = make([][]byte, 0, n/10+1) // no growslice samples in the walk functions
	for i := 0; i < n; i++ {
		walk(i)
	}
	sink = nil
	runtime.GC()
	f, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	runtime.KeepAlive(kept)
}
