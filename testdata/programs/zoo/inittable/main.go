// Command inittable plants init-time retention: a package-level variable is
// initialised with a 32 MiB lookup table and a 100,000-entry index, built
// before main runs and kept for the life of the process, though requests
// only ever read a sliver of it. Allocated once, never freed.
// Planted: init-retention at buildTable (the initialiser of table).
package main

import (
	"flag"
	"strconv"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type entry struct {
	key   string
	value int64
}

// table is built when the package is initialised, before main.
var table = buildTable()

// buildTable fills the table: 4 Mi int64s and an index of names.
func buildTable() struct {
	codes []int64
	index map[string]*entry
} {
	codes := make([]int64, 4<<20)
	for i := range codes {
		codes[i] = int64(i) * 7
	}
	index := make(map[string]*entry, 100_000)
	for i := 0; i < 100_000; i++ {
		k := "code-" + strconv.Itoa(i)
		index[k] = &entry{key: k, value: codes[i]}
	}
	return struct {
		codes []int64
		index map[string]*entry
	}{codes, index}
}

var served int64

func lookup(n int) {
	served += table.codes[n%1000] + table.index["code-"+strconv.Itoa(n%1000)].value
}

func main() {
	// The table was sampled at the runtime's default MemProfileRate, before main: keep that rate so the
	// heap profile scales it right (zoo.Init would set 64 KiB).
	flag.Set("memprofilerate", strconv.Itoa(512<<10))
	zoo.Run(10, 10*time.Millisecond, lookup)
}
