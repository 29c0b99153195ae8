import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { TransactionRunner, dataSourceOptions } from '@carepact/database';
import { createTestDatabase, TestDatabase } from '@carepact/testing';

/** Every statement the DataSource sends, in order. */
class StatementLog extends AbstractLogger {
  readonly statements: string[] = [];
  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    if (level !== 'query') return;
    for (const m of Array.isArray(message) ? message : [message]) this.statements.push(String(m.message));
  }
}

/**
 * Issue 12 (pipeline CPU per document): a transaction is START, its own statements, COMMIT — the
 * isolation level is the connection's, set when it opens, not a SET TRANSACTION round trip in each
 * of the two transactions a generated document costs. READ COMMITTED stays guaranteed even where the
 * database's default is another level.
 */
describe('TransactionRunner: READ COMMITTED without a round trip per transaction', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const log = new StatementLog(['query']);

  beforeAll(async () => {
    db = await createTestDatabase();
    // A server administrator's default: the client's connection setting must win over it.
    const admin = new DataSource(dataSourceOptions(db.config, { as: 'owner' }));
    await admin.initialize();
    await admin.query(`ALTER DATABASE "${db.name}" SET default_transaction_isolation = 'serializable'`);
    await admin.destroy();
    ds = new DataSource({ ...dataSourceOptions(db.config, { as: 'app' }), logging: ['query'], logger: log });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('sends START TRANSACTION, the work and COMMIT, nothing else', async () => {
    log.statements.length = 0;
    await new TransactionRunner(ds).run((em) => em.query('SELECT 1'));
    expect(log.statements).toEqual(['START TRANSACTION', 'SELECT 1', 'COMMIT']);
  });

  it('runs the transaction READ COMMITTED although the database default is SERIALIZABLE', async () => {
    const [row] = (await new TransactionRunner(ds).run((em) => em.query('SHOW transaction_isolation'))) as { transaction_isolation: string }[];
    expect(row.transaction_isolation).toBe('read committed');
    // Outside a transaction too, and for the owner's connections (migrations, CLI).
    const [session] = (await ds.query('SHOW default_transaction_isolation')) as { default_transaction_isolation: string }[];
    expect(session.default_transaction_isolation).toBe('read committed');
  });
});
