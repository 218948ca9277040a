// Command bigptr plants a large, pointer-rich live heap: about 195 MB of
// small linked structs (2.4 million 64-byte nodes, each pointing at two
// others, the slice holding them, and a map from key to node for a quarter of
// them), built first and kept to the end, then steady churn: 800,000 steps,
// each allocating 8 short-lived linked nodes, their slice and one 1–4 KiB
// []byte, and every 4th step rewiring a live node (a pointer write into the
// old graph, and a new 8-byte tag whose predecessor dies). The live set keeps
// its size; about 2.9 GB is allocated in all. Every cycle has to trace the
// whole graph, so marking is expensive (hundreds of ms of CPU) and the live
// heap dwarfs the 4 MiB heap-goal floor.
//
// Work is fixed: a fixed number of steps driven by a seeded generator, the
// same objects in the same order whatever GOGC or GOMEMLIMIT say. It prints
// one summary line to stdout and nothing to stderr (gctrace goes there).
package main

import (
	"fmt"
	"runtime"
)

const (
	liveNodes  = 2_400_000 // × 64 B ≈ 154 MB of nodes
	mapEvery   = 4         // every 4th node is also in the index map
	steps      = 800_000
	churnNodes = 8 // short-lived nodes per step, plus one 1–4 KiB []byte
	rewireMod  = 4 // one live node rewired every 4 steps
)

// lcg is a deterministic pseudo-random sequence: the same on every run.
type lcg uint64

func (l *lcg) next() uint64 {
	*l = *l*6364136223846793005 + 1442695040888963407
	return uint64(*l >> 33)
}

// node is 64 bytes: three pointers and five words of data.
type node struct {
	next, peer *node
	tag        *uint64
	key        uint64
	vals       [4]uint64
}

var (
	nodes []*node
	index map[uint64]*node
	sink  [32][]*node // the latest churn, dead a few steps later
	bufs  [32][]byte
)

func build(rng *lcg) {
	nodes = make([]*node, liveNodes)
	index = make(map[uint64]*node)
	for i := range nodes {
		n := &node{key: uint64(i)}
		n.vals[0] = rng.next()
		if i > 0 {
			n.next = nodes[i-1]
			n.peer = nodes[int(rng.next()%uint64(i))]
		}
		nodes[i] = n
		if i%mapEvery == 0 {
			index[uint64(i)] = n
		}
	}
}

func main() {
	rng := lcg(11)
	build(&rng)
	var sum uint64
	for step := 0; step < steps; step++ {
		batch := make([]*node, churnNodes)
		var prev *node
		for k := range batch {
			n := &node{next: prev, key: uint64(step)}
			n.vals[k%4] = uint64(k)
			batch[k] = n
			prev = n
		}
		prev.peer = nodes[rng.next()%liveNodes] // one read of the live graph per step
		for n := prev; n != nil; n = n.next {
			sum += n.vals[0] ^ n.key
		}
		sum += prev.peer.vals[0]
		buf := make([]byte, 1024+int(rng.next()%3072)) // pointer-free churn, 1–4 KiB
		buf[step%len(buf)] = byte(step)
		sink[step%len(sink)] = batch
		bufs[step%len(bufs)] = buf
		if step%rewireMod == 0 {
			// Rewire a live node and give it a new tag: pointer writes into the
			// old graph, the old tag dies, the live set keeps its size.
			n := nodes[rng.next()%liveNodes]
			n.peer = nodes[rng.next()%liveNodes]
			t := uint64(step)
			n.tag = &t
		}
	}
	runtime.KeepAlive(nodes)
	fmt.Println("bigptr checksum", sum, "index", len(index))
}
