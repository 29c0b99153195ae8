export * from './render';
export * from './html-document';
export * from './forms';
export * from './trusted-html';
export * from './send';
