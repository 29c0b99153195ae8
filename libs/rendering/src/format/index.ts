export * from './fr-format';
