export * from './resolve';
export * from './fixture-input';
