/**
 * `npm run bench:render [runs]`: renders the contrat de séjour of the demo fixture and prints, per
 * format × variant and for the whole 9-rendition bundle, wall-time median and p95 and CPU-time
 * median (process.cpuUsage, every thread: steadier than wall time when other jobs share the
 * machine), each beside its goal. Run pinned to one core by the npm script (taskset), as a render
 * thread would. Goals (issue 12 item 2): PDF p95 ≤ 25 ms, DOCX median ≤ 8 ms for every variant,
 * bundle median ≤ 60 ms. Prints figures, asserts nothing, exits 0.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import { FORMATS, VARIANTS, contentVariantOf, renderBundle, renderOne, resolve, templateInputFromFixture, templates } from '@carepact/rendering';
import { goal, ms, percentile, timeRunsCpu } from './stats';

const GOALS: Record<string, { text: string; met: (wall: number[]) => boolean }> = {
  pdf: { text: 'p95 ≤ 25 ms', met: (w) => percentile(w, 95) <= 25 },
  docx: { text: 'median ≤ 8 ms', met: (w) => percentile(w, 50) <= 8 },
};

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 40);
  // 20 warm-up runs per rendition: with 5, the first ones measured still met the optimising compiler (their p95 was compilation, not rendering).
  const warmup = 20;
  const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as unknown;
  const input = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont');
  const template = templates().load('contrat-sejour');
  console.log(`bench:render — contrat de séjour (demo fixture, marcel-dupont), ${runs} runs after ${warmup} warm-up, node ${process.version}`);
  console.log('rendition           wall median   wall p95  CPU median    size');
  for (const variant of VARIANTS) {
    const tree = resolve(template, input, contentVariantOf(variant));
    for (const format of FORMATS) {
      let size = 0;
      const t = await timeRunsCpu(runs, warmup, async () => (size = (await renderOne(tree, format, variant)).length));
      const g = GOALS[format];
      console.log(
        `${format.padEnd(5)} ${variant.padEnd(12)} ${ms(percentile(t.wall, 50))} ${ms(percentile(t.wall, 95))} ${ms(percentile(t.cpu, 50))} ${(size / 1024).toFixed(0).padStart(4)} KiB${g ? `   ${goal(g.text, g.met(t.wall))}` : ''}`,
      );
    }
  }
  const r = await timeRunsCpu(runs, warmup, async () => resolve(template, input, 'standard'));
  console.log(`resolve (one variant)  ${ms(percentile(r.wall, 50))} ${ms(percentile(r.wall, 95))} ${ms(percentile(r.cpu, 50))}`);
  const b = await timeRunsCpu(runs, warmup, () => renderBundle(template.content.id, template.content.version, input));
  const median = percentile(b.wall, 50);
  console.log(`bundle (9 renditions, resolve included)  wall median ${ms(median)}  p95 ${ms(percentile(b.wall, 95))}  CPU median ${ms(percentile(b.cpu, 50))}   ${goal('median ≤ 60 ms', median <= 60)}`);
  const pdfPages = (await renderOne(resolve(template, input, 'standard'), 'pdf', 'standard')).toString('latin1').match(/\/Type \/Page\b/g)?.length;
  console.log(`standard PDF: ${pdfPages ?? '?'} pages`);
}

main().catch((e: unknown) => {
  console.error(e);
  // A crash is not a figure: exit 1 (a goal not met still exits 0).
  process.exitCode = 1;
});
