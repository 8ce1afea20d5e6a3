package main

import (
	"context"
	"fmt"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/prospect"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/projections"
)

func cmdSimulate(_ context.Context, e env, args []string) error {
	fs := newFlags(e, "simulate", "--rep good|bad|natural|natural-bad --mode MODE [--persona ID] [--runs N] [--seed S] | --table [--mode MODE] [--runs N] [--seed S]")
	rep := fs.String("rep", "", "scripted rep: good, bad, natural or natural-bad (required without --table)")
	mode := fs.String("mode", "", "cold_call, discovery or objection_gauntlet (required without --table)")
	persona := fs.String("persona", "", "a preset persona id (default: every preset)")
	runs := fs.Int("runs", 20, "calls per persona")
	seed := fs.Uint64("seed", 1, "seed (runs are reproducible)")
	verbose := fs.Bool("v", false, "print a line per persona")
	table := fs.Bool("table", false, "the natural-rep table: meeting rates of reps that talk like people, and how varied the prospect is, against the targets")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *table {
		return simulateTable(e, *mode, *runs, *seed)
	}
	m, err := domain.ParseMode(*mode)
	if err != nil {
		fs.Usage()
		return &exitError{code: 2, msg: err.Error()}
	}
	presets := personas.Presets()
	if *persona != "" {
		p, err := personas.PresetByID(*persona)
		if err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("--persona %q is not a preset persona id", *persona)}
		}
		presets = []personas.Preset{p}
	}
	sum, err := prospect.SimulateAll(*rep, m, *runs, *seed, presets)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if *verbose || *persona != "" {
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PERSONA\tDIFFICULTY\tMEETINGS\tHOW CALLS ENDED")
		for _, p := range sum.PerPersona {
			reasons := make([]string, 0, len(p.EndReasons))
			for r, n := range p.EndReasons {
				reasons = append(reasons, fmt.Sprintf("%s %d", r, n))
			}
			sort.Strings(reasons)
			fmt.Fprintf(tw, "%s\t%s\t%d of %d\t%v\n", p.Name, p.Difficulty, p.Meetings, p.Runs, reasons)
		}
		tw.Flush()
	}
	for _, d := range domain.Difficulties {
		if t, ok := sum.ByDifficulty[d]; ok {
			fmt.Fprintf(e.stdout, "%s: %d of %d\n", d, t.Meetings, t.Runs)
		}
	}
	fmt.Fprintln(e.stdout, sum.String())
	return nil
}

// simulateTable prints, per mode and difficulty, the meetings a competent
// natural rep books, the meetings the bad reps (scripted and natural) book,
// and how the prospect talked in all those calls (the most times one line
// was said in a call, the share of distinct lines), with issue 11's targets.
// It exits 1 when a target is missed.
func simulateTable(e env, mode string, runs int, seed uint64) error {
	modes := domain.Modes
	if mode != "" {
		m, err := domain.ParseMode(mode)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		modes = []domain.Mode{m}
	}
	presets := personas.Presets()
	fmt.Fprintf(e.stdout, "natural reps against every preset persona, %d calls per persona and mode, seed %d\n", runs, seed)
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MODE\tDIFFICULTY\tNATURAL REP MEETINGS\tTARGET\tBAD REPS MEETINGS\tMAX TIMES A LINE REPEATED\tDISTINCT LINES")
	met := true
	for _, m := range modes {
		natural, err := prospect.SimulateAll(string(prospect.RepNatural), m, runs, seed, presets)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		var bads []prospect.Summary
		for _, r := range []prospect.ScriptedRep{prospect.RepBad, prospect.RepNaturalBad} {
			b, err := prospect.SimulateAll(string(r), m, runs, seed, presets)
			if err != nil {
				return &exitError{code: 2, msg: err.Error()}
			}
			bads = append(bads, b)
		}
		for _, d := range domain.Difficulties {
			nt, ok := natural.ByDifficulty[d]
			if !ok {
				continue
			}
			lines := natural.LinesByDifficulty[d]
			badMeetings, badRuns := 0, 0
			for _, b := range bads {
				badMeetings += b.ByDifficulty[d].Meetings
				badRuns += b.ByDifficulty[d].Runs
				lines = lines.Add(b.LinesByDifficulty[d])
			}
			rate := float64(nt.Meetings) / float64(nt.Runs)
			target := prospect.NaturalTargets[d]
			met = met && rate >= target && badMeetings == 0 && lines.MaxRepeat <= prospect.MaxLineRepeats &&
				lines.DistinctShare() >= prospect.MinDistinctShare
			fmt.Fprintf(tw, "%s\t%s\t%d of %d (%.0f%%)\t>= %.0f%%\t%d of %d\t%d (max %d)\t%.0f%% (>= %.0f%%)\n", m, d, nt.Meetings, nt.Runs, 100*rate,
				100*target, badMeetings, badRuns, lines.MaxRepeat, prospect.MaxLineRepeats, 100*lines.DistinctShare(), 100*prospect.MinDistinctShare)
		}
	}
	tw.Flush()
	if !met {
		fmt.Fprintln(e.stdout, "targets: missed")
		return &exitError{code: 1, msg: "a natural-rep target was missed"}
	}
	fmt.Fprintln(e.stdout, "targets: all met")
	return nil
}

