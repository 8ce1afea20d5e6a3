package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sparrow-coach/sparrow/projections"
)

func cmdProjections(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: "usage: sparrow projections status|rebuild|verify [--only NAME[,NAME]] | quarantine list|retry|skip"}
	}
	sub := args[0]
	if sub == "quarantine" {
		return cmdQuarantine(ctx, e, args[1:])
	}
	fs := newFlags(e, "projections "+sub, "[--only NAME[,NAME]]")
	only := fs.String("only", "", "comma-separated projectors ("+strings.Join(projections.Names(), ", ")+"); default all")
	chunk := fs.Int("chunk", 2000, "events per write transaction (rebuild, verify)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	ps, err := projections.ByName(names...)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	_, d, err := openFromEnv(ctx, e, 8)
	if err != nil {
		return err
	}
	defer d.Close()
	switch sub {
	case "status":
		sts, err := projections.Statuses(ctx, d.store, ps)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PROJECTOR\tPOSITION\tLAG (EVENTS)\tLAG (SECONDS)\tQUARANTINED STREAMS")
		quarantined := 0
		for _, s := range sts {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%d\n", s.Name, s.Position, s.LagEvents, s.Lag.Seconds(), s.Quarantined)
			quarantined += s.Quarantined
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if quarantined > 0 {
			fmt.Fprintf(e.stderr, "%d quarantined streams: see `sparrow projections quarantine list`\n", quarantined)
		}
		return nil
	case "rebuild", "verify":
		rb, err := projections.NewRebuilder(d.store, d.db, projections.RebuildConfig{Progress: e.stderr, ChunkSize: *chunk})
		if err != nil {
			return err
		}
		if sub == "rebuild" {
			_, err := rb.Rebuild(ctx, ps)
			return err
		}
		start := time.Now()
		rep, err := rb.Verify(ctx, ps)
		if err != nil {
			return err
		}
		if rep.OK() {
			fmt.Fprintf(e.stdout, "verify: %s match a fresh rebuild of %d events (position %s, %s)\n",
				strings.Join(rep.Projectors, ", "), rep.Events, rep.Position, time.Since(start).Round(time.Millisecond))
			return nil
		}
		fmt.Fprintf(e.stdout, "verify: live tables differ from a fresh rebuild of %d events (position %s):\n", rep.Events, rep.Position)
		for t, n := range rep.Mismatches {
			fmt.Fprintf(e.stdout, "  %s: %d differing rows\n", t, n)
		}
		for _, s := range rep.Samples {
			fmt.Fprintf(e.stdout, "  %s, only in the %s table: %s\n", s.Table, s.Side, s.Row)
		}
		fmt.Fprintln(e.stdout, "run `sparrow projections rebuild` to replace the live tables with the rebuild")
		return &exitError{code: 1}
	}
	return &exitError{code: 2, msg: fmt.Sprintf("unknown projections command %q (status, rebuild, verify, quarantine)", sub)}
}

// cmdQuarantine lists quarantined streams, or resolves one: retry applies
// the stream again from the last version applied; skip records the
// quarantined event as applied without effect and goes on.
func cmdQuarantine(ctx context.Context, e env, args []string) error {
	const usage = "usage: sparrow projections quarantine list [--all] | retry|skip STREAM_ID [--only NAME[,NAME]]"
	if len(args) == 0 {
		return &exitError{code: 2, msg: usage}
	}
	action := args[0]
	fs := newFlags(e, "projections quarantine "+action, "list [--all] | retry|skip STREAM_ID [--only NAME[,NAME]]")
	all := fs.Bool("all", false, "list: resolved quarantines too")
	only := fs.String("only", "", "retry, skip: these projectors only (default: every projector the stream is quarantined for)")
	var stream string
	rest := args[1:]
	if action == "retry" || action == "skip" {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return &exitError{code: 2, msg: usage}
		}
		stream, rest = rest[0], rest[1:]
	}
	if err := parse(fs, rest); err != nil {
		return err
	}
	if action != "list" && action != "retry" && action != "skip" {
		return &exitError{code: 2, msg: usage}
	}
	_, d, err := openFromEnv(ctx, e, 4)
	if err != nil {
		return err
	}
	defer d.Close()
	qs, err := projections.ListQuarantined(ctx, d.store, *all && action == "list")
	if err != nil {
		return err
	}
	if action == "list" {
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PROJECTOR\tSTREAM\tVERSION\tEVENT\tPOSITION\tSINCE\tATTEMPTS\tRESOLUTION\tERROR")
		for _, q := range qs {
			res := q.Resolution
			if res == "" {
				res = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\t%s\n", q.Projector, q.StreamID, q.Version, q.EventType, q.Position,
				q.At.UTC().Format(time.RFC3339), q.Attempts, res, strings.ReplaceAll(q.Error, "\n", " "))
		}
		return tw.Flush()
	}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
		if _, err := projections.ByName(names...); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	} else {
		for _, q := range qs {
			if q.StreamID == stream {
				names = append(names, q.Projector)
			}
		}
	}
	if len(names) == 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("stream %s is not quarantined", stream)}
	}
	resolve := projections.RetryQuarantined
	if action == "skip" {
		resolve = projections.SkipQuarantined
	}
	failed := false
	for _, name := range names {
		res, err := resolve(ctx, d.store, name, stream)
		if err != nil {
			return err
		}
		if q := res.Requarantined; q != nil {
			failed = true
			fmt.Fprintf(e.stdout, "%s: applied %d events; still quarantined at version %d (%s): %s\n", name, res.Applied, q.Version, q.EventType, q.Error)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: %s; applied %d events, the stream is at version %d and live again\n", name, map[string]string{"retry": "retried", "skip": "skipped the event"}[action], res.Applied, res.Version)
	}
	if failed {
		return &exitError{code: 1}
	}
	return nil
}
