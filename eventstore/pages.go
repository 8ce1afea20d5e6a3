package eventstore

import (
	"context"
	"errors"
	"fmt"
	"math"
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

// rawPage is a page of scanned rows whose payloads and metadata are not
// decoded yet: each event is scanned into its final place in evs, with its
// payload in Payload and its metadata in metadata[i], and decoded there
// (decodeRaw). A page of wrappers around copies of Event was 320 bytes of
// garbage per event, a tenth of a 1M-event rebuild's allocations.
type rawPage struct {
	evs      []Event
	metadata [][]byte
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

	type read struct {
		rows rawPage
		err  error
	}
	type page struct {
		evs []Event
		err error
	}
	// reader -> decoder -> caller: one page read ahead of the one being
	// decoded, which is one ahead of the one yielded.
	raws := make(chan read, 1)
	pages := make(chan page, 1)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(raws)
		cur := after
		for {
			rows, err := s.readRaw(ctx, cur, horizon, opt.PageSize, opt.Filter)
			if err == nil && len(rows.evs) == 0 {
				return
			}
			select {
			case raws <- read{rows: rows, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil || len(rows.evs) < opt.PageSize {
				return
			}
			cur = rows.evs[len(rows.evs)-1].Position
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
func (s *Store) readRaw(ctx context.Context, after Position, horizon uint64, limit int, f Filter) (rawPage, error) {
	query, args, err := batchQuery(after, horizon, limit, f)
	if err != nil {
		return rawPage{}, err
	}
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return rawPage{}, err
	}
	defer rows.Close()
	p := rawPage{evs: make([]Event, 0, limit), metadata: make([][]byte, 0, limit)}
	for rows.Next() {
		p.evs = append(p.evs, Event{})
		e := &p.evs[len(p.evs)-1]
		var metadata []byte
		// The transaction id (column 2, text) is parsed from the row's own
		// bytes: scanned into a string, it was one more allocation per event.
		if err := rows.Scan(&e.Position.Offset, nil, &e.StreamID, &e.StreamType, &e.Version, &e.Type, &e.SchemaVersion, &e.Payload, &metadata, &e.RecordedAt); err != nil {
			return rawPage{}, err
		}
		tx := rows.RawValues()[1]
		if e.Position.TxID, err = parseTxID(tx); err != nil {
			return rawPage{}, err
		}
		p.metadata = append(p.metadata, metadata)
	}
	return p, rows.Err()
}

// parseTxID parses a transaction id in its text form.
func parseTxID(b []byte) (uint64, error) {
	var n uint64
	for _, c := range b {
		d := uint64(c - '0')
		if c < '0' || c > '9' || n > (math.MaxUint64-d)/10 {
			return 0, fmt.Errorf("transaction id %q is not a 64-bit number", b)
		}
		n = n*10 + d
	}
	if len(b) == 0 {
		return 0, errors.New("transaction id is empty")
	}
	return n, nil
}

// decodeRaw decodes a page's rows in place on up to workers goroutines,
// each a contiguous share. The error is the first row's (in log order) that
// failed, so it names the same position ReadBatch would.
func (s *Store) decodeRaw(p rawPage, workers int) ([]Event, error) {
	errs := make([]error, len(p.evs))
	const minShare = 256 // below this a goroutine costs more than it saves
	workers = max(1, min(workers, len(p.evs)/minShare))
	share := (len(p.evs) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(p.evs); lo += share {
		hi := min(lo+share, len(p.evs))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				if err := s.decodeInto(&p.evs[i], p.evs[i].Payload, p.metadata[i]); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return p.evs, nil
}
