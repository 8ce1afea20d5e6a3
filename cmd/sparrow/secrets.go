package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sparrow-coach/sparrow/api/auth"
)

// Secrets every replica of one deployment must share live in the database
// (table server_secrets, owned here): the first process that needs one makes
// it and inserts it, ON CONFLICT DO NOTHING, and every process then uses the
// row that won. So a local sign-in token or a stream token minted by one
// replica verifies on every other, whichever data directory each one has.
const (
	secretLocalSigningKey = "local-signing-key" // PEM, PKCS #8 RSA
	secretStreamKey       = "stream-token-key"  // 32 random bytes
)

// sharedSecret returns the secret called name, storing make's value first
// when the database has none. make runs only when the secret is missing.
func sharedSecret(ctx context.Context, pool *pgxpool.Pool, name string, make func() ([]byte, error)) ([]byte, error) {
	var v []byte
	err := pool.QueryRow(ctx, `SELECT value FROM server_secrets WHERE name = $1`, name).Scan(&v)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	mine, err := make()
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	err = pool.QueryRow(ctx, `
WITH ins AS (INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value)
SELECT value FROM ins UNION ALL SELECT value FROM server_secrets WHERE name = $1 LIMIT 1`, name, mine).Scan(&v)
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return v, nil
}

// sharedSigningKey is the deployment's local sign-in key. The first replica
// to start stores its key file's key (keyDir), or a new one, so tokens
// minted before replicas shared the key stay valid.
func sharedSigningKey(ctx context.Context, pool *pgxpool.Pool, keyDir string) (*rsa.PrivateKey, error) {
	pemBytes, err := sharedSecret(ctx, pool, secretLocalSigningKey, func() ([]byte, error) {
		if b, err := os.ReadFile(filepath.Join(keyDir, auth.KeyFileName)); err == nil {
			return b, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
	})
	if err != nil {
		return nil, err
	}
	return auth.ParseKeyPEM(pemBytes)
}

// sharedStreamKey is the deployment's key for stream tokens.
func sharedStreamKey(ctx context.Context, pool *pgxpool.Pool) ([]byte, error) {
	return sharedSecret(ctx, pool, secretStreamKey, func() ([]byte, error) {
		k := make([]byte, 32)
		_, err := rand.Read(k)
		return k, err
	})
}
