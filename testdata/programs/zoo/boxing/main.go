// Command boxing plants interface boxing in a hot loop: every metric value is
// passed as `any`, so each one is allocated on the heap before it is summed.
// Planted: allocation-churn in recordMetrics.
package main

import (
	"time"

	"footprint-fixtures/zoo/internal/zoo"
)

var (
	total float64
	last  any // keeps the latest sample, so the boxed value escapes to the heap
)

func add(v any) {
	last = v
	switch x := v.(type) {
	case float64:
		total += x
	case int:
		total += float64(x)
	}
}

// recordMetrics boxes every sample into an interface value.
func recordMetrics(n int) {
	for i := 0; i < 2000; i++ {
		add(float64(n*i) + 0.5)
	}
}

func main() {
	zoo.Run(10, 10*time.Millisecond, recordMetrics)
}
