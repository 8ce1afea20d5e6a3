package eventstore

import (
	"context"
	"fmt"
	"strconv"
	"sync"
)

// PageOptions configures ReadPages.
type PageOptions struct {
	// PageSize is how many events one read returns (required, positive).
	PageSize int
	// Workers is how many goroutines decode one page's payloads (default 2).
	Workers int
	// Filter narrows the read, as for ReadBatch.
	Filter Filter
}

// rawEvent is a scanned row whose payload and metadata are not decoded yet.
type rawEvent struct {
	e                 Event
	tx                string
	payload, metadata []byte
}

// ReadPages reads the log after position `after`, below horizon (0 means the
// current horizon, taken once at the start), in pages of opt.PageSize events
// in log order, and hands each decoded page to yield, in order, on the
// caller's goroutine. It returns when a page is short (the end), yield
// returns false or an error, or ctx ends.
//
// It returns the same events, decoded through the same Registry, as calling
// ReadBatch page after page, only sooner: while yield consumes one page, the
// next is read from PostgreSQL (raw columns, no decoding) and decoded by
// opt.Workers goroutines, each taking a contiguous share of the page, so the
// order is kept. The first error (reading or decoding) ends the read and is
// returned after the pages before it were yielded.
func (s *Store) ReadPages(ctx context.Context, after Position, horizon uint64, opt PageOptions, yield func([]Event) (bool, error)) (err error) {
	defer wrap(&err, "ReadPages(%s)", after)
	if opt.PageSize < 1 {
		return fmt.Errorf("page size %d is not positive", opt.PageSize)
	}
	if opt.Workers < 1 {
		opt.Workers = 2
	}
	if horizon == 0 {
		if horizon, err = s.Horizon(ctx, nil); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type rawPage struct {
		rows []rawEvent
		err  error
	}
	type page struct {
		evs []Event
		err error
	}
	// reader -> decoder -> caller: one page read ahead of the one being
	// decoded, which is one ahead of the one yielded.
	raws := make(chan rawPage, 1)
	pages := make(chan page, 1)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(raws)
		cur := after
		for {
			rows, err := s.readRaw(ctx, cur, horizon, opt.PageSize, opt.Filter)
			if err == nil && len(rows) == 0 {
				return
			}
			select {
			case raws <- rawPage{rows: rows, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil || len(rows) < opt.PageSize {
				return
			}
			cur = rows[len(rows)-1].e.Position
		}
	}()
	go func() {
		defer wg.Done()
		defer close(pages)
		for rp := range raws {
			p := page{err: rp.err}
			if p.err == nil {
				p.evs, p.err = s.decodeRaw(rp.rows, opt.Workers)
			}
			select {
			case pages <- p:
			case <-ctx.Done():
				return
			}
			if p.err != nil {
				return
			}
		}
	}()
	defer wg.Wait() // after cancel (deferred later, so run first): no goroutine outlives the call
	defer cancel()
	for p := range pages {
		if p.err != nil {
			return p.err
		}
		more, err := yield(p.evs)
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
	return ctx.Err()
}

// readRaw is ReadBatch's query without the decoding: positions are parsed,
// payload and metadata are kept as bytes.
func (s *Store) readRaw(ctx context.Context, after Position, horizon uint64, limit int, f Filter) ([]rawEvent, error) {
	query, args, err := batchQuery(after, horizon, limit, f)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]rawEvent, 0, limit)
	for rows.Next() {
		var r rawEvent
		if err := rows.Scan(&r.e.Position.Offset, &r.tx, &r.e.StreamID, &r.e.StreamType, &r.e.Version, &r.e.Type, &r.e.SchemaVersion, &r.payload, &r.metadata, &r.e.RecordedAt); err != nil {
			return nil, err
		}
		if r.e.Position.TxID, err = strconv.ParseUint(r.tx, 10, 64); err != nil {
			return nil, fmt.Errorf("transaction id %q: %w", r.tx, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// decodeRaw decodes rows on up to workers goroutines, each a contiguous
// share, into events in the rows' order. The error is the first row's (in
// log order) that failed, so it names the same position ReadBatch would.
func (s *Store) decodeRaw(rows []rawEvent, workers int) ([]Event, error) {
	out := make([]Event, len(rows))
	errs := make([]error, len(rows))
	const minShare = 256 // below this a goroutine costs more than it saves
	workers = max(1, min(workers, len(rows)/minShare))
	share := (len(rows) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(rows); lo += share {
		hi := min(lo+share, len(rows))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				e := rows[i].e
				if err := s.decodeInto(&e, rows[i].payload, rows[i].metadata); err != nil {
					errs[i] = err
					return
				}
				out[i] = e
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
