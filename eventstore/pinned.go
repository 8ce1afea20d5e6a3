package eventstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pinnedDB is the database watermill's subscriber runs on. Each batch
// transaction runs on a connection pinned for its lifetime, so a handler can
// reach the same session through native pgx (Subscription.WithConn) and
// pipeline its statements: several statements, one round trip, same
// transaction. database/sql alone cannot pipeline, and five round trips per
// event kept a busy consumer group near saturation.
//
// A subscriber runs one transaction at a time, so the previous transaction
// has ended when the next begins; that is when its connection is returned.
type pinnedDB struct {
	*sql.DB
	mu   sync.Mutex
	conn *sql.Conn
	tx   *sql.Tx
}

func (p *pinnedDB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.releaseLocked()
	conn, err := p.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		conn.Close()
		return nil, err
	}
	p.conn, p.tx = conn, tx
	return tx, nil
}

func (p *pinnedDB) releaseLocked() {
	if p.conn != nil {
		if p.tx != nil {
			_ = p.tx.Rollback() // a no-op when it already ended (sql.ErrTxDone)
		}
		p.conn.Close()
		p.conn, p.tx = nil, nil
	}
}

func (p *pinnedDB) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.releaseLocked()
}

// errNotCurrentTx: WithConn was given a transaction that is not the one open.
var errNotCurrentTx = errors.New("eventstore: not the subscriber's current transaction")

func (p *pinnedDB) withConn(tx *sql.Tx, fn func(*pgx.Conn) error) error {
	p.mu.Lock()
	conn, current := p.conn, p.tx
	p.mu.Unlock()
	if conn == nil || tx != current {
		return errNotCurrentTx
	}
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("eventstore: the database/sql driver is not pgx's stdlib")
		}
		return fn(sc.Conn())
	})
}
