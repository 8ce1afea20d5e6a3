package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sparrow-coach/sparrow/app"
)

// Metrics holds the Prometheus collectors served at GET /metrics, in a
// registry of their own (no global state). Create it before the event store
// when appends should be counted: StoreConfig.OnAppend calls Appended.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
	appends  prometheus.Counter

	lagOnce sync.Once
}

// NewMetrics returns the collectors, registered with Go and process metrics.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sparrow_http_request_duration_seconds",
			Help:    "HTTP request latency by method, route template and status.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route", "status"}),
		appends: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sparrow_eventstore_appends_total",
			Help: "Committed appends to the event log made by this process.",
		}),
	}
	m.reg.MustRegister(m.requests, m.appends, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where other components of the process may add collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Appended counts a committed append (call it from the event store's
// OnAppend, next to the Waker's). It never blocks.
func (m *Metrics) Appended() { m.appends.Inc() }

func (m *Metrics) observeRequest(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Observe(d.Seconds())
}

// watchProjections exports projector lag, read when scraped.
func (m *Metrics) watchProjections(lag func(context.Context) ([]app.ProjectorLag, error), log *slog.Logger) {
	m.lagOnce.Do(func() { m.reg.MustRegister(&lagCollector{lag: lag, log: log}) })
}

var (
	lagEventsDesc = prometheus.NewDesc("sparrow_projection_lag_events",
		"Events in the log that a projector has not applied yet.", []string{"projector"}, nil)
	lagSecondsDesc = prometheus.NewDesc("sparrow_projection_lag_seconds",
		"Age of the oldest event a projector has not applied yet (0 when caught up).", []string{"projector"}, nil)
	lagErrorDesc = prometheus.NewDesc("sparrow_projection_failing",
		"1 when a projector's last attempt failed.", []string{"projector"}, nil)
	quarantinedDesc = prometheus.NewDesc("sparrow_projection_quarantined_streams",
		"Streams a projector skips because one of their events could not be applied.", []string{"projector"}, nil)
)

type lagCollector struct {
	lag func(context.Context) ([]app.ProjectorLag, error)
	log *slog.Logger
}

func (l *lagCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- lagEventsDesc
	ch <- lagSecondsDesc
	ch <- lagErrorDesc
	ch <- quarantinedDesc
}

func (l *lagCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()
	lags, err := l.lag(ctx)
	if err != nil {
		l.log.Warn("metrics: projector lag unavailable", "err", err)
		return
	}
	for _, p := range lags {
		failing := 0.0
		if p.LastError != "" {
			failing = 1
		}
		ch <- prometheus.MustNewConstMetric(lagEventsDesc, prometheus.GaugeValue, float64(p.Events), p.Name)
		ch <- prometheus.MustNewConstMetric(lagSecondsDesc, prometheus.GaugeValue, p.Seconds, p.Name)
		ch <- prometheus.MustNewConstMetric(lagErrorDesc, prometheus.GaugeValue, failing, p.Name)
		ch <- prometheus.MustNewConstMetric(quarantinedDesc, prometheus.GaugeValue, float64(p.Quarantined), p.Name)
	}
}

// handler serves the registry in the Prometheus text format.
func (m *Metrics) handler(log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)})
}

func (s *Server) handleMetrics(c echo.Context) error {
	s.metricsHandler.ServeHTTP(c.Response(), c.Request())
	return nil
}
