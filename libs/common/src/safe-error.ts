/**
 * What an unexpected error may put in the logs (the API's 500 handler; any process may use it:
 * it only reads fields, no database driver is imported). A TypeORM `QueryFailedError` carries the query's
 * parameters (names, e-mail addresses, measure types, court references, password hashes…) and
 * PostgreSQL's `detail` ("Failing row contains (…)", "Key (email)=(…)") and some messages
 * ("invalid input syntax for type boolean: "…"") quote the values: none of that is logged.
 * Kept: the error's class, SQLSTATE code, constraint, table, column and type names, the query
 * with its literals blanked, and the stack frames (code locations, not data).
 */
export interface SafeErrorLog {
  class: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  dataType?: string;
  schema?: string;
  routine?: string;
  /** The SQL text, literals replaced by `?` (parameters are `$n` and never logged). */
  query?: string;
  /** Only for errors that are not database errors (their message is code, not data). */
  message?: string;
  stack?: string;
}

type Fields = Record<string, unknown>;

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** A PostgreSQL / TypeORM error: its message and detail may quote values. */
function isDatabaseError(e: Fields): boolean {
  const name = typeof e.name === 'string' ? e.name : '';
  return (
    'driverError' in e ||
    'parameters' in e ||
    'query' in e ||
    (typeof e.code === 'string' && SQLSTATE.test(e.code) && 'severity' in e) ||
    /QueryFailed|TypeORM|EntityNotFound|DatabaseError/.test(name) ||
    /QueryFailed|TypeORM|EntityNotFound|DatabaseError/.test((e.constructor as { name?: string } | undefined)?.name ?? '')
  );
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined;
}

/** Blanks every literal of a SQL text: quoted strings, dollar-quoted bodies and bare numbers. */
export function blankSqlLiterals(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, '?')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/(?<![\w$."])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .slice(0, 1000);
}

/** Stack frames only: the first line repeats the message. */
function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  return stack
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 20)
    .join('\n');
}

export function safeErrorLog(error: unknown): SafeErrorLog {
  if (!error || typeof error !== 'object') return { class: typeof error };
  const e = error as Fields;
  const cls = (e.constructor as { name?: string } | undefined)?.name || str(e.name) || 'Error';
  if (!isDatabaseError(e)) {
    // Not from the database: a programming error whose message names code, not people.
    return { class: cls, code: str(e.code), message: typeof e.message === 'string' ? e.message.slice(0, 500) : undefined, stack: framesOf(e.stack) };
  }
  const driver = (e.driverError && typeof e.driverError === 'object' ? e.driverError : e) as Fields;
  return {
    class: cls,
    code: str(driver.code) ?? str(e.code),
    constraint: str(driver.constraint),
    table: str(driver.table),
    column: str(driver.column),
    dataType: str(driver.dataType),
    schema: str(driver.schema),
    routine: str(driver.routine),
    query: typeof e.query === 'string' ? blankSqlLiterals(e.query) : undefined,
    stack: framesOf(e.stack),
  };
}

/**
 * True when the error means "PostgreSQL cannot be reached right now" (not "this query is wrong"):
 * connection refused or reset, connection terminated, too many clients, the server shutting down
 * (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), or SQLSTATE class 08
 * (connection exception). The answer is then 503 with Retry-After, not a 500.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as Fields;
  const code = typeof e.code === 'string' ? e.code : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '53300', '57P01', '57P02', '57P03'].includes(code)) return true;
  if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (/Connection terminated|connection timeout|timeout exceeded when trying to connect|too many clients|the database system is (starting up|shutting down)|Client has encountered a connection error|Connection ended|terminating connection/i.test(message))
    return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}
