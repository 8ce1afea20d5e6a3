package clerk

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidPublishableKey: the key is not pk_test_/pk_live_ + base64("<host>$").
var ErrInvalidPublishableKey = errors.New("clerk: invalid publishable key")

// PublishableKeyFrontendAPI decodes a publishable key (pk_test_... or
// pk_live_...) into its Frontend API host, e.g. "example.clerk.accounts.dev".
func PublishableKeyFrontendAPI(pk string) (string, error) {
	pk = strings.TrimSpace(pk)
	var enc string
	switch {
	case strings.HasPrefix(pk, "pk_test_"):
		enc = strings.TrimPrefix(pk, "pk_test_")
	case strings.HasPrefix(pk, "pk_live_"):
		enc = strings.TrimPrefix(pk, "pk_live_")
	default:
		return "", fmt.Errorf("%w: want a pk_test_ or pk_live_ prefix", ErrInvalidPublishableKey)
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		// Keys are sometimes copied without padding.
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(enc, "="))
	}
	if err != nil {
		return "", fmt.Errorf("%w: not base64", ErrInvalidPublishableKey)
	}
	s := string(raw)
	if !strings.HasSuffix(s, "$") {
		return "", fmt.Errorf("%w: decoded value does not end with '$'", ErrInvalidPublishableKey)
	}
	host := strings.TrimSuffix(s, "$")
	if host == "" || strings.ContainsAny(host, "/$ ?#@") {
		return "", fmt.Errorf("%w: %q is not a host", ErrInvalidPublishableKey, host)
	}
	return host, nil
}

// IssuerForHost is the session-token issuer of a Frontend API host.
func IssuerForHost(host string) string { return "https://" + host }

// JWKSURLForIssuer is the JWKS endpoint of an issuer.
func JWKSURLForIssuer(issuer string) string {
	return strings.TrimRight(issuer, "/") + "/.well-known/jwks.json"
}

// VerifierConfigFromPublishableKey fills Issuer and JWKSURL from a publishable key.
func VerifierConfigFromPublishableKey(pk string) (VerifierConfig, error) {
	host, err := PublishableKeyFrontendAPI(pk)
	if err != nil {
		return VerifierConfig{}, err
	}
	iss := IssuerForHost(host)
	return VerifierConfig{Issuer: iss, JWKSURL: JWKSURLForIssuer(iss)}, nil
}
