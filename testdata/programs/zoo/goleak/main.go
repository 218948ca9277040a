// Command goleak plants a goroutine leak: every request to /submit hands its
// job to a backend and starts a goroutine, awaitReply, that waits for the
// backend's reply on a channel. The backend never replies and nothing times
// out, so every request leaves one goroutine parked in "chan receive" for
// good, with its stack, its g (runtime.malg, in the heap profile) and its
// pending job.
// Planted: goroutine-leak in awaitReply, started by handleSubmit; heap-growth
// follows from it. Load is real HTTP over loopback (500 requests/s), so about
// 1,500 leaked goroutines after 3 s, 30,000 after a minute.
package main

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type job struct {
	id      int
	started time.Time
	body    [64]byte
	reply   chan []byte
}

var (
	submitted atomic.Int64
	answered  atomic.Int64
)

// send hands the job to the backend, which drops it: no one ever writes to
// j.reply.
func send(j *job) { submitted.Add(1) }

// awaitReply waits for the backend's answer. There is no timeout and no
// context, so when the answer never comes the goroutine waits forever.
func awaitReply(j *job) {
	res := <-j.reply
	answered.Add(int64(len(res)))
}

// handleSubmit queues the job and answers at once; the reply is awaited in
// the background.
func handleSubmit(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.URL.Query().Get("id"))
	j := &job{id: id, started: time.Now(), reply: make(chan []byte)}
	copy(j.body[:], r.URL.RawQuery)
	send(j)
	go awaitReply(j)
	w.Write([]byte("queued " + strconv.Itoa(id) + "\n"))
}

func main() {
	http.HandleFunc("/submit", handleSubmit)
	addr := zoo.Serve()
	zoo.Load(addr, 5, 10*time.Millisecond, func(n int) string { return "/submit?id=" + strconv.Itoa(n) })
}
