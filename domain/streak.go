package domain

import (
	"sort"
	"time"
)

// Streak rules (one place, used by the user_stats projection and the API):
//   - A day is a calendar day in the user's time zone (UTC when unknown).
//   - A day is active when at least one call was completed that day, by the
//     call's end time.
//   - The longest streak is the longest run of consecutive active days; days
//     are only ever added, so it never decreases.
//   - The current streak is the run ending on the last active day while that
//     day is today or yesterday (in the user's zone), and 0 after that. It
//     depends on "today", so it is computed when read, not only when events arrive.

// Day is a calendar date with no zone, comparable and usable as a map key.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// DayOf returns the calendar day of t in loc (nil means UTC).
func DayOf(t time.Time, loc *time.Location) Day {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return Day{y, m, d}
}

// DayFromTime returns the date part of t as it reads (no zone conversion).
func DayFromTime(t time.Time) Day {
	y, m, d := t.Date()
	return Day{y, m, d}
}

// Time returns midnight UTC of the day, for storage and arithmetic.
func (d Day) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns the day n calendar days later (negative n goes back). It
// works on dates, never on 24-hour durations, so DST changes cannot shift it.
func (d Day) AddDays(n int) Day {
	return DayFromTime(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
}

// Before reports whether d is earlier than o.
func (d Day) Before(o Day) bool { return d.Time().Before(o.Time()) }

// IsZero reports whether d is the zero Day.
func (d Day) IsZero() bool { return d == Day{} }

// String formats the day as YYYY-MM-DD.
func (d Day) String() string { return d.Time().Format(time.DateOnly) }

// StreakSummary is what the streak rules derive from a set of active days.
type StreakSummary struct {
	// LastActiveDay is the latest active day (zero when there is none).
	LastActiveDay Day
	// RunAtLastDay is the length of the run of consecutive days ending on LastActiveDay.
	RunAtLastDay int
	// Longest is the longest run of consecutive active days.
	Longest int
}

// SummarizeStreaks derives the streak summary from active days given in any
// order, duplicates allowed.
func SummarizeStreaks(days []Day) StreakSummary {
	if len(days) == 0 {
		return StreakSummary{}
	}
	sorted := append([]Day(nil), days...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Before(sorted[j]) })
	var s StreakSummary
	run := 0
	var prev Day
	for i, d := range sorted {
		switch {
		case i > 0 && d == prev:
			continue
		case i > 0 && prev.AddDays(1) == d:
			run++
		default:
			run = 1
		}
		if run > s.Longest {
			s.Longest = run
		}
		prev = d
	}
	s.LastActiveDay, s.RunAtLastDay = prev, run
	return s
}

// CurrentStreak is the streak as seen on day today: the run ending on the last
// active day if that day is today or yesterday, else 0.
func (s StreakSummary) CurrentStreak(today Day) int {
	if s.LastActiveDay.IsZero() {
		return 0
	}
	// A last day after today (a zone moved west since) still counts as alive.
	if !s.LastActiveDay.Before(today) || s.LastActiveDay.AddDays(1) == today {
		return s.RunAtLastDay
	}
	return 0
}
