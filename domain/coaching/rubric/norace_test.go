//go:build !race

package rubric

const raceEnabled = false
