// Command reqescape plants goroutines that outlive their request: /order
// answers at once and starts notifyWarehouse, which retries a notification
// every second for ten seconds without looking at the request's context, so
// each request leaves a goroutine behind for ten seconds after it ended
// (about 2,000 alive at 200 requests/s). Not a leak forever — a request-scope
// escape.
// Planted: request-scope-escape at notifyWarehouse, started by handleOrder.
package main

import (
	"net/http"
	"strconv"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type order struct {
	id    int
	items [32]int64
}

var notified int

// notifyWarehouse tells the warehouse about the order, retrying for ten seconds.
func notifyWarehouse(o *order) {
	for attempt := 0; attempt < 10; attempt++ {
		time.Sleep(time.Second)
		notified += o.id & 1
	}
}

// handleOrder accepts an order and notifies the warehouse in the background, detached from the request.
func handleOrder(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.URL.Query().Get("id"))
	o := &order{id: id}
	go notifyWarehouse(o)
	w.Write([]byte("accepted " + strconv.Itoa(id) + "\n"))
}

func main() {
	http.HandleFunc("/order", handleOrder)
	addr := zoo.Serve()
	zoo.Load(addr, 4, 20*time.Millisecond, func(n int) string { return "/order?id=" + strconv.Itoa(n) })
}
