export * from './domain-error';
export * from './canonical-json';
export * from './crypto';
export * from './logger';
export * from './project-root';
export * from './email-address';
export * from './text-safety';
export * from './safe-error';
