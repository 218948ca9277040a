// Command chanblock plants producers blocked on a slow consumer: 32 workers
// publish events on an unbuffered channel, and the single consumer takes
// 2 ms per event (a sleep standing in for a write to a slow sink). So 31
// producers are always parked in "chan send" in publish, and the block
// profile charges about 31 s of channel waits per second to publish, from the
// first second on.
// Planted: lock-contention (channel waits, block profile) and
// goroutine-pileup, in publish. Block profiling is on (mutex profiling too,
// which stays nearly empty), set here as a service would set them.
package main

import (
	"runtime"
	"strconv"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type event struct {
	worker int
	seq    int
	name   string
}

var (
	events  = make(chan event) // unbuffered: a send waits for the consumer
	written int
)

// publish hands an event to the sink writer and waits until it is taken.
func publish(ev event) {
	events <- ev
}

func worker(id int) {
	for seq := 0; ; seq++ {
		publish(event{worker: id, seq: seq, name: "job-" + strconv.Itoa(seq%100)})
	}
}

// consume is the slow sink writer.
func consume() {
	for ev := range events {
		time.Sleep(2 * time.Millisecond) // the write
		written += len(ev.name)
	}
}

func main() {
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(10_000)
	go consume()
	for i := 0; i < 32; i++ {
		go worker(i)
	}
	zoo.Run(10, 10*time.Millisecond, func(n int) { zoo.Sink = strconv.Itoa(n) })
}
