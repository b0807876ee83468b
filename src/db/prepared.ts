// Queries built once per connection and run many times: the chat's hot path.
//
// drizzle builds the SQL text of a query (and, on SQLite, compiles a new statement) every
// time one runs; a prepared query keeps both and only binds its placeholders. A prepared
// query runs on the connection of the drizzle instance it was built on, so each engine
// says here, for every handle it gives out, which instance that is:
//   SQLite      one connection: the same instance outside and inside tx(), so one query
//               is compiled once for the life of the handle;
//   PostgreSQL  a top-level transaction runs on a pooled connection that has a drizzle
//               instance of its own (postgres.ts): its queries are prepared once per
//               connection, as named statements that the server parses and plans once;
//               the pool handle's on the pool (node-postgres prepares a named statement on
//               each connection the first time it runs there).
// A handle the engine said nothing about (PGlite, whose transaction is a handle of its own)
// builds the query for that one call, as an unprepared query would be.
import type { Db, Orm, Tables } from './db.ts';

const connections = new WeakMap<Db, Orm>();

/** For the engines: queries for `db` may be built once on `orm`, whose statements run on db's connection. */
export function runsOn(db: Db, orm: Orm): void {
  connections.set(db, orm);
}

/**
 * A query built at most once per connection. `name` is the PostgreSQL statement's name:
 * unique in the program, since a connection keeps one text per name.
 */
export function prepared<Q>(name: string, build: (orm: Orm, t: Tables, name: string) => Q): (db: Db) => Q {
  const built = new WeakMap<Orm, Q>();
  return (db) => {
    const orm = connections.get(db);
    if (!orm) return build(db.orm, db.t, name);
    let q = built.get(orm);
    if (q === undefined) {
      q = build(orm, db.t, name);
      built.set(orm, q);
    }
    return q;
  };
}
