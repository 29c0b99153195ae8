// Dev helper: prints the SQL TypeORM would run to bring the database to the entities.
// Used to draft a migration, which is then reviewed and completed by hand.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@carepact/config';
import { dataSourceOptions } from '@carepact/database';
import { AUDIT_ENTITIES } from '@carepact/audit';
import { IDENTITY_ENTITIES } from '@carepact/identity';
import { RESIDENTS_ENTITIES } from '@carepact/residents';
import { OutboxEntity } from '@carepact/queue';
import { BULK_ENTITIES, DOCUMENTS_ENTITIES } from '@carepact/documents';
import { SIGNING_ENTITIES } from '@carepact/signing';

async function main() {
  const config = loadConfig();
  const ds = new DataSource(dataSourceOptions(config, { as: 'owner', entities: [...AUDIT_ENTITIES, ...IDENTITY_ENTITIES, ...RESIDENTS_ENTITIES, OutboxEntity, ...DOCUMENTS_ENTITIES, ...BULK_ENTITIES, ...SIGNING_ENTITIES] }));
  await ds.initialize();
  const log = await ds.driver.createSchemaBuilder().log();
  for (const q of log.upQueries) console.log(q.query + ';');
  console.log('-- DOWN');
  for (const q of log.downQueries.reverse()) console.log(q.query + ';');
  await ds.destroy();
}
main();
