// Package clerkfake is an in-process Clerk instance for tests: a JWKS server
// with rotating RSA keys, session-token minting, publishable keys, and signed
// user webhooks.
//
// Behaviour is programmable: Rotate adds a signing key (optionally dropping
// the old ones from the JWKS), SetJWKSStatus makes the JWKS endpoint fail, and
// JWKSFetches counts how often it was read. Mint signs RS256 tokens with the
// current key and sensible defaults (iss = the server's URL, sub, sid, iat and
// nbf now, exp in one minute) that TokenOptions override.
//
// Invariants: safe for concurrent use; loopback only; keys are generated per
// Server (2048-bit RSA), never shared.
package clerkfake

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/sparrow-coach/sparrow/integrations/clerk"
)

// JWKSPath is where the Server publishes its keys.
const JWKSPath = "/.well-known/jwks.json"

type signingKey struct {
	id   string
	priv *rsa.PrivateKey
}

// Server is a fake Clerk Frontend API.
type Server struct {
	*httptest.Server

	mu         sync.Mutex
	keys       []signingKey // published; the last one signs
	jwksStatus int
	fetches    int
	nextKey    int
}

// New starts a Server with one signing key; the caller must Close it.
func New() (*Server, error) {
	s := &Server{}
	if err := s.Rotate(true); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+JWKSPath, s.serveJWKS)
	s.Server = httptest.NewServer(mux)
	return s, nil
}

// Issuer is the instance's Frontend API URL (the iss of minted tokens).
func (s *Server) Issuer() string { return s.URL }

// JWKSURL is the JWKS endpoint.
func (s *Server) JWKSURL() string { return s.URL + JWKSPath }

// PublishableKey is a pk_test_ key whose Frontend API is this server's host.
func (s *Server) PublishableKey() string {
	return PublishableKey(strings.TrimPrefix(s.URL, "http://"), false)
}

// PublishableKey encodes host the way Clerk does: pk_test_ or pk_live_ + base64("<host>$").
func PublishableKey(host string, live bool) string {
	prefix := "pk_test_"
	if live {
		prefix = "pk_live_"
	}
	return prefix + base64.StdEncoding.EncodeToString([]byte(host+"$"))
}

// Rotate adds a new signing key; unless keepOld, older keys leave the JWKS.
func (s *Server) Rotate(keepOld bool) error {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("clerkfake: generate key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextKey++
	k := signingKey{id: fmt.Sprintf("ins_fake_key_%d", s.nextKey), priv: priv}
	if keepOld {
		s.keys = append(s.keys, k)
	} else {
		s.keys = []signingKey{k}
	}
	return nil
}

// KeyID is the kid of the current signing key.
func (s *Server) KeyID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[len(s.keys)-1].id
}

// PublicKeyPEM is the current key in PEM form (what CLERK_JWT_KEY holds).
func (s *Server) PublicKeyPEM() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	der, err := x509.MarshalPKIXPublicKey(&s.keys[len(s.keys)-1].priv.PublicKey)
	if err != nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// SetJWKSStatus makes the JWKS endpoint answer status with no keys (0: normal).
func (s *Server) SetJWKSStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jwksStatus = status
}

// JWKSFetches is how many times the JWKS was requested.
func (s *Server) JWKSFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches
}

