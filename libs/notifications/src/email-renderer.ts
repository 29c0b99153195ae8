import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type mjml2htmlType from 'mjml';
import { escapeHtml, projectRoot } from '@carepact/common';
import { buildFill, EMAIL_FLAGS, EMAIL_KINDS, EmailDataByKind, EmailKind } from './email-kinds';
import { subjectLine } from './email-values';

/**
 * Emails are compiled from MJML once per process and per (kind, sections kept), then filled by
 * substituting escaped values into the compiled HTML. User data therefore never goes through the
 * MJML parser at all: a name such as `</mj-text><mj-raw><script>` cannot close a tag there, and
 * MJML's cost (milliseconds per compilation) is paid once, not per email.
 *
 * Template syntax (templates/emails/README.md): `{{name}}` a value (HTML-escaped in .mjml,
 * literal in .txt); `{{#flag}}…{{/flag}}` kept when the flag is set, `{{^flag}}…{{/flag}}` when
 * it is not; `{{@content}}` in the layouts marks where a kind's body goes; `{{>name}}` inserts the
 * shared fragment `_name.mjml` / `_name.txt`. Sections are resolved
 * before compilation from booleans only, never from user data.
 */

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface RenderEmailOptions {
  /** When given (the configured PUBLIC_URL), every link must be on this origin. */
  expectedOrigin?: string;
}

/** A compiled template: literal parts at even indexes, value names at odd ones. */
type Parts = string[];

interface Compiled {
  html: Parts;
  text: Parts;
}

const cache = new Map<string, Compiled>();

const VALUE = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
const SECTION = /\{\{([#^])([A-Za-z][A-Za-z0-9]*)\}\}([\s\S]*?)\{\{\/\2\}\}/g;

export function renderEmail<K extends EmailKind>(kind: K, data: EmailDataByKind[K], options: RenderEmailOptions = {}): RenderedEmail {
  const fill = buildFill(kind, data, options.expectedOrigin);
  const compiled = compiledTemplate(kind, fill.flags);
  const subject = subjectLine(fill.subject);
  const values: Record<string, string> = { ...fill.values, subject };
  return {
    subject,
    html: fillParts(compiled.html, values, escapeHtml, kind),
    text: fillParts(compiled.text, values, (v) => v, kind),
  };
}

/**
 * Compiles every template in every combination of its sections, so that the first emails sent
 * after a start do not pay MJML's cost and a broken template fails the start, not a send.
 */
export function precompileEmailTemplates(): number {
  let n = 0;
  for (const kind of EMAIL_KINDS) {
    const names = EMAIL_FLAGS[kind];
    for (let mask = 0; mask < 1 << names.length; mask++) {
      compiledTemplate(kind, Object.fromEntries(names.map((f, i) => [f, (mask & (1 << i)) !== 0])));
      n++;
    }
  }
  return n;
}

/** Every compiled template, by cache key (what the child of precompileEmailTemplatesApart sends back). */
export function compiledTemplates(): [string, Compiled][] {
  return [...cache];
}

/**
 * precompileEmailTemplates in a short-lived child process, whose compiled templates fill this
 * process's cache: MJML and its dependencies (html-minifier, uglify-js, juice, cheerio… some 37 MB
 * of resident memory once loaded, which a process never gives back, and a thread's share stays in
 * the allocator) are loaded by that process only and leave with it, so a worker that sends e-mail
 * no longer carries them (issue 12: worker peak RSS). A broken template still fails the start (the
 * child's error is thrown here). From TypeScript sources (jest), where the child cannot load the
 * code, it compiles in this process.
 */
export async function precompileEmailTemplatesApart(): Promise<number> {
  const script = join(__dirname, 'email-compile-child.js');
  if (!__filename.endsWith('.js') || !existsSync(script)) return precompileEmailTemplates();
  const compiled = await new Promise<[string, Compiled][]>((resolve, reject) => {
    const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m: { compiled?: [string, Compiled][]; error?: string }) => (m.compiled ? resolve(m.compiled) : reject(new Error(m.error))));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`email template compilation exited (${code})`)));
  });
  for (const [key, value] of compiled) cache.set(key, value);
  return compiled.length;
}

