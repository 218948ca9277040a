// Command poolchurn plants a sync.Pool made per request: every request builds
// a fresh pool (newScratchPool) and takes a buffer from it. A pool's first Get
// on each P registers it under the runtime's global pool lock
// (sync.(*Pool).pinSlow), so concurrent requests queue on that lock and the
// mutex profile shows the pool machinery — whose fix is one pool shared by all
// requests, not "use a sync.Pool".
package main

import (
	"runtime"
	"sync"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

func newScratchPool() *sync.Pool {
	return &sync.Pool{New: func() any { return make([]byte, 0, 1024) }}
}

// handle serves one request with a pool of its own.
func handle(n int) int {
	pool := newScratchPool()
	buf := pool.Get().([]byte)
	buf = append(buf[:0], byte(n))
	pool.Put(buf)
	return len(buf)
}

func main() {
	runtime.SetMutexProfileFraction(1)
	var wg sync.WaitGroup
	zoo.Run(1, 10*time.Millisecond, func(n int) {
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 200; i++ {
					zoo.Sink = handle(n + i)
				}
			}()
		}
		wg.Wait()
	})
}
