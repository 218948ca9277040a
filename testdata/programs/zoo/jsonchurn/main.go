// Command jsonchurn plants allocation churn under encoding/json: every
// request to /ingest carries a batch of 32 audit events and encodes each one
// with json.Marshal in encodeEvent, keeps only a short summary and drops the
// encoded bytes. Marshal allocates through reflection (map keys sorted,
// time.Time.MarshalJSON, the result copied out of the encoder's buffer), so
// the allocating frames are all encoding/json, reflect and time, with the
// user's encodeEvent under them. Load is real HTTP over loopback (400
// requests/s), so the allocation rate is steady from the first second on
// while the live heap stays flat.
// Planted: allocation-churn in encodeEvent.
package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

type auditEvent struct {
	ID       int               `json:"id"`
	At       time.Time         `json:"at"`
	Actor    string            `json:"actor"`
	Action   string            `json:"action"`
	Resource string            `json:"resource"`
	Tags     []string          `json:"tags"`
	Attrs    map[string]string `json:"attrs"`
	Scores   map[string]int    `json:"scores"`
}

var (
	actions = []string{"read", "write", "delete", "share", "login"}
	batch   [32]auditEvent // the events of a batch, as decoded from the request
	shipped int
)

// encodeEvent serialises one event for the audit log.
func encodeEvent(ev auditEvent) []byte {
	b, err := json.Marshal(ev)
	if err != nil {
		return nil
	}
	return b
}

// handleIngest encodes every event of the batch and answers with the count.
func handleIngest(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.URL.Query().Get("id"))
	at := time.Unix(1_700_000_000+int64(id), 0).UTC()
	size := 0
	for i := range batch {
		ev := batch[i]
		ev.ID, ev.At = id*len(batch)+i, at
		size += len(encodeEvent(ev))
	}
	shipped += size
	w.Write([]byte(`{"accepted":` + strconv.Itoa(len(batch)) + `,"bytes":` + strconv.Itoa(size) + "}\n"))
}

func init() {
	for i := range batch {
		batch[i] = auditEvent{
			Actor: "user-" + strconv.Itoa(i*37%1000), Action: actions[i%len(actions)],
			Resource: "/projects/" + strconv.Itoa(i%7) + "/files/" + strconv.Itoa(i),
			Tags:     []string{"audit", "v2", actions[(i+1)%len(actions)]},
			Attrs: map[string]string{
				"ip": "10.1.2." + strconv.Itoa(i), "agent": "footprint-zoo/1.0",
				"region": "eu-west-1", "session": strconv.Itoa(i * 7919),
			},
			Scores: map[string]int{"risk": i, "size": i * 128, "depth": 3},
		}
	}
}

func main() {
	http.HandleFunc("/ingest", handleIngest)
	addr := zoo.Serve()
	zoo.Load(addr, 4, 10*time.Millisecond, func(n int) string { return "/ingest?id=" + strconv.Itoa(n) })
}
