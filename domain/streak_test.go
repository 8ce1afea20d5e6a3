package domain

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func d(s string) Day {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return DayFromTime(t)
}

func days(ss ...string) []Day {
	out := make([]Day, len(ss))
	for i, s := range ss {
		out[i] = d(s)
	}
	return out
}

func TestSummarizeStreaks(t *testing.T) {
	cases := []struct {
		name    string
		days    []Day
		last    string
		run     int
		longest int
	}{
		{"no days", nil, "", 0, 0},
		{"one day", days("2026-05-01"), "2026-05-01", 1, 1},
		{"consecutive", days("2026-05-01", "2026-05-02", "2026-05-03"), "2026-05-03", 3, 3},
		{"duplicates count once", days("2026-05-01", "2026-05-01", "2026-05-02", "2026-05-02"), "2026-05-02", 2, 2},
		{"out of order", days("2026-05-03", "2026-05-01", "2026-05-02"), "2026-05-03", 3, 3},
		{"a gap breaks the run", days("2026-05-01", "2026-05-02", "2026-05-04"), "2026-05-04", 1, 2},
		{"longest is not the last", days("2026-05-01", "2026-05-02", "2026-05-03", "2026-05-10", "2026-05-11"), "2026-05-11", 2, 3},
		{"month boundary", days("2026-01-31", "2026-02-01"), "2026-02-01", 2, 2},
		{"leap day", days("2028-02-28", "2028-02-29", "2028-03-01"), "2028-03-01", 3, 3},
		{"not a leap year", days("2026-02-28", "2026-03-01"), "2026-03-01", 2, 2},
		{"year boundary", days("2026-12-30", "2026-12-31", "2027-01-01"), "2027-01-01", 3, 3},
		{"across a DST change (Europe, 29 March 2026)", days("2026-03-28", "2026-03-29", "2026-03-30"), "2026-03-30", 3, 3},
		{"a late day fills a gap", days("2026-05-01", "2026-05-02", "2026-05-04", "2026-05-05", "2026-05-03"), "2026-05-05", 5, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := SummarizeStreaks(c.days)
			if c.last == "" {
				assert.True(t, s.LastActiveDay.IsZero())
			} else {
				assert.Equal(t, d(c.last), s.LastActiveDay)
			}
			assert.Equal(t, c.run, s.RunAtLastDay)
			assert.Equal(t, c.longest, s.Longest)
		})
	}
}

func TestCurrentStreakIsComputedAtReadTime(t *testing.T) {
	s := SummarizeStreaks(days("2026-05-01", "2026-05-02", "2026-05-03"))
	cases := []struct {
		name  string
		today string
		want  int
	}{
		{"last day is today", "2026-05-03", 3},
		{"last day was yesterday", "2026-05-04", 3},
		{"two days later it is broken", "2026-05-05", 0},
		{"months later", "2026-09-01", 0},
		{"today is before the last day (zone moved west)", "2026-05-02", 3},
		{"across the month end", "2026-05-04", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, s.CurrentStreak(d(c.today))) })
	}
	assert.Equal(t, 0, StreakSummary{}.CurrentStreak(d("2026-05-01")), "no calls, no streak")
	yearEnd := SummarizeStreaks(days("2026-12-30", "2026-12-31"))
	assert.Equal(t, 2, yearEnd.CurrentStreak(d("2027-01-01")), "yesterday across the year end")
}

func TestDayOfUsesTheUsersZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	cases := []struct {
		name string
		at   time.Time
		loc  *time.Location
		want string
	}{
		{"UTC when unknown", time.Date(2026, 5, 1, 23, 30, 0, 0, time.UTC), nil, "2026-05-01"},
		{"late evening UTC is tomorrow in Tokyo", time.Date(2026, 5, 1, 23, 30, 0, 0, time.UTC), tokyo, "2026-05-02"},
		{"early morning UTC is yesterday in New York", time.Date(2026, 5, 2, 2, 0, 0, 0, time.UTC), ny, "2026-05-01"},
		{"Paris after the spring DST change (UTC+2)", time.Date(2026, 3, 29, 22, 30, 0, 0, time.UTC), paris, "2026-03-30"},
		{"Paris before the spring DST change (UTC+1)", time.Date(2026, 3, 28, 22, 30, 0, 0, time.UTC), paris, "2026-03-28"},
		{"New York on the autumn DST day", time.Date(2026, 11, 1, 4, 30, 0, 0, time.UTC), ny, "2026-11-01"},
		{"New Year in Tokyo while UTC is still in the old year", time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), tokyo, "2027-01-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, DayOf(c.at, c.loc).String()) })
	}
	// Day arithmetic is on dates, never 24-hour durations: the 23-hour DST day still advances by one.
	assert.Equal(t, "2026-03-30", d("2026-03-29").AddDays(1).String())
	assert.Equal(t, "2027-01-01", d("2026-12-31").AddDays(1).String())
}
