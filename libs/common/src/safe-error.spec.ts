import { QueryFailedError } from 'typeorm';
import { blankSqlLiterals, isDatabaseUnavailable, safeErrorLog } from './safe-error';

/** A pg DatabaseError as the driver builds it (fields copied from a real check-constraint failure). */
function pgError(code: string, message: string, fields: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name: 'error', severity: 'ERROR', code, ...fields });
}

describe('safeErrorLog', () => {
  it('keeps class, SQLSTATE, constraint, table and frames of a QueryFailedError; drops parameters, detail and message', () => {
    const driver = pgError('23514', 'new row for relation "staff_users" violates check constraint "ck_x"', {
      detail: 'Failing row contains (Gwenaëlle, $argon2id$v=19$m=65536$abc).',
      constraint: 'ck_x',
      table: 'staff_users',
      schema: 'public',
    });
    const e = new QueryFailedError(`INSERT INTO "staff_users"("name", "password_hash") VALUES ($1, $2) -- 'lit' 42`, ['Gwenaëlle', '$argon2id$v=19$m=65536$abc'], driver);
    const logged = safeErrorLog(e);
    expect(logged).toMatchObject({ class: 'QueryFailedError', code: '23514', constraint: 'ck_x', table: 'staff_users', schema: 'public' });
    expect(logged.query).toBe(`INSERT INTO "staff_users"("name", "password_hash") VALUES ($1, $2) -- ? ?`);
    expect(JSON.stringify(logged)).not.toMatch(/Gwena|argon2|Failing row|violates/);
  });

  it('a value quoted in a driver message never reaches the log', () => {
    const e = new QueryFailedError('SELECT $1::boolean', ['Quellec'], pgError('22P02', 'invalid input syntax for type boolean: "Quellec"'));
    expect(JSON.stringify(safeErrorLog(e))).not.toContain('Quellec');
  });

  it('keeps the message of a programming error (no database field)', () => {
    expect(safeErrorLog(new TypeError("Cannot read properties of undefined (reading 'trim')"))).toMatchObject({ class: 'TypeError', message: expect.stringContaining('reading') });
  });

  it('blanks string, dollar-quoted and numeric literals, keeps $n parameters and identifiers', () => {
    expect(blankSqlLiterals(`SELECT * FROM t1 WHERE a = 'O''Brien' AND b = $2 AND c > 3.5 AND d = $f$x$f$`)).toBe('SELECT * FROM t1 WHERE a = ? AND b = $2 AND c > ? AND d = ?');
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises a server that is away, shutting down, full or unreachable', () => {
    for (const e of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P02', 'terminating connection due to crash of another server process'),
      pgError('57P03', 'the database system is starting up'),
      pgError('53300', 'sorry, too many clients already'),
      pgError('08006', 'connection failure'),
      new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection due to administrator command')),
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''),
    ])
      expect({ e: e.message, unavailable: isDatabaseUnavailable(e) }).toEqual({ e: e.message, unavailable: true });
  });
  it('a wrong query or a programming error is not an outage', () => {
    for (const e of [pgError('23505', 'duplicate key value'), pgError('42P01', 'relation "x" does not exist'), new TypeError('x is undefined'), null, 'text'])
      expect(isDatabaseUnavailable(e)).toBe(false);
  });
});
