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
		return &exitError{code: 2, msg: "usage: sparrow projections status|rebuild|verify [--only NAME[,NAME]]"}
	}
	sub := args[0]
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
		fmt.Fprintln(tw, "PROJECTOR\tPOSITION\tLAG (EVENTS)\tLAG (SECONDS)")
		for _, s := range sts {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\n", s.Name, s.Position, s.LagEvents, s.Lag.Seconds())
		}
		return tw.Flush()
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
	return &exitError{code: 2, msg: fmt.Sprintf("unknown projections command %q (status, rebuild, verify)", sub)}
}
