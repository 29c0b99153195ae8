export * from './snake-naming.strategy';
export * from './data-source';
export * from './database-admin';
export * from './transaction';
export * from './database.module';
export { MIGRATIONS } from './migrations';
export * from './query-result';
