import { Expr, ExpressionError, deepFreeze, parseExpression } from './expression';

/**
 * A text of the template: literal French with `{{ expression }}` holes and `**bold**` markers.
 * Only the template's own text is parsed; the values put in the holes are never parsed again,
 * so data can contain `{{`, `**` or `<` and comes out as written.
 */
export type TextSegment = { kind: 'literal'; text: string; strong: boolean } | { kind: 'hole'; expr: Expr; source: string; strong: boolean };

/** Parsed texts, once per process for each source (see parseExpression's cache), frozen. */
const parsed = new Map<string, readonly TextSegment[]>();
const PARSED_MAX = 20_000;

export function parseTemplateText(src: string): readonly TextSegment[] {
  let segments = parsed.get(src);
  if (!segments) {
    segments = deepFreeze(parseText(src));
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(src, segments);
  }
  return segments;
}

function parseText(src: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let strong = false;
  let i = 0;
  let literal = '';
  const flush = () => {
    if (literal) segments.push({ kind: 'literal', text: literal, strong });
    literal = '';
  };
  while (i < src.length) {
    if (src.startsWith('{{', i)) {
      const end = src.indexOf('}}', i + 2);
      if (end < 0) throw new ExpressionError('« {{ » sans « }} »', src);
      flush();
      const source = src.slice(i + 2, end).trim();
      segments.push({ kind: 'hole', expr: parseExpression(source), source, strong });
      i = end + 2;
    } else if (src.startsWith('**', i)) {
      flush();
      strong = !strong;
      i += 2;
    } else if (src.startsWith('}}', i)) {
      throw new ExpressionError('« }} » sans « {{ »', src);
    } else {
      literal += src[i++];
    }
  }
  if (strong) throw new ExpressionError('« ** » non refermé', src);
  flush();
  return segments;
}

/** The text with each hole replaced by a neutral word: what the FALC lint reads. */
export function textForLint(src: string): string {
  return src.replace(/\{\{[\s\S]*?\}\}/g, 'valeur').replace(/\*\*/g, '');
}
