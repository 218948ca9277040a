// Command fmtchurn plants allocation churn under fmt, strconv and strings:
// every request formats an access-log line in formatLine with fmt.Sprintf,
// strconv.FormatFloat and a strings.Builder that starts empty and grows, and
// the line is dropped once written (the last 64 are kept for a status page).
// The allocating frames are fmt, strconv, strings and runtime (the boxing of
// Sprintf's arguments), with the user's formatLine under them. 20,000 lines
// a second from the first second on, with a flat live heap.
// Planted: allocation-churn in formatLine.
package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

var (
	methods = []string{"GET", "POST", "PUT", "DELETE"}
	recent  [64]string
)

// formatLine renders one access-log line.
func formatLine(n int) string {
	var b strings.Builder
	b.WriteString(time.Unix(1_700_000_000+int64(n/1000), 0).UTC().Format(time.RFC3339))
	b.WriteString(fmt.Sprintf(" %s /api/v1/items/%d?page=%d", methods[n%len(methods)], n%10007, n%13))
	b.WriteString(" status=")
	b.WriteString(strconv.Itoa(200 + n%5))
	b.WriteString(" bytes=")
	b.WriteString(strconv.Itoa(512 + n%65536))
	b.WriteString(" ms=")
	b.WriteString(strconv.FormatFloat(float64(n%997)/7.0, 'f', 3, 64))
	b.WriteString(fmt.Sprintf(" ua=%q peer=%s:%d", "footprint-zoo/1.0", "10.0.0."+strconv.Itoa(n%250), 40000+n%20000))
	return b.String()
}

func main() {
	zoo.Run(200, 10*time.Millisecond, func(n int) {
		recent[n%len(recent)] = formatLine(n)
	})
}
