import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * The one way an HTML page leaves the api: a preact tree rendered to a string, every text and
 * attribute escaped by preact-render-to-string. Raw HTML enters only through <TrustedHtml>
 * (lint rule in eslint.config.mjs).
 */
export function renderPage(page: VNode): string {
  return `<!DOCTYPE html>\n${renderToString(page)}`;
}

/** A fragment (no doctype): an e-mail part, a test. */
export function renderFragment(node: VNode): string {
  return renderToString(node);
}
