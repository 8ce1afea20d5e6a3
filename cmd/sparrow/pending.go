package main

import (
	"context"
)

// Commands whose issues are still open. Each says so plainly instead of
// pretending to work.

func (m *Main) extraComponents() []component { return nil }

func notYet(what, issue string) error {
	return &exitError{code: 2, msg: what + " is not implemented yet (" + issue + ")"}
}

func cmdToken(ctx context.Context, e env, args []string) error {
	return notYet("sparrow token", "issue 3: local sign-in")
}
func cmdSimulate(ctx context.Context, e env, args []string) error {
	return notYet("sparrow simulate", "issue 4")
}
func cmdRescore(ctx context.Context, e env, args []string) error {
	return notYet("sparrow rescore", "issue 4")
}
func cmdDoctor(ctx context.Context, e env, args []string) error {
	return notYet("sparrow doctor", "issue 5")
}
