import { AppConfig } from '@carepact/config';
import { types as pgTypes } from 'pg';
import { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DataSourceRole {
  /** `owner` runs migrations; `app` is the restricted role every request and job runs as. */
  as: 'owner' | 'app';
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  poolSize?: number;
}

/**
 * A `date` column (a calendar day: a birth, an admission, a judgment) is read as its text
 * 'YYYY-MM-DD', as TypeORM's date columns and the `::text` casts of the raw queries already read
 * it. node-postgres's own parser makes a Date at the process's LOCAL midnight: under a process
 * time zone east of UTC (Europe/Paris on a workstation), written back as JSON it becomes the day
 * before (1947-07-02 → "1947-07-01T22:00:00.000Z"), which `SELECT *` rows (the RGPD access
 * export, the purge tombstones) carried.
 */
const DATE_OID = 1082;
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID && format !== 'binary' ? (value: string) => value : pgTypes.getTypeParser(oid, format as 'text')) as typeof pgTypes.getTypeParser,
};

/** Set at connection start (libpq's `options`: a space inside a value is escaped with a backslash). */
const SESSION_OPTIONS = '-c TimeZone=UTC -c default_transaction_isolation=read\\ committed';

export function dataSourceOptions(config: AppConfig, role: DataSourceRole): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    migrations: MIGRATIONS,
    entities: role.entities ?? [],
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    logging: false,
    extra: {
      max: role.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      types: PG_TYPES,
      // The app connects as the owner but acts as the restricted role for its whole session:
      // grants and triggers then refuse any UPDATE/DELETE/TRUNCATE of audit rows.
      // Every transaction is READ COMMITTED (TransactionRunner): set once per connection rather than
      // by a SET TRANSACTION round trip at the start of each one (issue 12: two of the 32 statements
      // of a generated document). A client setting outranks ALTER DATABASE/ROLE ... SET, so a
      // server whose default is another level does not change it.
      ...(role.as === 'app' ? { options: `-c role=${config.database.appRole} ${SESSION_OPTIONS}` } : { options: SESSION_OPTIONS }),
      application_name: role.as === 'app' ? 'carepact' : 'carepact-migrate',
    },
  };
}

/**
 * Attach an error listener to the pg pool so that a PostgreSQL restart drops idle clients
 * without crashing the process; the pool reconnects on the next query.
 */
export function hardenPool(ds: DataSource, onError: (e: Error) => void): void {
  const driver = ds.driver as unknown as { master?: { on?: (ev: string, fn: (e: Error) => void) => void } };
  driver.master?.on?.('error', onError);
}
