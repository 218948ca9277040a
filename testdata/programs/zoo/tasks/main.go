// Command tasks runs each request as a runtime/trace task, "checkout", with
// two regions: "price" (computes a total, allocating a small slice) and
// "store" (waits 2 ms, as a database write would). A trace taken during its
// load shows every task and region with its duration: store takes at least
// 2 ms each time. Nothing is wrong with it.
// Planted: nothing (the execution trace's tasks and regions are checked).
package main

import (
	"context"
	"net/http"
	"runtime/trace"
	"strconv"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

var totals int

// price adds up the order's lines.
func price(id int) int {
	lines := make([]int, 64)
	sum := 0
	for i := range lines {
		lines[i] = (id + i) % 97
		sum += lines[i]
	}
	return sum
}

// store persists the order (a 2 ms write).
func store(ctx context.Context, total int) {
	time.Sleep(2 * time.Millisecond)
	totals += total & 1
}

func handleCheckout(w http.ResponseWriter, r *http.Request) {
	ctx, task := trace.NewTask(r.Context(), "checkout")
	defer task.End()
	id, _ := strconv.Atoi(r.URL.Query().Get("id"))
	var total int
	trace.WithRegion(ctx, "price", func() { total = price(id) })
	trace.WithRegion(ctx, "store", func() { store(ctx, total) })
	w.Write([]byte("ok " + strconv.Itoa(total) + "\n"))
}

func main() {
	http.HandleFunc("/checkout", handleCheckout)
	addr := zoo.Serve()
	zoo.Load(addr, 4, 10*time.Millisecond, func(n int) string { return "/checkout?id=" + strconv.Itoa(n) })
}
