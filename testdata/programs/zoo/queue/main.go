// Command queue plants a slice-backed queue that only grows: jobs are pushed
// twice as fast as they are popped, and popping reslices from the front, so
// the backing array is reallocated ever larger.
// Planted: heap-growth in (*jobQueue).push.
package main

import (
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type job struct {
	id      int
	payload [480]byte
}

type jobQueue struct {
	items []job
}

func (q *jobQueue) push(j job) { q.items = append(q.items, j) }

func (q *jobQueue) pop() (job, bool) {
	if len(q.items) == 0 {
		return job{}, false
	}
	j := q.items[0]
	q.items = q.items[1:]
	return j, true
}

var queue jobQueue

func main() {
	zoo.Run(60, 10*time.Millisecond, func(n int) {
		queue.push(job{id: n})
		if n%2 == 0 {
			queue.pop()
		}
	})
}