func (s *Server) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.fetches++
	status := s.jwksStatus
	keys := make([]map[string]string, 0, len(s.keys))
	for _, k := range s.keys {
		pub := k.priv.PublicKey
		keys = append(keys, map[string]string{
			"kty": "RSA", "use": "sig", "alg": "RS256", "kid": k.id,
			"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		})
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if status != 0 {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"errors":[{"message":"unavailable"}]}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
}

// TokenOptions override the defaults of a minted token. Zero values keep the
// default; set Omit* to leave a claim out.
type TokenOptions struct {
	Subject         string // default "user_fake"
	SessionID       string // default "sess_fake"
	Issuer          string // default Server.Issuer()
	AuthorizedParty string // azp; omitted when empty
	Email           string // omitted when empty
	IssuedAt        time.Time
	NotBefore       time.Time
	ExpiresAt       time.Time // default IssuedAt + TTL
	TTL             time.Duration
	KeyID           string // default the current key's kid
	OmitExpiry      bool
	OmitSubject     bool
	Extra           map[string]any
}

// Mint signs a session token with the current key.
func (s *Server) Mint(o TokenOptions) (string, error) {
	s.mu.Lock()
	k := s.keys[len(s.keys)-1]
	s.mu.Unlock()
	if o.Issuer == "" {
		o.Issuer = s.Issuer()
	}
	if o.KeyID == "" {
		o.KeyID = k.id
	}
	return SignRS256(k.priv, o.KeyID, Claims(o))
}

// Claims builds the claim set Mint would sign, for tokens signed some other way.
func Claims(o TokenOptions) jwt.MapClaims {
	if o.IssuedAt.IsZero() {
		o.IssuedAt = time.Now()
	}
	if o.NotBefore.IsZero() {
		o.NotBefore = o.IssuedAt.Add(-5 * time.Second)
	}
	if o.TTL == 0 {
		o.TTL = time.Minute
	}
	if o.ExpiresAt.IsZero() {
		o.ExpiresAt = o.IssuedAt.Add(o.TTL)
	}
	if o.Subject == "" {
		o.Subject = "user_fake"
	}
	if o.SessionID == "" {
		o.SessionID = "sess_fake"
	}
	c := jwt.MapClaims{
		"iss": o.Issuer, "sid": o.SessionID,
		"iat": o.IssuedAt.Unix(), "nbf": o.NotBefore.Unix(),
	}
	if !o.OmitSubject {
		c["sub"] = o.Subject
	}
	if !o.OmitExpiry {
		c["exp"] = o.ExpiresAt.Unix()
	}
	if o.AuthorizedParty != "" {
		c["azp"] = o.AuthorizedParty
	}
	if o.Email != "" {
		c["email"] = o.Email
	}
	for k, v := range o.Extra {
		c[k] = v
	}
	return c
}

// SignRS256 signs claims with priv under kid ("" for no kid header).
func SignRS256(priv *rsa.PrivateKey, kid string, claims jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if kid != "" {
		t.Header["kid"] = kid
	}
	return t.SignedString(priv)
}

// User describes the user of a webhook event.
type User struct {
	ID        string
	Email     string
	FirstName string
	LastName  string // empty is sent as null, as Clerk does
	ImageURL  string
	// OtherEmails are extra, non-primary addresses listed before the primary one.
	OtherEmails []string
}

// UserEvent is a Clerk webhook body of type typ (user.created, user.updated
// or user.deleted) for u, stamped at.
func UserEvent(typ string, u User, at time.Time) []byte {
	var data map[string]any
	if typ == clerk.EventUserDeleted {
		data = map[string]any{"deleted": true, "id": u.ID, "object": "user"}
	} else {
		var emails []any
		for i, e := range u.OtherEmails {
			emails = append(emails, map[string]any{"id": fmt.Sprintf("idn_other_%d", i), "email_address": e, "object": "email_address"})
		}
		emails = append(emails, map[string]any{"id": "idn_primary", "email_address": u.Email, "object": "email_address"})
		var last any
		if u.LastName != "" {
			last = u.LastName
		}
		data = map[string]any{
			"id": u.ID, "object": "user", "first_name": u.FirstName, "last_name": last, "image_url": u.ImageURL,
			"primary_email_address_id": "idn_primary", "email_addresses": emails,
			"created_at": at.UnixMilli(), "updated_at": at.UnixMilli(),
		}
	}
	b, _ := json.Marshal(map[string]any{
		"data": data, "object": "event", "type": typ, "timestamp": at.UnixMilli(), "instance_id": "ins_fake",
	})
	return b
}

// WebhookRequest builds a POST of body to url with svix headers signed by
// secret at signedAt, as Clerk sends it.
func WebhookRequest(ctx context.Context, url, secret, msgID string, signedAt time.Time, body []byte) (*http.Request, error) {
	h, err := clerk.SignWebhook(secret, msgID, signedAt, body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}
