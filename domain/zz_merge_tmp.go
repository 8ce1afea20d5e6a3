package domain

import "time"

// TODO(merge): these come from the harden branch's domain/timestamp.go; delete this file when it lands.
const (
	ClockSkew       = 5 * time.Minute
	MaxCallDuration = 24 * time.Hour
)
