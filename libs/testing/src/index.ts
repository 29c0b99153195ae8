export * from './test-database';
export * from './factories';
export * from './http';
export * from './processes';
export * from './redis-server';
export * from './portal-client';
export * from './postgres-server';
