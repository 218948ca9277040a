// Command sizes is the binary-size fixture (footprint binary): a net/http
// server over TLS, so crypto/tls and net/http are linked in, with a large
// //go:embed file. The test writes payload.bin (incompressible bytes) beside
// this file before it builds, so no multi-megabyte file is committed.
package main

import (
	"crypto/tls"
	_ "embed"
	"fmt"
	"net/http"
	"os"
)

//go:embed payload.bin
var payload []byte

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/payload", func(w http.ResponseWriter, r *http.Request) {
		w.Write(payload)
	})
	srv := &http.Server{Addr: "127.0.0.1:0", Handler: mux, TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		fmt.Println(srv.ListenAndServeTLS(os.Args[2], os.Args[3]))
		return
	}
	fmt.Println(len(payload), srv.Addr)
}
