// Package planted reports what a planted-retention program allocated, as the
// JSON document footprint's heap-dump tests read
// (src/testkit/heapdump-fixtures.ts): per retainer its root, the
// allocations it holds as [count, requested size, has pointers], the
// function that allocated them, and addresses to check.
//
// The document is built by hand: encoding/json would pull reflect into the
// binary and its allocations into the dump.
package planted

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"unsafe"
)

var out []string

// Record adds one retainer; extra is more JSON members, each starting with a comma.
func Record(root, kind, site string, allocs [][3]uintptr, extra string) {
	var pairs []string
	for _, a := range allocs {
		pairs = append(pairs, "["+strconv.FormatUint(uint64(a[0]), 10)+","+strconv.FormatUint(uint64(a[1]), 10)+","+strconv.FormatUint(uint64(a[2]), 10)+"]")
	}
	out = append(out, `{"root":"`+root+`","kind":"`+kind+`","site":"`+site+`","allocs":[`+strings.Join(pairs, ",")+`]`+extra+`}`)
}

// Addr is an address as a JSON string ("0x…").
func Addr(p unsafe.Pointer) string { return `"0x` + strconv.FormatUint(uint64(uintptr(p)), 16) + `"` }

// GoroutineID is the calling goroutine's id as a JSON member ("goroutine":N).
func GoroutineID() string {
	var b [64]byte
	f := strings.Fields(string(b[:runtime.Stack(b[:], false)]))
	return `"goroutine":` + f[1]
}

// Write prints the document to stdout.
func Write(scale int) {
	os.Stdout.WriteString(`{"goVersion":"` + runtime.Version() + `","scale":` + strconv.Itoa(scale) + `,"planted":[` + "\n" + strings.Join(out, ",\n") + "\n]}\n")
}
