export * from './html-renderer';