func cmdRescore(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "rescore", "--call ID | --all [--provider NAME]")
	callID := fs.String("call", "", "the call to rescore")
	all := fs.Bool("all", false, "rescore every completed call")
	provider := fs.String("provider", "", "only this provider (builtin, gemini, groq); default: the configured chain")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*callID == "") == !*all {
		fs.Usage()
		return &exitError{code: 2, msg: "give exactly one of --call ID and --all"}
	}
	if *callID != "" && !app.ValidID(*callID) {
		return &exitError{code: 2, msg: "--call must be a call id (a UUID)"}
	}
	c, err := configFromEnv(e.getenv)
	if err != nil {
		return err
	}
	chain, err := deepChain(ctx, c, *provider, newLogger(c, e.stderr))
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	d, err := openDatabase(ctx, c, e.stderr, 8)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := app.New(d.store, app.Config{QuickScorer: scoring.QuickChain{}})
	if err != nil {
		return err
	}
	ids := []string{*callID}
	if *all {
		ids = nil
		var after eventstore.Position
		for {
			evs, err := d.store.ReadBatch(ctx, nil, after, 0, 5000, eventstore.Filter{EventType: "CallEnded"})
			if err != nil {
				return err
			}
			for _, ev := range evs {
				ids = append(ids, ev.StreamID)
			}
			if len(evs) < 5000 {
				break
			}
			after = evs[len(evs)-1].Position
		}
	}
	done, skipped := 0, 0
	for i, id := range ids {
		s, err := scoring.Rescore(ctx, a, chain, id)
		switch {
		case err == nil:
			done++
			fmt.Fprintf(e.stdout, "%s: %d (%s %s, transcript version %d)\n", id, s.Overall, s.Provider, s.Model, s.TranscriptVersion)
		case *all:
			skipped++
			fmt.Fprintf(e.stderr, "rescore: %s: %v\n", id, err)
		default:
			return err
		}
		if *all && (i+1)%50 == 0 {
			fmt.Fprintf(e.stderr, "rescore: %d of %d calls\n", i+1, len(ids))
		}
	}
	// Show the new scores in the read tables even when no server runs.
	horizonPos, err := d.store.Head(ctx)
	if err != nil {
		return err
	}
	if err := projections.CatchUp(ctx, d.store, d.db, projections.ReadModels(), horizonPos, 2*time.Minute); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "rescored %d calls", done)
	if skipped > 0 {
		fmt.Fprintf(e.stdout, ", skipped %d (see above)", skipped)
	}
	fmt.Fprintln(e.stdout)
	return nil
}
