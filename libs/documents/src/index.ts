export * from './documents.entities';
export * from './document-type-rules';
export * from './blob-store';
export * from './documents.repository';
