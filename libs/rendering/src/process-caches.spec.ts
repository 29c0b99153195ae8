import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, sha256Hex } from '@carepact/common';
import { renderBundle, templates } from './bundle';
import { templateInputFromFixture } from './resolve';

/**
 * The renderers keep per-process caches (DOCX parts per variant, compressed shared parts and images, PDF font
 * subsets, glossary patterns): a document's bytes must not depend on what the process rendered
 * before it.
 */
describe('per-process caches leave renditions unchanged', () => {
  const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, unknown> };
  const bundle = async (type: string, versionId: string) => {
    const t = templates().load(type);
    const renditions = await renderBundle(t.content.id, t.content.version, templateInputFromFixture(fixture, type), { versionId });
    return renditions.map((r) => `${r.format}/${r.variant} ${sha256Hex(r.bytes)}`);
  };

  it('renders every demo document type the same before and after the others', async () => {
    const types = Object.keys(fixture.documents);
    const first = new Map<string, string[]>();
    for (const type of types) first.set(type, await bundle(type, 'version-a'));
    // Another version id between: the same parts with another footer, then the first again, in reverse order.
    for (const type of types) await bundle(type, 'version-b');
    for (const type of [...types].reverse()) expect(await bundle(type, 'version-a')).toEqual(first.get(type));
  }, 120_000);
});
