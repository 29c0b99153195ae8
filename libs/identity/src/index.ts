export * from './identity.entities';
export * from './access';
export * from './passwords';
export * from './identity.repository';
export * from './auth.service';
export * from './staff.service';
export * from './identity.module';
export * from './audit-access.service';
