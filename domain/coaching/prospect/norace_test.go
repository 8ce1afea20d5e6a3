//go:build !race

package prospect_test

const raceEnabled = false
