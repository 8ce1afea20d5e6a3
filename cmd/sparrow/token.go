package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/sparrow-coach/sparrow/api/auth"
)

// cmdToken prints a local sign-in token (local mode only).
func cmdToken(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "token", "--email you@example.com [--name 'Your Name']")
	email := fs.String("email", "", "the user's e-mail (required)")
	name := fs.String("name", "", "the user's full name")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" {
		fs.Usage()
		return &exitError{code: 2, msg: "--email is required"}
	}
	c, err := configFromEnv(e.getenv)
	if err != nil {
		return err
	}
	if !c.LocalAuth() {
		return &exitError{code: 2, msg: "Clerk is configured, so the server accepts only Clerk session tokens; sparrow token signs local ones"}
	}
	cfg := auth.LocalIssuerConfig{KeyDir: c.keyDir()}
	if c.DatabaseURL != "" {
		// A deployment's servers share the key in the database (secrets.go).
		d, err := openDatabase(ctx, c, e.stderr, 2)
		if err != nil {
			return err
		}
		defer d.Close()
		if cfg.Key, err = sharedSigningKey(ctx, d.pool, c.keyDir()); err != nil {
			return err
		}
	}
	iss, err := auth.NewLocalIssuer(cfg)
	if err != nil {
		return err
	}
	tok, err := iss.Mint(*email, *name)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintln(e.stdout, tok)
	fmt.Fprintf(e.stderr, "token for %s, valid %s; use it as: Authorization: Bearer <token>\n", *email, iss.TTL())
	return nil
}
