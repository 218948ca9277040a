// Command gcpressure plants GC pressure: the live heap is small (a session
// table of about 2 MiB of pointer-rich records), but every request parses
// its query into a fresh tree of small nodes (about 100 bytes, nearly all
// pointers) and drops it at once. At 2,000 requests/s of 420 nodes each,
// about 120 MB/s, the heap reaches the GC's 4 MiB minimum goal dozens of
// times a second, so the collector runs 25-35 times a second, marking the
// session table each time, and takes 40-50% of the CPU the process uses
// (a quarter to two fifths of one core in all), from the first second on.
// Planted: gc-pressure, from the allocation churn in parseQuery (the
// allocating user function: every node is allocated there).
package main

import (
	"strconv"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type node struct {
	parent   *node
	children []*node
	attrs    [6]*string
	text     string
	value    *int
}

type session struct {
	user  *string
	peers [4]*session
	last  *node
	data  []*int
}

var (
	sessions []*session // the live heap: about 1.5 MiB, all pointers
	matched  int
)

// parseQuery builds the syntax tree of a query: 20 clauses of 20 terms.
func parseQuery(n int) *node {
	root := &node{text: "query"}
	for c := 0; c < 20; c++ {
		clause := &node{parent: root, text: "and"}
		root.children = append(root.children, clause)
		for t := 0; t < 20; t++ {
			v := n + c*t
			clause.children = append(clause.children, &node{parent: clause, text: "term", value: &v})
		}
	}
	return root
}

func handle(n int) {
	q := parseQuery(n)
	s := sessions[n%len(sessions)]
	if len(q.children[n%20].children) > 0 {
		matched++
	}
	s.last = nil // the session does not keep the query
}

func main() {
	zoo.Init()
	sessions = make([]*session, 16_000)
	for i := range sessions {
		user := "user-" + strconv.Itoa(i)
		sessions[i] = &session{user: &user, data: make([]*int, 4)}
		for j := range sessions[i].data {
			v := i + j
			sessions[i].data[j] = &v
		}
	}
	for i, s := range sessions {
		for j := range s.peers {
			s.peers[j] = sessions[(i*7+j*131)%len(sessions)]
		}
	}
	zoo.Run(20, 10*time.Millisecond, handle)
}
