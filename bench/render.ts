/**
 * `npm run bench:render`: renders the contrat de séjour of the demo fixture and prints median and
 * p95 per format × variant and for the whole 9-rendition bundle. Run pinned to one core by the
 * npm script (taskset), as a worker thread would. Targets (issue 3): PDF ≤ 60 ms median, bundle
 * ≤ 250 ms median.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import { FORMATS, VARIANTS, contentVariantOf, renderBundle, renderOne, resolve, templateInputFromFixture, templates } from '@carepact/rendering';
import { ms, percentile, timeRuns } from './stats';

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 40);
  const warmup = 5;
  const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as unknown;
  const input = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont');
  const template = templates().load('contrat-sejour');
  console.log(`bench:render — contrat de séjour (demo fixture, marcel-dupont), ${runs} runs after ${warmup} warm-up, node ${process.version}`);
  console.log('rendition             median        p95      size');
  for (const variant of VARIANTS) {
    const tree = resolve(template, input, contentVariantOf(variant));
    for (const format of FORMATS) {
      let size = 0;
      const times = await timeRuns(runs, warmup, async () => (size = (await renderOne(tree, format, variant)).length));
      console.log(`${format.padEnd(5)} ${variant.padEnd(12)} ${ms(percentile(times, 50))} ${ms(percentile(times, 95))} ${(size / 1024).toFixed(0).padStart(6)} KiB`);
    }
  }
  const resolveTimes = await timeRuns(runs, warmup, async () => resolve(template, input, 'standard'));
  console.log(`resolve (one variant)  ${ms(percentile(resolveTimes, 50))} ${ms(percentile(resolveTimes, 95))}`);
  const bundle = await timeRuns(runs, warmup, () => renderBundle(template.content.id, template.content.version, input));
  console.log(`bundle (9 renditions, resolve included) median ${ms(percentile(bundle, 50))}   p95 ${ms(percentile(bundle, 95))}`);
  const pdfPages = (await renderOne(resolve(template, input, 'standard'), 'pdf', 'standard')).toString('latin1').match(/\/Type \/Page\b/g)?.length;
  console.log(`standard PDF: ${pdfPages ?? '?'} pages`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
