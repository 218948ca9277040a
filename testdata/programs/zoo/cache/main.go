// Command cache plants a cache that never evicts: every request renders a
// response and stores it under a new key, so the map and its values grow for
// as long as the service runs. Planted: heap-growth in (*responseCache).put.
package main

import (
	"strconv"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type responseCache struct {
	entries map[string][]byte
}

// put copies the rendered body into the cache; nothing ever removes it.
func (c *responseCache) put(key string, body []byte) {
	c.entries[key] = append(make([]byte, 0, len(body)), body...)
}

var (
	cache   = &responseCache{entries: map[string][]byte{}}
	scratch = make([]byte, 4096)
)

func main() {
	zoo.Run(40, 10*time.Millisecond, func(n int) {
		body := scratch[:2048+n%2048]
		body[0] = byte(n)
		cache.put("/item/"+strconv.Itoa(n), body)
	})
}
