/**
 * Benchmark of the tagged PDF adapter (a script that prints figures, not a timed test).
 * Renders the ~6-page contrat de séjour fixture in each variant, on one core, and prints median
 * and p95 in ms after a warm-up (fonts parsed and word shapes cached, as in a running worker).
 *
 *   npx swc libs bench test/unit/rendering-pdf -d dist && node dist/bench/render-pdf.js [runs]
 *
 * Goals: ≤ 60 ms median for the contract (issue 3), p95 ≤ 25 ms (issue 12 item 2).
 */
import { renderPdf } from '@carepact/rendering';
import { VARIANTS } from '@carepact/rendering';
import { contratSejourTree, PICTOGRAMS_DIR } from '../test/unit/rendering-pdf/fixtures/contrat-sejour.fixture';

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 50);
  const warmup = 10;
  const rows: string[] = [];
  for (const variant of VARIANTS) {
    const tree = contratSejourTree(variant === 'falc' ? 'falc' : 'standard');
    let bytes = 0;
    for (let i = 0; i < warmup; i++) bytes = (await renderPdf(tree, variant, { pictogramsDir: PICTOGRAMS_DIR })).length;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      await renderPdf(tree, variant, { pictogramsDir: PICTOGRAMS_DIR });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    rows.push(
      `pdf ${variant.padEnd(12)} median ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms   ${(bytes / 1024).toFixed(0)} KiB   goal median ≤ 60 ms, p95 ≤ 25 ms: ${percentile(times, 50) <= 60 && percentile(times, 95) <= 25 ? 'met' : 'NOT met'}`,
    );
  }
  console.log(`render-pdf: ${runs} runs per variant after ${warmup} warm-up runs (node ${process.version})`);
  for (const r of rows) console.log(r);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
