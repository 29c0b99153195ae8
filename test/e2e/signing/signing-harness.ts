export * from '@carepact/testing';