/** For tests and benchmarks: the next render compiles again. */
export function clearEmailTemplateCache(): void {
  cache.clear();
}

function fillParts(parts: Parts, values: Record<string, string>, encode: (v: string) => string, kind: string): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      out += parts[i];
      continue;
    }
    const v = values[parts[i]];
    // A template asking for a value its kind does not provide is a bug in the repository.
    if (v === undefined) throw new Error(`email template ${kind}: no value for {{${parts[i]}}}`);
    out += encode(v);
  }
  return out;
}

function compiledTemplate(kind: EmailKind, flags: Record<string, boolean>): Compiled {
  const known = EMAIL_FLAGS[kind];
  const key = kind + ':' + known.map((f) => (flags[f] ? '1' : '0')).join('');
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = join(projectRoot(), 'templates', 'emails');
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const assemble = (ext: string) => withPartials(withLayout(read(`_layout.${ext}`), read(`${kind}.${ext}`)), (name) => read(`_${name}.${ext}`));
  const mjmlSource = resolveSections(assemble('mjml'), flags, known, kind);
  const textSource = resolveSections(assemble('txt'), flags, known, kind);
  const compiled: Compiled = { html: split(compileMjml(mjmlSource, kind)), text: split(tidyText(textSource)) };
  cache.set(key, compiled);
  return compiled;
}

function withLayout(layout: string, body: string): string {
  if (!layout.includes('{{@content}}')) throw new Error('email layout without {{@content}}');
  return layout.replace('{{@content}}', () => body);
}

/** `{{>name}}` inserts templates/emails/_name.<ext> (one level: partials hold no partials). */
function withPartials(source: string, read: (name: string) => string): string {
  return source.replace(/\{\{>([a-z][a-z0-9-]*)\}\}/g, (_m, name: string) => read(name));
}

function resolveSections(source: string, flags: Record<string, boolean>, known: readonly string[], kind: string): string {
  let out = source;
  for (let previous = ''; previous !== out; ) {
    previous = out;
    out = out.replace(SECTION, (_m, sign: string, name: string, body: string) => {
      if (!known.includes(name)) throw new Error(`email template ${kind}: unknown section {{${sign}${name}}}`);
      return (sign === '#') === (flags[name] === true) ? body : '';
    });
  }
  const stray = /\{\{[#^/@>][^}]*\}\}/.exec(out);
  if (stray) throw new Error(`email template ${kind}: unbalanced ${stray[0]}`);
  return out;
}

function compileMjml(source: string, kind: string): string {
  // Templates come from the repository only; includes would let a template read any file.
  if (/<mj-include\b/i.test(source)) throw new Error(`email template ${kind}: mj-include is not allowed`);
  // @types/mjml describes MJML 5 (asynchronous); the installed MJML 4 compiles synchronously.
  const result = loadMjml()(source, { validationLevel: 'strict', ignoreIncludes: true, keepComments: false }) as unknown;
  if (result instanceof Promise || !result || typeof (result as { html?: unknown }).html !== 'string') {
    throw new Error('MJML 4 (synchronous compilation) is required');
  }
  const html = (result as { html: string }).html;
  // MJML must leave every placeholder intact: a lost one would silently drop a value.
  const expected = new Set(Array.from(source.matchAll(VALUE), (m) => m[1]));
  const found = new Set(Array.from(html.matchAll(VALUE), (m) => m[1]));
  for (const name of expected) if (!found.has(name)) throw new Error(`email template ${kind}: MJML dropped {{${name}}}`);
  return html;
}

let mjml2html: typeof mjml2htmlType | null = null;

/**
 * MJML takes most of a second to load: loaded on the first compilation, so that a process that
 * imports this library without sending email (the API serving /dev/mail) does not pay for it.
 */
function loadMjml(): typeof mjml2htmlType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (mjml2html ??= require('mjml') as typeof mjml2htmlType);
}

/** Sections leave blank lines behind: at most one empty line between paragraphs. */
function tidyText(text: string): string {
  return (
    text
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}

function split(compiled: string): Parts {
  // With a capturing group, split alternates literal text and captured value names.
  return compiled.split(VALUE);
}
