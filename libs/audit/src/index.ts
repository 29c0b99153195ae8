export * from './audit.entities';
export * from './audit-hash';
export * from './audit.service';
export * from './audit-verifier';
export * from './audit-anchor';
export * from './audit-log.service';
export * from './audit-stamp';
export * from './audit.module';
