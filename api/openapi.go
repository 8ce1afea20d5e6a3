package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleOpenAPI serves the OpenAPI 3 document (docs/openapi.yaml) as JSON.
func (s *Server) handleOpenAPI(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, s.openapi)
}
