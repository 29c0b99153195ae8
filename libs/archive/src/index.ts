export * from './archive.types';
export * from './cms-verify';
export * from './pades-verify';
export * from './archive-verifier';
export * from './archive-exporter.service';
export * from './archive.module';
export * from './history/document-history.service';
export * from './history/history-labels';
