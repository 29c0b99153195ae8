import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Makes every query runner of `ds` send its queries one after the other. TypeORM 0.3.31's schema
 * builder (`createSchemaBuilder().log()`, PostgresQueryRunner.loadTables) still reads each table's
 * column types with Promise.all on ONE query runner, i.e. one pg client: pg 8 queues them and warns
 * « Calling client.query() when the client is already executing a query » (a hard error in pg 9;
 * fixed upstream in typeorm/typeorm#12105 for the other loops). Only for tests that run the schema
 * builder: the application's own code never issues concurrent queries on one client.
 */
export function serialiseQueryRunners(ds: DataSource): void {
  const create = ds.createQueryRunner.bind(ds);
  ds.createQueryRunner = ((mode?: 'master' | 'slave') => serialised(create(mode))) as DataSource['createQueryRunner'];
}

function serialised(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: unknown[]) => {
    const run = tail.then(() => query(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as QueryRunner['query'];
  return runner;
}

/** The messages of the process warnings `work` causes (a warning is emitted on the next tick: waited for). */
export async function warningsDuring<T>(work: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const listener = (w: Error) => warnings.push(w.message);
  process.on('warning', listener);
  try {
    const result = await work();
    await new Promise((r) => setImmediate(r));
    return { result, warnings };
  } finally {
    process.off('warning', listener);
  }
}
