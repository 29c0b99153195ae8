export * from './domain-error';
export * from './canonical-json';
export * from './crypto';
export * from './logger';
export * from './project-root';
export * from './email-address';
export * from './html-escape';
export * from './fr-fr';
