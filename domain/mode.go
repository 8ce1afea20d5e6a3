package domain

import "fmt"

// Mode is the kind of practice call.
type Mode string

const (
	ModeColdCall          Mode = "cold_call"
	ModeDiscovery         Mode = "discovery"
	ModeObjectionGauntlet Mode = "objection_gauntlet"
)

// Modes lists every mode in a stable order.
var Modes = []Mode{ModeColdCall, ModeDiscovery, ModeObjectionGauntlet}

// ParseMode validates s as a Mode.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeColdCall, ModeDiscovery, ModeObjectionGauntlet:
		return m, nil
	}
	return "", fmt.Errorf("%w: mode %q must be one of cold_call, discovery, objection_gauntlet", ErrInvalid, s)
}
