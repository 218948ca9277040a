// Command steady is the zoo's control: a service under steady load with a
// bounded cache (it evicts), modest per-request garbage and a heap that
// plateaus. footprint must not raise a high-severity finding on it.
package main

import (
	"strconv"
	"strings"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

const capacity = 2000

type lru struct {
	keys    []string
	entries map[string][]byte
}

func (c *lru) put(key string, body []byte) {
	if _, ok := c.entries[key]; !ok {
		if len(c.keys) == capacity {
			delete(c.entries, c.keys[0])
			c.keys = append(c.keys[:0], c.keys[1:]...)
		}
		c.keys = append(c.keys, key)
	}
	c.entries[key] = body
}

var cache = &lru{entries: map[string][]byte{}}

func handle(n int) {
	var b strings.Builder
	for i := 0; i < 8; i++ {
		b.WriteString("field-")
		b.WriteString(strconv.Itoa(n + i))
	}
	body := []byte(b.String())
	cache.put("/item/"+strconv.Itoa(n%5000), body)
}

func main() {
	zoo.Run(20, 10*time.Millisecond, handle)
}
