// Command heapdump-gen builds a heap of about -mb MiB shaped like a service's
// (a map of sessions with strings, tags and payloads; a binary search tree; a
// table of buffers; a long linked list; goroutines each parked holding a
// buffer; some garbage allocated after the last GC) and writes it with
// debug.WriteHeapDump, for bench/heapdump-large.mjs.
//
// Usage: heapdump-gen [-mb N] DUMPFILE
//
// stdout is one JSON line: the heap's MemStats, the objects planted, and how
// long WriteHeapDump stopped the world to write the dump.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

type session struct {
	id   int64
	name string
	tags []string
	data []byte
	peer *session
}

type treeNode struct {
	left, right *treeNode
	key         int
	val         [16]byte
}

type link struct {
	next  *link
	value [3]int64
}

var (
	sessions map[int64]*session
	tree     *treeNode
	buffers  [][]byte
	list     *link
	parked   = make(chan struct{})
)

func insert(root *treeNode, key int) *treeNode {
	n := &treeNode{key: key}
	if root == nil {
		return n
	}
	cur := root
	for {
		if key < cur.key {
			if cur.left == nil {
				cur.left = n
				return root
			}
			cur = cur.left
		} else {
			if cur.right == nil {
				cur.right = n
				return root
			}
			cur = cur.right
		}
	}
}

func hold(size int, ready chan<- struct{}) {
	buf := make([]byte, size)
	ready <- struct{}{}
	<-parked
	runtime.KeepAlive(buf)
}

func main() {
	mb := flag.Int("mb", 1024, "approximate heap size in MiB")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: heapdump-gen [-mb N] DUMPFILE")
		os.Exit(2)
	}
	// Shares of the heap: sessions ~45%, tree ~15%, buffers ~20%, list ~5%, goroutines ~6%, garbage ~9%.
	unit := *mb << 20
	nSessions := unit * 45 / 100 / 480
	sessions = make(map[int64]*session, nSessions)
	for i := 0; i < nSessions; i++ {
		s := &session{id: int64(i), name: "session-" + strconv.Itoa(i), data: make([]byte, 256)}
		s.tags = []string{"tag-" + strconv.Itoa(i%97), "region-" + strconv.Itoa(i%13)}
		if i > 0 {
			s.peer = sessions[int64(i/2)]
		}
		sessions[int64(i)] = s
	}
	rnd := uint64(88172645463325252)
	for i, n := 0, unit*15/100/48; i < n; i++ {
		rnd ^= rnd << 13
		rnd ^= rnd >> 7
		rnd ^= rnd << 17
		tree = insert(tree, int(rnd>>1))
	}
	for i, n := 0, unit*20/100/2048; i < n; i++ {
		buffers = append(buffers, make([]byte, 2048))
	}
	for i, n := 0, unit*5/100/32; i < n; i++ {
		list = &link{next: list}
	}
	ready := make(chan struct{})
	for i, n := 0, unit*6/100/(64<<10); i < n; i++ {
		go hold(64<<10, ready)
		<-ready
	}
	runtime.GC()
	var garbage [][]byte
	for i, n := 0, unit*9/100/4096; i < n; i++ {
		garbage = append(garbage, make([]byte, 4096))
	}
	garbage = nil

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	f, err := os.Create(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	start := time.Now()
	debug.WriteHeapDump(f.Fd())
	took := time.Since(start)
	f.Close()
	fmt.Printf(`{"goVersion":%q,"heapAlloc":%d,"heapObjects":%d,"sessions":%d,"writeSeconds":%.3f}`+"\n",
		runtime.Version(), ms.HeapAlloc, ms.HeapObjects, nSessions, took.Seconds())
}
