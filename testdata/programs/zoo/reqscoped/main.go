// Command reqscoped is reqescape done right: the notification runs within
// the request, bounded by its context — notifyWarehouse returns when the
// request is done — so no goroutine outlives the request that started it.
// The clean control for request-scope-escape.
// Planted: nothing.
package main

import (
	"context"
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

// notifyWarehouse tries to notify until it succeeds or the request's context ends.
func notifyWarehouse(ctx context.Context, o *order, done chan<- struct{}) {
	defer close(done)
	select {
	case <-time.After(2 * time.Millisecond):
		notified += o.id & 1
	case <-ctx.Done():
	}
}

// handleOrder waits for the notification, which is bounded by the request's context.
func handleOrder(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.URL.Query().Get("id"))
	o := &order{id: id}
	done := make(chan struct{})
	go notifyWarehouse(r.Context(), o, done)
	<-done
	w.Write([]byte("accepted " + strconv.Itoa(id) + "\n"))
}

func main() {
	http.HandleFunc("/order", handleOrder)
	addr := zoo.Serve()
	zoo.Load(addr, 4, 20*time.Millisecond, func(n int) string { return "/order?id=" + strconv.Itoa(n) })
}
