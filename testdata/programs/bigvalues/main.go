// Command bigvalues writes small profile.proto files whose sample values pass
// 2^53, the largest integer a float64 (and a JavaScript number) holds exactly,
// up to int64's limits. No Go program allocates 8 PiB, so the runtime cannot
// produce them: the messages are encoded by hand (profile.proto field numbers
// from github.com/google/pprof/proto/profile.proto). They are what
// footprint's reports are checked against `go tool pprof` on, and what its
// export must write back unchanged.
//
//	bigvalues DIR
//
// writes DIR/wide.pb.gz (values past 2^53 whose sums stay in int64),
// DIR/int64max.pb.gz (one sample of 2^63-1) and DIR/overflow.pb.gz (values
// whose sum passes 2^63-1, where pprof's int64 sums wrap around).
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// sample is a stack, root first as written here ("main.main;main.a;main.odd"),
// and its objects and bytes, written as both allocated and in use.
type sample struct {
	stack  string
	values [2]int64
}

const twoTo53 = int64(1) << 53

var profiles = map[string][]sample{
	"wide.pb.gz": {
		{"main.main;main.a;main.odd", [2]int64{twoTo53 + 1, twoTo53 + 1}},
		{"main.main;main.b;main.odd", [2]int64{twoTo53 + 1, 3}},
		{"main.main;main.b;main.one", [2]int64{1, 1}},
		{"main.main;main.a;main.big", [2]int64{1<<62 + 1, 1<<62 + 12345}},
		{"main.main;main.small", [2]int64{3, 4096}},
		// A diff profile's values are negative; -(2^53+5) is as inexact as 2^53+5.
		{"main.main;main.neg", [2]int64{-(twoTo53 + 5), -7}},
	},
	"int64max.pb.gz": {
		{"main.main;main.huge", [2]int64{math.MaxInt64, math.MaxInt64}},
	},
	"overflow.pb.gz": {
		{"main.main;main.x", [2]int64{1 << 62, 1 << 62}},
		{"main.main;main.y", [2]int64{1 << 62, 1 << 62}},
		{"main.main;main.z", [2]int64{5, 5}},
	},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bigvalues DIR")
		os.Exit(2)
	}
	for name, samples := range profiles {
		if err := write(filepath.Join(os.Args[1], name), encode(samples)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func write(path string, message []byte) error {
	var out bytes.Buffer
	z := gzip.NewWriter(&out)
	z.Write(message)
	if err := z.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

// encode writes a profile with a heap profile's four sample types
// (alloc_objects, alloc_space, inuse_objects, inuse_space), one function and
// one location per distinct frame name.
func encode(samples []sample) []byte {
	var p message
	strs := newStrings()
	valueType := func(field int, typ, unit string) {
		var m message
		m.int(1, strs.index(typ))
		m.int(2, strs.index(unit))
		p.msg(field, &m)
	}
	valueType(1, "alloc_objects", "count")
	valueType(1, "alloc_space", "bytes")
	valueType(1, "inuse_objects", "count")
	valueType(1, "inuse_space", "bytes")
	valueType(11, "space", "bytes")
	p.int(12, 1)

	locations := map[string]int64{}
	location := func(fn string) int64 {
		if id, ok := locations[fn]; ok {
			return id
		}
		id := int64(len(locations) + 1)
		locations[fn] = id
		var f message
		f.int(1, id)
		f.int(2, strs.index(fn))
		f.int(4, strs.index("main.go"))
		p.msg(5, &f)
		var line, loc message
		line.int(1, id)
		line.int(2, 10+id)
		loc.int(1, id)
		loc.msg(4, &line)
		p.msg(4, &loc)
		return id
	}
	for _, s := range samples {
		frames := strings.Split(s.stack, ";")
		var m message
		for i := len(frames) - 1; i >= 0; i-- { // leaf first
			m.int(1, location(frames[i]))
		}
		for range 2 { // allocated, then in use
			m.int(2, s.values[0])
			m.int(2, s.values[1])
		}
		p.msg(2, &m)
	}
	for _, s := range strs.all {
		p.bytes(6, []byte(s))
	}
	return p.Bytes()
}

// message is a protobuf message being written (https://protobuf.dev/programming-guides/encoding/).
type message struct{ bytes.Buffer }

func (m *message) varint(v uint64) {
	for v >= 0x80 {
		m.WriteByte(byte(v) | 0x80)
		v >>= 7
	}
	m.WriteByte(byte(v))
}

// int writes an int64 field: negative values as ten-byte two's complement varints, as Go writes them.
func (m *message) int(field int, v int64) {
	m.varint(uint64(field) << 3)
	m.varint(uint64(v))
}

func (m *message) bytes(field int, b []byte) {
	m.varint(uint64(field)<<3 | 2)
	m.varint(uint64(len(b)))
	m.Write(b)
}

func (m *message) msg(field int, sub *message) { m.bytes(field, sub.Bytes()) }

// stringTable interns strings; index 0 is "" as profile.proto requires.
type stringTable struct {
	all []string
	ids map[string]int64
}

func newStrings() *stringTable {
	return &stringTable{all: []string{""}, ids: map[string]int64{"": 0}}
}

func (t *stringTable) index(s string) int64 {
	if i, ok := t.ids[s]; ok {
		return i
	}
	t.ids[s] = int64(len(t.all))
	t.all = append(t.all, s)
	return t.ids[s]
}
