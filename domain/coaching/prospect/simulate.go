package prospect

import (
	"fmt"
	"math/rand/v2"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

// DefaultMaxTurns is the rep-turn limit SimulateAll uses; every prospect ends
// the call on its own before that.
const DefaultMaxTurns = 40

// SimResult is the outcome of one simulated call.
type SimResult struct {
	MeetingBooked bool
	// Turns is the transcript: the prospect's opening, then rep and prospect
	// lines alternating, with strictly increasing TimestampMs (speech at a
	// realistic rate plus pauses between speakers).
	Turns     []domain.TranscriptEntry
	EndReason string
	// Final is the prospect's state when the call ended.
	Final State
}

// Simulate plays one call between a scripted rep (see ScriptedReps) and a
// prospect. It validates its input: errors wrap domain.ErrInvalid inside a
// *domain.FieldError naming the field (a persona field such as "name", or
// "mode", "rep", "maxTurns"). A call still going after maxTurns rep lines
// ends with EndReason EndMaxTurns.
func Simulate(p domain.PersonaProfile, mode domain.Mode, rep string, seed uint64, maxTurns int) (SimResult, error) {
	if err := p.Validate(); err != nil {
		return SimResult{}, fmt.Errorf("simulate: persona: %w", err)
	}
	if _, err := domain.ParseMode(string(mode)); err != nil {
		return SimResult{}, fmt.Errorf("simulate: %w", &domain.FieldError{Field: "mode", Err: err})
	}
	if maxTurns < 1 {
		return SimResult{}, fmt.Errorf("simulate: %w", &domain.FieldError{Field: "maxTurns", Err: fmt.Errorf("%w: maxTurns must be at least 1, got %d", domain.ErrInvalid, maxTurns)})
	}
	r, err := NewRep(rep, mix(seed, 1))
	if err != nil {
		return SimResult{}, fmt.Errorf("simulate: %w", err)
	}
	pr := New(p, mode, seed)
	clock := newPacer(p.Personality, mix(seed, 2))

	history := []domain.TranscriptEntry{clock.line(domain.RoleAssistant, pr.Opening(), 1200)}
	res := SimResult{EndReason: EndMaxTurns}
	for range maxTurns {
		gap := 500 + clock.rng.IntN(500)
		if pr.st.PendingObjection != "" && ScriptedRep(rep) == RepGood {
			gap += 700 // top reps pause after an objection (Gong)
		}
		text := r.Next(history, pr.State())
		history = append(history, clock.line(domain.RoleUser, text, gap))
		reply := pr.Respond(text)
		if reply.Text != "" {
			history = append(history, clock.line(domain.RoleAssistant, reply.Text, 400+clock.rng.IntN(700)))
		}
		if reply.Ended {
			res.EndReason = reply.EndReason
			res.MeetingBooked = reply.MeetingBooked
			break
		}
	}
	res.Turns = history
	res.Final = pr.State()
	return res, nil
}

// pacer hands out timestamps: each line starts after the previous one was
// spoken (at a words-per-minute rate) and a pause.
type pacer struct {
	rng          *rand.Rand
	now          int64
	prospectWPM  int
	repWPM       int
	lastDuration int64
}

func newPacer(p domain.Personality, seed uint64) *pacer {
	wpm := map[domain.Personality]int{
		domain.PersonalityBusy: 185, domain.PersonalityHostile: 170, domain.PersonalityFriendly: 160,
		domain.PersonalitySkeptical: 155, domain.PersonalityTechnical: 150,
	}[p]
	if wpm == 0 {
		wpm = 160
	}
	rng := rand.New(rand.NewPCG(seed, seed^0xbb67ae8584caa73b))
	return &pacer{rng: rng, prospectWPM: wpm, repWPM: 140 + rng.IntN(30)}
}

func (c *pacer) line(role domain.Role, text string, pauseMs int) domain.TranscriptEntry {
	c.now += c.lastDuration + int64(pauseMs)
	wpm := c.repWPM
	if role == domain.RoleAssistant {
		wpm = c.prospectWPM
	}
	c.lastDuration = max(int64(400), int64(wordCount(text))*60_000/int64(wpm))
	return domain.TranscriptEntry{Role: role, Content: text, TimestampMs: c.now}
}

// LineStats describes how a prospect talked over one or more calls: how many
// lines it said (the opening excluded), how many of them were distinct
// within their call, and the most times one line was said in one call.
type LineStats struct {
	Lines     int
	Distinct  int
	MaxRepeat int
}

// DistinctShare is Distinct / Lines (1 when there were no lines).
func (l LineStats) DistinctShare() float64 {
	if l.Lines == 0 {
		return 1
	}
	return float64(l.Distinct) / float64(l.Lines)
}

// Add combines the stats of two sets of calls.
func (l LineStats) Add(o LineStats) LineStats {
	return LineStats{Lines: l.Lines + o.Lines, Distinct: l.Distinct + o.Distinct, MaxRepeat: max(l.MaxRepeat, o.MaxRepeat)}
}

// ProspectLineStats measures the prospect's replies in one call's transcript
// (the opening line is not a reply and is left out).
func ProspectLineStats(turns []domain.TranscriptEntry) LineStats {
	seen := map[string]int{}
	var st LineStats
	for i, e := range turns {
		if i == 0 || e.Role != domain.RoleAssistant {
			continue
		}
		st.Lines++
		seen[e.Content]++
		st.MaxRepeat = max(st.MaxRepeat, seen[e.Content])
	}
	st.Distinct = len(seen)
	return st
}

// Issue 11's targets for the built-in prospect against reps that talk like
// people: the share of meetings a competent natural rep (RepNatural) must
// book per difficulty, bad reps book none, no prospect line is said more
// than MaxLineRepeats times in a call, and at least MinDistinctShare of its
// lines are distinct.
var NaturalTargets = map[domain.Difficulty]float64{domain.DifficultyEasy: 0.5, domain.DifficultyMedium: 0.3, domain.DifficultyHard: 0.1}

const (
	MaxLineRepeats   = 2
	MinDistinctShare = 0.8
)

// Tally counts meetings booked over a number of calls.
type Tally struct {
	Runs     int
	Meetings int
}

// PersonaTally is the tally for one preset persona.
type PersonaTally struct {
	ID         string
	Name       string
	Difficulty domain.Difficulty
	Tally
	// EndReasons counts how the calls ended.
	EndReasons map[string]int
	Lines      LineStats
}

// Summary is the outcome of SimulateAll.
type Summary struct {
	Rep          string
	Mode         domain.Mode
	Tally        // over every call
	ByDifficulty map[domain.Difficulty]Tally
	PerPersona   []PersonaTally
	// Lines and LinesByDifficulty measure how the prospects talked.
	Lines             LineStats
	LinesByDifficulty map[domain.Difficulty]LineStats
}

// String is the line a CLI prints: "meetings booked: X of N".
func (s Summary) String() string {
	return fmt.Sprintf("meetings booked: %d of %d", s.Meetings, s.Runs)
}

// SimulateAll plays runs calls per persona with one scripted rep in one mode
// and counts the meetings booked. Call i with persona j uses a seed derived
// from (seed, mode, j, i), so results are reproducible.
func SimulateAll(rep string, mode domain.Mode, runs int, seed uint64, presets []personas.Preset) (Summary, error) {
	if runs < 1 {
		return Summary{}, fmt.Errorf("simulate all: %w", &domain.FieldError{Field: "runs", Err: fmt.Errorf("%w: runs must be at least 1, got %d", domain.ErrInvalid, runs)})
	}
	if len(presets) == 0 {
		return Summary{}, fmt.Errorf("simulate all: %w", &domain.FieldError{Field: "personas", Err: fmt.Errorf("%w: no personas to simulate", domain.ErrInvalid)})
	}
	sum := Summary{Rep: rep, Mode: mode, ByDifficulty: map[domain.Difficulty]Tally{}, LinesByDifficulty: map[domain.Difficulty]LineStats{}}
	for j, pr := range presets {
		pt := PersonaTally{ID: pr.ID, Name: pr.Profile.Name, Difficulty: pr.Profile.Difficulty, EndReasons: map[string]int{}}
		for i := range runs {
			res, err := Simulate(pr.Profile, mode, rep, runSeed(seed, mode, j, i), DefaultMaxTurns)
			if err != nil {
				return Summary{}, fmt.Errorf("simulate all: persona %q: %w", pr.ID, err)
			}
			pt.Runs++
			pt.EndReasons[res.EndReason]++
			pt.Lines = pt.Lines.Add(ProspectLineStats(res.Turns))
			if res.MeetingBooked {
				pt.Meetings++
			}
		}
		sum.PerPersona = append(sum.PerPersona, pt)
		d := sum.ByDifficulty[pt.Difficulty]
		d.Runs += pt.Runs
		d.Meetings += pt.Meetings
		sum.ByDifficulty[pt.Difficulty] = d
		sum.LinesByDifficulty[pt.Difficulty] = sum.LinesByDifficulty[pt.Difficulty].Add(pt.Lines)
		sum.Lines = sum.Lines.Add(pt.Lines)
		sum.Runs += pt.Runs
		sum.Meetings += pt.Meetings
	}
	return sum, nil
}

// runSeed derives the seed of call i with persona j, so every mode, persona
// and run gets an independent, reproducible stream.
func runSeed(seed uint64, mode domain.Mode, j, i int) uint64 {
	var h uint64 = 14695981039346656037 // FNV-1a of the mode
	for _, c := range []byte(mode) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return mix(mix(seed, h), uint64(j)<<32|uint64(i))
}

// mix derives an independent seed from a seed and a salt (SplitMix64 finalizer).
func mix(seed, salt uint64) uint64 {
	z := seed + 0x9e3779b97f4a7c15*(salt+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
