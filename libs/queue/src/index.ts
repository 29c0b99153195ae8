export * from './outbox.entity';
export * from './jobs';
export * from './redis-options';
export * from './outbox.service';
export * from './outbox-relay';
export * from './queue.module';
export * from './heartbeat';
export * from './permanent-job-error';
