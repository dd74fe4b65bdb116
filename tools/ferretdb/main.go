// Command ferretdb runs FerretDB v1 (MongoDB wire protocol) on its embedded SQLite backend.
//
// Why a wrapper instead of `go install github.com/FerretDB/FerretDB/cmd/ferretdb`: that command reads
// build/version/version.txt, which only FerretDB's release tooling generates, and panics without it. The
// embeddable package (github.com/FerretDB/FerretDB/ferretdb) skips that file by design, so this main is the
// whole build recipe: one `go build`, no patched module.
//
// Once the listener is up it prints one line, `ready <mongodb-uri>`, to stdout. Tests start it on port 0 and
// read the real address from that line, which avoids the race of picking a free port first.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"

	"github.com/posestack/posestack/tools/ferretdb/wireping"
)

func main() {
	// Invoked as ferretdb-healthcheck (a symlink in the image): the image has no mongosh to ping with.
	if filepath.Base(os.Args[0]) == "ferretdb-healthcheck" || (len(os.Args) > 1 && os.Args[1] == "healthcheck") {
		addr := envOr("FERRETDB_HEALTHCHECK_ADDR", "127.0.0.1:27017")
		if err := wireping.Ping(addr, 3*time.Second); err != nil {
			fail("healthcheck of %s failed: %v", addr, err)
		}
		return
	}

	listenAddr := flag.String("listen-addr", envOr("FERRETDB_LISTEN_ADDR", "127.0.0.1:27017"), "TCP host:port to listen on (port 0 picks a free one)")
	dataDir := flag.String("data-dir", envOr("FERRETDB_DATA_DIR", "data"), "directory of the SQLite databases (one file per database)")
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "warn"), "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("invalid --log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	if err := os.MkdirAll(*dataDir, 0o750); err != nil {
		fail("cannot create --data-dir %q: %v", *dataDir, err)
	}
	absData, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("cannot resolve --data-dir %q: %v", *dataDir, err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:   logger,
		Handler:  "sqlite",
		// The SQLite backend wants a directory URL with a trailing slash.
		SQLiteURL: "file:" + absData + "/",
	})
	if err != nil {
		fail("cannot start FerretDB on %q with data in %q: %v", *listenAddr, absData, err)
	}

	// SIGTERM (docker stop, test teardown) closes the listener and the SQLite files cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			logger.Error("FerretDB stopped with an error", "error", err)
		}
	}()

	// MongoDBURI blocks until the listener is bound (see its doc), so this line means "accepting connections".
	fmt.Printf("ready %s\n", f.MongoDBURI())
	<-done
}

func envOr(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return fallback
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(2)
}
