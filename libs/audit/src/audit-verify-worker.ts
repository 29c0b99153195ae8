import { Client } from 'pg';
import { parentPort, workerData } from 'node:worker_threads';
import { RangeScan, pgRowStream, scanRange } from './audit-chain-scan';

/** One seq range of one chain, verified in a worker thread on its own connection (AuditVerifier, issue 12 item 4). */
export interface RangeJob {
  url: string;
  appRole: string;
  chainId: string;
  from: number;
  to: number;
  signed: number[];
}

async function run(job: RangeJob): Promise<RangeScan> {
  const client = new Client({ connectionString: job.url, options: `-c role=${job.appRole} -c TimeZone=UTC`, application_name: 'carepact' });
  await client.connect();
  try {
    return await scanRange(pgRowStream(client), job.chainId, job.from, job.to, new Set(job.signed));
  } finally {
    await client.end();
  }
}

if (parentPort && workerData) {
  const port = parentPort;
  run(workerData as RangeJob).then(
    (result) => port.postMessage({ result }),
    (e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e) }),
  );
}
