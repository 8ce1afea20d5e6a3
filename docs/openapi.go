// Package docs carries documents the binary serves: the OpenAPI 3 description
// of the HTTP API (openapi.yaml, served as JSON at GET /api/openapi.json and
// checked against every response of the API tests).
package docs

import _ "embed"

// OpenAPI is docs/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
