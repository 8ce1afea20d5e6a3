package api_test

import (
	"go/build"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The API's only door is package app (ADR 0002): it imports app, domain,
// its own subpackages, the standard library and HTTP/OpenAPI/metrics
// libraries, never the event store, the projections, the integrations or
// the database driver. (make lint may check the same wall for every layer.)
func TestAPIImportsOnlyItsDoors(t *testing.T) {
	t.Parallel()
	allowed := []string{
		"github.com/sparrow-coach/sparrow/app",
		"github.com/sparrow-coach/sparrow/domain",
		"github.com/sparrow-coach/sparrow/api/",
		"github.com/sparrow-coach/sparrow/docs", // the OpenAPI document
		"github.com/labstack/echo/",
		"github.com/prometheus/client_golang/",
		"github.com/golang-jwt/jwt/",
		"go.yaml.in/yaml/",
		"golang.org/x/time/rate",
	}
	for _, dir := range []string{".", "auth"} {
		pkg, err := build.ImportDir(dir, 0)
		require.NoError(t, err)
		for _, imp := range pkg.Imports {
			if !strings.Contains(strings.Split(imp, "/")[0], ".") {
				continue // the standard library
			}
			ok := false
			for _, a := range allowed {
				if imp == strings.TrimSuffix(a, "/") || strings.HasPrefix(imp, a) || strings.HasPrefix(imp, a+"/") {
					ok = true
				}
			}
			assert.True(t, ok, "package api/%s imports %s: go through package app", dir, imp)
		}
	}
}
