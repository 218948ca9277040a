// Command tinyleak plants small objects accumulating: every request records
// a tiny visit struct in a map that is never pruned. Each object is a few
// dozen bytes, so the heap grows slowly in bytes while the object count (and
// the GC's per-object work) climbs fast.
// Planted: small-object-accumulation in recordVisit.
package main

import (
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type visit struct {
	at     int64
	status int32
	bytes  int32
}

var visits = map[int]*visit{}

// recordVisit keeps a pointer to a small struct per request, forever.
func recordVisit(n int) {
	visits[n] = &visit{at: int64(n), status: 200, bytes: int32(n % 4096)}
}

func main() {
	zoo.Run(200, 10*time.Millisecond, recordVisit)
}
