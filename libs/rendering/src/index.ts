export * from './tree';
export * from './format';
export * from './resolve';
export * from './pdf';
export * from './html';
export * from './docx';
export * from './bundle';
export * from './render-pool';
