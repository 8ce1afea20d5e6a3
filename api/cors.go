package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// cors allows exactly the configured origins, with credentials (the
// __session cookie), and never answers "*".
func (s *Server) cors() echo.MiddlewareFunc {
	allowed := make(map[string]bool, len(s.cfg.AllowedOrigins))
	for _, o := range s.cfg.AllowedOrigins {
		allowed[o] = true
	}
	return middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOriginFunc:  func(origin string) (bool, error) { return allowed[origin], nil },
		AllowMethods:     []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodOptions},
		AllowHeaders:     []string{echo.HeaderAuthorization, echo.HeaderContentType, HeaderRequestID, HeaderIdempotencyKey, "Last-Event-ID"},
		ExposeHeaders:    []string{HeaderRequestID, "Retry-After", echo.HeaderLocation},
		AllowCredentials: true,
		MaxAge:           600,
	})
}
