// Command initlazy is inittable done right: the table is built on first use
// (sync.OnceValue), and the requests this service serves never need it, so
// it is never built. The clean control for init-retention.
// Planted: nothing.
package main

import (
	"flag"
	"strconv"
	"sync"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type entry struct {
	key   string
	value int64
}

type lookupTable struct {
	codes []int64
	index map[string]*entry
}

// table is built the first time an admin export asks for it.
var table = sync.OnceValue(buildTable)

func buildTable() lookupTable {
	codes := make([]int64, 4<<20)
	index := make(map[string]*entry, 100_000)
	for i := 0; i < 100_000; i++ {
		k := "code-" + strconv.Itoa(i)
		index[k] = &entry{key: k, value: codes[i]}
	}
	return lookupTable{codes, index}
}

var served int64

// lookup answers from a small hot set; only an export (never sent here) would call table().
func lookup(n int) {
	if n < 0 {
		served += table().codes[0]
	}
	served += int64(n % 1000)
}

func main() {
	flag.Set("memprofilerate", strconv.Itoa(512<<10))
	zoo.Run(10, 10*time.Millisecond, lookup)
}
