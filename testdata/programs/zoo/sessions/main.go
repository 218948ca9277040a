// Command sessions plants a session table that only grows: every request
// logs a user in and stores a small session struct under a fresh token, and
// nothing ever logs anyone out. The objects are small (a few dozen bytes)
// but the bytes climb steadily too (about 3 MiB to 7 MiB over six seconds),
// so the right reading is heap growth at (*sessionStore).login, not "small
// objects accumulating while the heap holds".
package main

import (
	"strconv"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type session struct {
	user    string
	created int64
	hits    int32
	admin   bool
}

type sessionStore struct {
	byToken map[string]*session
}

// login stores a new session; sessions are never removed.
func (s *sessionStore) login(user string, now int64) {
	token := "tok-" + strconv.FormatInt(now, 36) + "-" + user
	s.byToken[token] = &session{user: user, created: now}
}

var store = &sessionStore{byToken: map[string]*session{}}

func main() {
	for i := 0; i < 30000; i++ {
		store.login("u"+strconv.Itoa(i), int64(i))
	}
	zoo.Run(80, 10*time.Millisecond, func(n int) {
		store.login("u"+strconv.Itoa(n%5000), int64(1_000_000+n))
	})
}
