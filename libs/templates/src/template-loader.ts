import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { canonicalJson, sha256Hex } from '@carepact/common';
import { TemplateInvalidError, TemplateNotFoundError, TemplateTamperedError } from './template.errors';
import type { LoadedTemplate, PublishedManifest, TemplateContent, TemplateSummary } from './template.types';
import { validateTemplateContent } from './template-validator';

/** SHA-256 of the template's canonical JSON: what identifies a version, whatever the file's layout. */
export function templateHash(content: TemplateContent): string {
  return sha256Hex(canonicalJson(content));
}

/**
 * The repository's `templates/` folder, found by walking up from this file, so the same code
 * works from `libs/templates/src` (tests, ts-node) and from a compiled `dist/` tree.
 */
export function findTemplatesRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'documents'))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('Dossier templates/ introuvable au-dessus de ' + from);
    dir = parent;
  }
}

const ID = /^[a-z0-9-]+$/;
const VERSION = /^\d+\.\d+\.\d+$/;

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/**
 * Lists and loads templates from `templates/documents/<id>/<version>.json`. A version listed in
 * `published.json` is immutable: loading it recomputes its hash and refuses it if the content
 * changed. Unpublished versions (drafts) load only when asked for by exact version.
 */
export class TemplateLoader {
  private readonly cache = new Map<string, LoadedTemplate>();
  readonly documentsDir: string;

  constructor(templatesRoot: string = findTemplatesRoot()) {
    this.documentsDir = join(templatesRoot, 'documents');
  }

  ids(): string[] {
    return readdirSync(this.documentsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && ID.test(d.name))
      .map((d) => d.name)
      .sort();
  }

  private versionsOf(id: string): string[] {
    const dir = join(this.documentsDir, id);
    if (!ID.test(id) || !existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json') && VERSION.test(f.slice(0, -5)))
      .map((f) => f.slice(0, -5))
      .sort(compareVersions);
  }

  manifest(id: string): PublishedManifest {
    const file = join(this.documentsDir, id, 'published.json');
    if (!ID.test(id) || !existsSync(file)) return { id, versions: [] };
    const m = JSON.parse(readFileSync(file, 'utf8')) as PublishedManifest;
    if (m.id !== id || !Array.isArray(m.versions))
      throw new TemplateInvalidError(`${id} (published.json)`, [{ field: 'published.json', code: 'template', message: 'manifeste invalide' }]);
    return m;
  }

  list(): TemplateSummary[] {
    return this.ids().map((id) => {
      const manifest = this.manifest(id);
      const versions = this.versionsOf(id).map((version) => {
        const t = this.load(id, version);
        return { version, sha256: t.sha256, published: t.published !== null, publishedOn: t.published?.publishedOn ?? null };
      });
      const published = manifest.versions.map((v) => v.version).sort(compareVersions);
      return { id, documentType: versions.length ? this.load(id, versions[versions.length - 1].version).content.documentType : id, versions, latestPublished: published.length ? published[published.length - 1] : null };
    });
  }

  /** Loads `id` at `version`, or its latest published version when no version is given. */
  load(id: string, version?: string): LoadedTemplate {
    if (!ID.test(id)) throw new TemplateNotFoundError(id);
    const manifest = this.manifest(id);
    let v = version;
    if (v === undefined) {
      const published = manifest.versions.map((e) => e.version).sort(compareVersions);
      if (published.length === 0) throw new TemplateNotFoundError(`${id} (aucune version publiée)`);
      v = published[published.length - 1];
    }
    if (!VERSION.test(v)) throw new TemplateNotFoundError(`${id}@${v}`);
    const key = `${id}@${v}`;
    const cached = this.cache.get(key);
    if (cached) return cached;

    const file = join(this.documentsDir, id, `${v}.json`);
    if (!existsSync(file)) throw new TemplateNotFoundError(key);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new TemplateInvalidError(key, [{ field: `${v}.json`, code: 'template', message: `JSON illisible : ${(e as Error).message}` }]);
    }
    const problems = validateTemplateContent(raw);
    const content = raw as TemplateContent;
    if (content.id !== id) problems.push({ field: 'id', code: 'template', message: `l’identifiant doit être « ${id} »` });
    if (content.version !== v) problems.push({ field: 'version', code: 'template', message: `la version doit être « ${v} »` });
    if (problems.length) throw new TemplateInvalidError(key, problems);

    const sha256 = templateHash(content);
    const published = manifest.versions.find((e) => e.version === v) ?? null;
    if (published && published.sha256 !== sha256) throw new TemplateTamperedError(key);
    const loaded: LoadedTemplate = { content: deepFreeze(content), sha256, published };
    this.cache.set(key, loaded);
    return loaded;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value as object)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
