package api

import (
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// writeLimiter is a token bucket per key (a user id, or a client address
// for unauthenticated writes). It holds at most maxKeys buckets: a flood of
// new keys (made-up addresses) first drops the idle buckets (a full bucket
// is the same as a new one), then arbitrary ones.
type writeLimiter struct {
	perSecond rate.Limit
	burst     int
	maxKeys   int

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxLimiterKeys bounds a writeLimiter's buckets (about 10 MB of them).
const maxLimiterKeys = 50_000

func newWriteLimiter(perSecond float64, burst int) *writeLimiter {
	return &writeLimiter{perSecond: rate.Limit(perSecond), burst: burst, maxKeys: maxLimiterKeys, buckets: map[string]*bucket{}, lastSweep: time.Now()}
}

// allow takes one token for key, or says how long until one is available.
func (l *writeLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.sweep(now)
			for k := range l.buckets { // still full: drop arbitrary ones
				if len(l.buckets) < l.maxKeys {
					break
				}
				delete(l.buckets, k)
			}
		}
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

// sweep drops the buckets idle long enough to be full again: the same as new ones.
func (l *writeLimiter) sweep(now time.Time) {
	idle := time.Duration(float64(l.burst)/float64(l.perSecond)*float64(time.Second)) + time.Minute
	for k, b := range l.buckets {
		if now.Sub(b.seen) > idle {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
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
