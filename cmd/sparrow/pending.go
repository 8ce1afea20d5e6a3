package main

import (
	"context"
)

// Commands whose issues are still open. Each says so plainly instead of
// pretending to work.

func notYet(what, issue string) error {
	return &exitError{code: 2, msg: what + " is not implemented yet (" + issue + ")"}
}

func cmdToken(ctx context.Context, e env, args []string) error {
	return notYet("sparrow token", "issue 3: local sign-in")
}
