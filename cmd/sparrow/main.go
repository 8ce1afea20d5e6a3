// Command sparrow is Sparrow's single binary: the server and every operator
// and analyst tool. Run `sparrow help` for the commands.
//
// Environment variables are read only here (config.go); with DATABASE_URL
// unset, every command uses the private PostgreSQL cluster under
// $SPARROW_DATA_DIR/postgres (default ./.data/postgres), starting it if needed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `sparrow: practise sales calls with AI prospects.

Usage: sparrow <command> [flags]

Server:
  serve                          run the API, the projections and the scoring worker (default)
  migrate                        apply database migrations
  db start|stop|status|url       manage the private PostgreSQL cluster (when DATABASE_URL is unset)

Read models:
  projections status             each projector's position and lag
  projections rebuild [--only N] rebuild read tables from the log (no downtime)
  projections verify [--only N]  compare read tables with a fresh rebuild; exit 1 on differences
  projections quarantine list [--all] | retry|skip STREAM [--only N]
                                 streams a projector stopped on; apply again, or skip the failing event

Analysts:
  replay --call ID [--as-of-version N]             a call's timeline and its state as of a version
  events export [--since-position P] [--stream ID] [--type T]   the log as NDJSON on stdout

Practice and scoring:
  token --email X [--name N]     print a local sign-in token (local mode only)
  simulate --rep good|bad --mode M [--persona ID] [--runs N] [--seed S]
  rescore --call ID | --all [--provider NAME]
  import --file PATH --email X|--user ID --rep NAME --mode M [--persona ID] [--format F] [--started-at T]
                                 score a call held elsewhere (Speaker: text, WebVTT, SRT or JSON)
  doctor                         show which providers are active and check them

  bench                          run the benchmark (prints one JSON object last)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	if err == nil {
		return
	}
	var exit *exitError
	if errors.As(err, &exit) {
		if exit.msg != "" {
			fmt.Fprintln(os.Stderr, "sparrow:", exit.msg)
		}
		os.Exit(exit.code)
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	fmt.Fprintln(os.Stderr, "sparrow:", err)
	os.Exit(1)
}

// exitError ends the program with a specific code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// env carries what every command gets from the outside world.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	e := env{stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		args = []string{"serve"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, e, rest)
	case "migrate":
		return cmdMigrate(ctx, e, rest)
	case "db":
		return cmdDB(ctx, e, rest)
	case "projections":
		return cmdProjections(ctx, e, rest)
	case "replay":
		return cmdReplay(ctx, e, rest)
	case "events":
		return cmdEvents(ctx, e, rest)
	case "token":
		return cmdToken(ctx, e, rest)
	case "simulate":
		return cmdSimulate(ctx, e, rest)
	case "rescore":
		return cmdRescore(ctx, e, rest)
	case "import":
		return cmdImport(ctx, e, rest)
	case "doctor":
		return cmdDoctor(ctx, e, rest)
	case "bench":
		return cmdBench(ctx, e, rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown command %q", cmd)}
}

// newFlags returns a flag set that reports errors to stderr without exiting.
func newFlags(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("sparrow "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: sparrow %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and rejects stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}
