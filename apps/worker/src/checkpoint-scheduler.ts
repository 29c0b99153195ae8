import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { AuditAnchor, PLATFORM_CHAIN_ID } from '@carepact/audit';
import { TransactionRunner } from '@carepact/database';
import { OutboxService } from '@carepact/queue';

/**
 * Every AUDIT_CHECKPOINT_INTERVAL_SECONDS, one outbox row when any chain head moved since the last
 * checkpoint: one checkpoint signs every chain. The key (time bucket) makes the schedule
 * idempotent across restarts and across several worker processes. Each tick, and at start, the
 * anchor file catches up with checkpoints committed but not yet anchored (a crash between the two).
 */
@Injectable()
export class CheckpointScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('CheckpointScheduler');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxService,
    private readonly anchor: AuditAnchor,
  ) {}

  onApplicationBootstrap(): void {
    const ms = this.config.audit.checkpointIntervalSeconds * 1000;
    this.timer = setInterval(() => void this.tick(), ms);
    void this.syncAnchor();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(now = new Date()): Promise<void> {
    await this.schedule(now);
    await this.syncAnchor();
  }

  async schedule(now = new Date()): Promise<number> {
    try {
      const bucket = Math.floor(now.getTime() / (this.config.audit.checkpointIntervalSeconds * 1000));
      return await this.tx.run(async (em) => {
        const [moved] = (await em.query(
          `SELECT 1 FROM audit_chain_heads h
            WHERE h.seq > COALESCE((SELECT max(c.seq) FROM audit_checkpoints c WHERE c.chain_id = h.chain_id AND c.checkpoint_seq IS NOT NULL), 0)
            LIMIT 1`,
        )) as unknown[];
        if (!moved) return 0;
        const key = `${PLATFORM_CHAIN_ID}_${bucket}`;
        return (await this.outbox.enqueue(em, 'audit.checkpoint', { chainId: PLATFORM_CHAIN_ID }, { key, organisationId: PLATFORM_CHAIN_ID })) ? 1 : 0;
      });
    } catch (e) {
      this.log.warn(`checkpoint scheduling failed: ${(e as Error).message}`);
      return 0;
    }
  }

  private async syncAnchor(): Promise<void> {
    try {
      await this.anchor.sync();
    } catch (e) {
      this.log.error(`audit anchor: ${(e as Error).message}`);
    }
  }
}
