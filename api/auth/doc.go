// Package auth owns Sparrow's session tokens in local sign-in mode and the
// Identity every verified session token names, whoever issued it.
//
// In local sign-in mode (no identity provider configured) the server signs
// its own RS256 tokens with a key it creates on first start (LocalIssuer);
// `sparrow token --email X` and POST /api/dev/session mint them. The claims
// have the shape of a Clerk session token (iss, sub, sid, iat, nbf, exp) plus
// email and name, so everything behind the verifier treats both alike.
//
// Invariants:
//   - Only RS256 is accepted: "none", HS256 (including the classic trick of
//     using the public key as an HMAC secret) and every other algorithm fail.
//   - A token must carry iss "sparrow-local", a subject, iat, exp (with a
//     small leeway) and, when present, an nbf in the past; its lifetime
//     (exp - iat) must not exceed the issuer's TTL (default 12h, at most
//     720h), the lifetime Mint gives: a token "valid for 100 years" is refused.
//   - The signing key file is created once, atomically (two processes starting
//     together agree on one key), with mode 0600 in a 0700 directory; a key
//     file readable by others is refused rather than used.
//   - The subject of a local user is "user_local_" + a hash of the lower-cased
//     e-mail address, so the same address always names the same user.
package auth
