import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { OutboxService } from '@carepact/queue';

/**
 * Every AUDIT_CHECKPOINT_INTERVAL_SECONDS, one outbox row per chain whose head moved since its
 * last checkpoint. The key (chain + time bucket) makes the schedule idempotent across restarts
 * and across several worker processes.
 */
@Injectable()
export class CheckpointScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('CheckpointScheduler');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxService,
  ) {}

  onApplicationBootstrap(): void {
    const ms = this.config.audit.checkpointIntervalSeconds * 1000;
    this.timer = setInterval(() => void this.schedule(), ms);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async schedule(now = new Date()): Promise<number> {
    try {
      const bucket = Math.floor(now.getTime() / (this.config.audit.checkpointIntervalSeconds * 1000));
      return await this.tx.run(async (em) => {
        const chains = (await em.query(
          `SELECT h.chain_id FROM audit_chain_heads h
            WHERE h.seq > COALESCE((SELECT max(c.seq) FROM audit_checkpoints c WHERE c.chain_id = h.chain_id), 0)`,
        )) as { chain_id: string }[];
        let n = 0;
        for (const { chain_id } of chains) {
          if (await this.outbox.enqueue(em, 'audit.checkpoint', { chainId: chain_id }, { key: `${chain_id}_${bucket}`, organisationId: chain_id })) n++;
        }
        return n;
      });
    } catch (e) {
      this.log.warn(`checkpoint scheduling failed: ${(e as Error).message}`);
      return 0;
    }
  }
}
