-- +goose Up
-- Secrets every replica of one deployment must share, made by the first process that needs one (INSERT ... ON
-- CONFLICT DO NOTHING, then read back): the local sign-in signing key (when no Clerk keys are set) and the key of
-- stream tokens. A token minted by one replica then verifies on every other. Owned by cmd/sparrow (secrets.go).
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    value      BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE server_secrets;
