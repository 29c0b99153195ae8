export * from './residents.entities';
export * from './residents.types';
export * from './resident-rules';
export * from './residents.repository';
export * from './residents.service';
export * from './resident-contacts.service';
export * from './protection-measures.service';
export * from './residents.module';
