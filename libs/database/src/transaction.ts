import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The one transaction helper: opens a transaction and passes the entity manager down to the
 * repositories, so that a state change, its audit event and its outbox row commit together.
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * READ COMMITTED, the connection's default (data-source.ts sets it when the connection opens):
   * naming the level here would cost a `SET TRANSACTION` round trip in every transaction.
   */
  async run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }
}
