// Command steadyhttp is a clean control served over real HTTP: two clients
// inside the process send 100 requests/s over loopback to its own /item
// handler, which renders a small body and keeps it in a bounded LRU cache
// (2,000 entries, it evicts) behind a mutex held for a map update only.
// Mutex and block profiling are on, as a careful service would run, but
// there is no real contention: the handlers rarely overlap. The heap
// plateaus within a second, the goroutine count stays flat and the block
// profile holds only net/http's own waits for the next request. Nothing in
// it deserves more than a low finding.
package main

import (
	"container/list"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

const capacity = 2000

type lru struct {
	mu      sync.Mutex
	order   *list.List // front: most recently used key
	entries map[string]*list.Element
}

type item struct {
	key  string
	body []byte
}

func (c *lru) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*item).body, true
	}
	return nil, false
}

func (c *lru) put(key string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		e.Value.(*item).body = body
		c.order.MoveToFront(e)
		return
	}
	if c.order.Len() == capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.entries, oldest.Value.(*item).key)
	}
	c.entries[key] = c.order.PushFront(&item{key: key, body: body})
}

var cache = &lru{order: list.New(), entries: map[string]*list.Element{}}

func render(id int) []byte {
	var b strings.Builder
	b.WriteString(`{"id":`)
	b.WriteString(strconv.Itoa(id))
	for i := 0; i < 8; i++ {
		b.WriteString(`,"f`)
		b.WriteString(strconv.Itoa(i))
		b.WriteString(`":"value-`)
		b.WriteString(strconv.Itoa(id + i))
		b.WriteString(`"`)
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

func handleItem(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("id")
	body, ok := cache.get(key)
	if !ok {
		id, _ := strconv.Atoi(key)
		body = render(id)
		cache.put(key, body)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

func main() {
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(10_000)
	http.HandleFunc("/item", handleItem)
	addr := zoo.Serve()
	zoo.Load(addr, 2, 20*time.Millisecond, func(n int) string { return "/item?id=" + strconv.Itoa(n%5000) })
}
