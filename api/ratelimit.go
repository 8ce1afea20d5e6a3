package api

import (
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// writeLimiter is a token bucket per key (a user id, or a client address
// for unauthenticated writes).
type writeLimiter struct {
	perSecond rate.Limit
	burst     int

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newWriteLimiter(perSecond float64, burst int) *writeLimiter {
	return &writeLimiter{perSecond: rate.Limit(perSecond), burst: burst, buckets: map[string]*bucket{}, lastSweep: time.Now()}
}

// allow takes one token for key, or says how long until one is available.
func (l *writeLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		// A bucket idle long enough to be full again is the same as a new one.
		idle := time.Duration(float64(l.burst)/float64(l.perSecond)*float64(time.Second)) + time.Minute
		for k, b := range l.buckets {
			if now.Sub(b.seen) > idle {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.perSecond, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Second
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// limitWrites applies the per-user write rate limit (reads are not limited).
func (s *Server) limitWrites(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.limiter == nil {
			return next(c)
		}
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		key := userID(c)
		if key == "" {
			key = "ip:" + c.RealIP()
		}
		if ok, wait := s.limiter.allow(key, time.Now()); !ok {
			return &Error{Status: http.StatusTooManyRequests, Code: CodeRateLimited, Message: "Too many requests; slow down",
				RetryAfter: wait}
		}
		return next(c)
	}
}
