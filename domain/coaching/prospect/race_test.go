//go:build race

package prospect_test

// raceEnabled: the race detector slows simulations ~10x, so the heaviest
// acceptance runs use fewer (still seeded) calls under it.
const raceEnabled = true
