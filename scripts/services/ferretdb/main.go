// Command ferretdb runs FerretDB's embeddable package (a MongoDB wire
// protocol server over SQLite) on one TCP address until SIGTERM or SIGINT.
//
// FerretDB's own command, installed with `go install`, panics at start: it
// reads its version from a file that its release build generates and the
// module does not contain. The embeddable package does not need it.
//
//	ferretdb -listen 127.0.0.1:27017 -sqlite-url file:/path/to/dir/
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "", "SQLite URI of the data directory, ending with a slash")
	postgresqlURL := flag.String("postgresql-url", "", "PostgreSQL connection string of the database to use")
	flag.Parse()
	handler := "sqlite"
	switch {
	case (*sqliteURL == "") == (*postgresqlURL == ""):
		log.Fatal("exactly one of -sqlite-url and -postgresql-url is required")
	case *postgresqlURL != "":
		handler = "postgresql"
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresqlURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	log.Printf("listening on %s", *listen)
	db.Run(ctx)
}
