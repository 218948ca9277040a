// Command deadlock blocks every goroutine: two take two locks in opposite
// orders, a third waits on a channel nobody sends on, and main waits for all
// three. The runtime sees that nothing can run, prints
// "fatal error: all goroutines are asleep - deadlock!" with every goroutine's
// stack on stderr, and exits 2. (Only the standard library's sync is
// imported: packages that start timers at init hide a deadlock from the runtime.)
package main

import "sync"

var never = make(chan int)

func main() {
	var a, b sync.Mutex
	var wg, held sync.WaitGroup
	held.Add(2)
	wg.Add(3)
	go func() { defer wg.Done(); lockPair(&a, &b, &held) }()
	go func() { defer wg.Done(); lockPair(&b, &a, &held) }()
	go func() { defer wg.Done(); receive() }()
	wg.Wait()
}

//go:noinline
func lockPair(first, second *sync.Mutex, held *sync.WaitGroup) {
	first.Lock()
	held.Done()
	held.Wait() // both hold their first lock before either takes its second
	second.Lock()
}

//go:noinline
func receive() int { return <-never }
