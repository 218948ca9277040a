// Command gofmt prints how Go formats float64 values with the verbs pprof
// uses for its reports (%.2f for values, %.2g and %5.2f for percentages), so
// footprint's formatter can be checked against Go itself. Each line is
// "value<TAB>%.2f<TAB>%.2g", with the value in shortest round-trip form.
package main

import (
	"fmt"
	"math/rand"
	"strconv"
)

func main() {
	values := []float64{
		0, 0.125, 0.375, 0.625, 2.675, 1.005, 0.045, 0.005, 0.015, 0.0001234, 99.995, 0.99999,
		1e-7, 12345.675, 0.5, 1.5, 2.5, -0.125, -2.5, 0.95, 0.995, 0.0095, 5e-5, 123456789.125,
	}
	// Byte values as pprof scales them: n / 1024^k.
	for n := 1; n <= 4096; n += 7 {
		values = append(values, float64(n)/1024, float64(n*1000+n)/(1024*1024))
	}
	// Percentages as pprof computes them: |v/total| * 100.
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		total := r.Int63n(1<<40) + 1
		v := r.Int63n(total)
		values = append(values, float64(v)/float64(total)*100, float64(v%1000)/float64(total)*100)
	}
	for _, v := range values {
		fmt.Printf("%s\t%.2f\t%.2g\n", strconv.FormatFloat(v, 'g', -1, 64), v, v)
	}
}
