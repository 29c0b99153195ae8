import { FieldError } from '@carepact/common';
import { ExpressionError, parseExpression, parseLoop, pathRoots } from './expression';
import { checkSchema, isValidIsoDate } from './input-schema';
import { parseTemplateText } from './template-text';
import type { BodyNode, ItemNode, RowNode, SlotNode, TemplateContent, Text } from './template.types';

/**
 * Structural check of a template file: every node is of a known kind, every text has both
 * wordings, every expression parses and only reads declared variables. Run when loading, so a
 * broken template fails at startup and in the tests, not halfway through a worker job.
 */
export function validateTemplateContent(content: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string): void => {
    errors.push({ field, code: 'template', message });
  };
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    err('(racine)', 'objet attendu');
    return errors;
  }
  const c = content as Partial<TemplateContent> & Record<string, unknown>;
  const allowedTop = ['id', 'version', 'documentType', 'title', 'issuedAt', 'falcReview', 'glossary', 'labels', 'define', 'requires', 'checks', 'inputSchema', 'body'];
  for (const k of Object.keys(c)) if (!allowedTop.includes(k)) err(k, 'champ inconnu');
  if (typeof c.id !== 'string' || !/^[a-z0-9-]+$/.test(c.id)) err('id', 'identifiant en minuscules et tirets attendu');
  if (typeof c.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(c.version)) err('version', 'version de la forme 1.0.0 attendue');
  if (typeof c.documentType !== 'string') err('documentType', 'type de document attendu');
  if (c.falcReview !== null) {
    const r = c.falcReview as unknown as Record<string, unknown> | undefined;
    if (!r || typeof r.by !== 'string' || !r.by.trim() || typeof r.on !== 'string' || !isValidIsoDate(r.on))
      err('falcReview', 'relecture FALC attendue : { by, on: AAAA-MM-JJ } ou null (pas encore relu)');
  }
  if (!Array.isArray(c.glossary)) err('glossary', 'liste attendue');
  else
    c.glossary.forEach((g, i) => {
      if (typeof g?.term !== 'string' || typeof g?.definition !== 'string') err(`glossary[${i}]`, '{ term, definition } attendu');
    });
  if (c.labels !== undefined) {
    if (typeof c.labels !== 'object' || c.labels === null) err('labels', 'objet attendu');
    else
      for (const [name, table] of Object.entries(c.labels))
        for (const [k, v] of Object.entries(table ?? {})) if (typeof v !== 'string') err(`labels.${name}.${k}`, 'texte attendu');
  }
  if (!c.inputSchema || typeof c.inputSchema !== 'object') {
    err('inputSchema', 'schéma attendu');
    return errors;
  }
  for (const p of checkSchema(c.inputSchema)) err('inputSchema', p);
  if (c.inputSchema.type !== 'object' || !c.inputSchema.properties) err('inputSchema', 'un objet avec des propriétés est attendu à la racine');

  const vars = new Set(Object.keys(c.inputSchema.properties ?? {}));
  const checkExpr = (field: string, src: unknown, scope: Set<string>) => {
    if (typeof src !== 'string') return err(field, 'expression attendue');
    try {
      for (const root of pathRoots(parseExpression(src))) if (!scope.has(root)) err(field, `variable inconnue « ${root} »`);
    } catch (e) {
      err(field, e instanceof ExpressionError ? e.message : String(e));
    }
  };
  const checkTextSource = (field: string, src: unknown, scope: Set<string>) => {
    const lines = Array.isArray(src) ? src : [src];
    if (lines.length === 0) err(field, 'texte vide');
    lines.forEach((line, i) => {
      const f = Array.isArray(src) ? `${field}[${i}]` : field;
      if (typeof line !== 'string') return err(f, 'texte attendu');
      try {
        for (const seg of parseTemplateText(line))
          if (seg.kind === 'hole') for (const root of pathRoots(seg.expr)) if (!scope.has(root)) err(f, `variable inconnue « ${root} »`);
      } catch (e) {
        err(f, e instanceof ExpressionError ? e.message : String(e));
      }
    });
  };
  const checkText = (field: string, t: Text | undefined, scope: Set<string>, multiLine = false) => {
    if (typeof t === 'string') return checkTextSource(field, t, scope);
    if (Array.isArray(t)) return multiLine ? checkTextSource(field, t, scope) : err(field, 'une seule ligne attendue ici');
    if (!t || typeof t !== 'object' || Array.isArray(t)) return err(field, 'texte attendu (ou { standard, falc })');
    if (!('standard' in t) || !('falc' in t)) return err(field, 'les deux textes sont obligatoires : standard et falc');
    for (const k of Object.keys(t)) if (k !== 'standard' && k !== 'falc') err(`${field}.${k}`, 'champ inconnu');
    for (const v of ['standard', 'falc'] as const) {
      if (!multiLine && Array.isArray(t[v])) err(`${field}.${v}`, 'une seule ligne attendue ici');
      checkTextSource(`${field}.${v}`, t[v], scope);
    }
  };

  for (const [i, d] of (c.define ?? []).entries()) {
    if (typeof d?.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.name)) err(`define[${i}].name`, 'nom attendu');
    checkExpr(`define[${i}].value`, d?.value, vars);
    if (typeof d?.name === 'string') vars.add(d.name);
  }
  checkText('title', c.title, vars);
  checkExpr('issuedAt', c.issuedAt, vars);
  if (c.requires !== undefined && !Array.isArray(c.requires)) err('requires', 'liste attendue');
  for (const [i, r] of (Array.isArray(c.requires) ? c.requires : []).entries()) {
    checkExpr(`requires[${i}].when`, r?.when, vars);
    if (!Array.isArray(r?.fields) || r.fields.length === 0) err(`requires[${i}].fields`, 'liste de chemins attendue');
    else
      r.fields.forEach((f, k) => {
        if (typeof f !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(f)) err(`requires[${i}].fields[${k}]`, 'chemin attendu (document.champ)');
        else checkExpr(`requires[${i}].fields[${k}]`, f, vars);
      });
    if (typeof r?.message !== 'string' || !r.message.trim()) err(`requires[${i}].message`, 'message attendu');
  }
  if (c.checks !== undefined && !Array.isArray(c.checks)) err('checks', 'liste attendue');
  for (const [i, r] of (Array.isArray(c.checks) ? c.checks : []).entries()) {
    for (const k of Object.keys(r ?? {})) if (!['each', 'when', 'check', 'fields', 'code', 'message'].includes(k)) err(`checks[${i}].${k}`, 'champ inconnu');
    // `each`: the rule runs per item of a list of the data, its fields named from the item (template.types.ts CheckWhen).
    const scope = new Set(vars);
    if (r?.each !== undefined) {
      try {
        if (typeof r.each !== 'string') throw new ExpressionError('boucle attendue', String(r.each));
        const loop = parseLoop(r.each);
        if (loop.source.kind !== 'path' || loop.source.members.some((m) => typeof m !== 'string')) err(`checks[${i}].each`, 'la liste doit être un chemin des données (document.liste)');
        for (const root of pathRoots(loop.source)) if (!vars.has(root)) err(`checks[${i}].each`, `variable inconnue « ${root} »`);
        scope.add(loop.variable);
        if (loop.counter) scope.add(loop.counter);
      } catch (e) {
        err(`checks[${i}].each`, e instanceof ExpressionError ? e.message : String(e));
      }
    }
    checkExpr(`checks[${i}].when`, r?.when, scope);
    checkExpr(`checks[${i}].check`, r?.check, scope);
    if (!Array.isArray(r?.fields) || r.fields.length === 0) err(`checks[${i}].fields`, 'liste de chemins attendue');
    else
      r.fields.forEach((f, k) => {
        if (typeof f !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(f)) err(`checks[${i}].fields[${k}]`, 'chemin attendu (document.champ)');
        else checkExpr(`checks[${i}].fields[${k}]`, f, scope);
      });
    if (typeof r?.code !== 'string' || !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(r.code)) err(`checks[${i}].code`, 'code en MAJUSCULES_SOULIGNÉES attendu');
    if (typeof r?.message !== 'string' || !r.message.trim()) err(`checks[${i}].message`, 'message attendu');
  }

  const common = ['only', 'source', 'note'];
  const checkCommon = (field: string, node: Record<string, unknown>, keys: string[]) => {
    for (const k of Object.keys(node)) if (!keys.includes(k) && !common.includes(k)) err(`${field}.${k}`, 'champ inconnu');
    if (node.only !== undefined && node.only !== 'standard' && node.only !== 'falc') err(`${field}.only`, '« standard » ou « falc » attendu');
    if (node.source !== undefined && typeof node.source !== 'string') err(`${field}.source`, 'texte attendu');
  };
  /** Checks if/each nodes generically; returns true when the node was a control node. */
  function control<N>(field: string, node: unknown, scope: Set<string>, visit: (f: string, n: N, s: Set<string>) => void): boolean {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
    const n = node as Record<string, unknown>;
    if ('if' in n) {
      checkCommon(field, n, ['if', 'then', 'else']);
      checkExpr(`${field}.if`, n.if, scope);
      if (!Array.isArray(n.then)) err(`${field}.then`, 'liste attendue');
      else n.then.forEach((x, i) => visit(`${field}.then[${i}]`, x as N, scope));
      if (n.else !== undefined) {
        if (!Array.isArray(n.else)) err(`${field}.else`, 'liste attendue');
        else n.else.forEach((x, i) => visit(`${field}.else[${i}]`, x as N, scope));
      }
      return true;
    }
    if ('each' in n) {
      checkCommon(field, n, ['each', 'do']);
      const inner = new Set(scope);
      if (typeof n.each !== 'string') err(`${field}.each`, 'boucle attendue');
      else {
        try {
          const loop = parseLoop(n.each);
          for (const root of pathRoots(loop.source)) if (!scope.has(root)) err(`${field}.each`, `variable inconnue « ${root} »`);
          inner.add(loop.variable);
          if (loop.counter) inner.add(loop.counter);
        } catch (e) {
          err(`${field}.each`, e instanceof ExpressionError ? e.message : String(e));
        }
      }
      if (!Array.isArray(n.do)) err(`${field}.do`, 'liste attendue');
      else n.do.forEach((x, i) => visit(`${field}.do[${i}]`, x as N, inner));
      return true;
    }
    return false;
  }

  const visitItem = (f: string, n: ItemNode, s: Set<string>): void => {
    if (!control<ItemNode>(f, n, s, visitItem)) checkText(f, n as Text, s);
  };
  const visitRow = (f: string, n: RowNode, s: Set<string>): void => {
    if (control<RowNode>(f, n, s, visitRow)) return;
    const r = n as unknown as Record<string, unknown>;
    if (!Array.isArray(r?.cells)) return err(f, '{ cells: [...] } attendu');
    checkCommon(f, r, ['cells']);
    (r.cells as Text[]).forEach((cell, i) => checkText(`${f}.cells[${i}]`, cell, s));
  };
  const visitSlot = (f: string, n: SlotNode, s: Set<string>): void => {
    if (control<SlotNode>(f, n, s, visitSlot)) return;
    const r = n as unknown as Record<string, unknown>;
    const slot = r?.slot as Record<string, unknown> | undefined;
    if (!slot || typeof slot !== 'object') return err(f, '{ slot: { role, name, capacity } } attendu');
    checkCommon(f, r, ['slot']);
    for (const k of ['role', 'name', 'capacity']) {
      if (typeof slot[k] !== 'string') err(`${f}.slot.${k}`, 'texte attendu');
      else checkTextSource(`${f}.slot.${k}`, slot[k], s);
    }
  };
  const visitBody = (f: string, n: BodyNode, s: Set<string>): void => {
    if (control<BodyNode>(f, n, s, visitBody)) return;
    if (typeof n !== 'object' || n === null) return err(f, 'bloc attendu');
    const r = n as unknown as Record<string, unknown>;
    if ('heading' in r) {
      checkCommon(f, r, ['heading', 'text']);
      if (![1, 2, 3, 4].includes(r.heading as number)) err(`${f}.heading`, 'niveau 1 à 4 attendu');
      checkText(`${f}.text`, r.text as Text, s);
    } else if ('paragraph' in r) {
      checkCommon(f, r, ['paragraph']);
      checkText(`${f}.paragraph`, r.paragraph as Text, s, true);
    } else if ('list' in r) {
      checkCommon(f, r, ['list']);
      const l = r.list as Record<string, unknown>;
      if (!Array.isArray(l?.items)) return err(`${f}.list.items`, 'liste attendue');
      (l.items as ItemNode[]).forEach((it, i) => visitItem(`${f}.list.items[${i}]`, it, s));
    } else if ('table' in r) {
      checkCommon(f, r, ['table']);
      const t = r.table as Record<string, unknown>;
      checkText(`${f}.table.caption`, t?.caption as Text, s);
      if (!Array.isArray(t?.header) || t.header.length === 0) return err(`${f}.table.header`, 'en-têtes attendus');
      (t.header as Text[]).forEach((h, i) => checkText(`${f}.table.header[${i}]`, h, s));
      if (!Array.isArray(t.rows)) return err(`${f}.table.rows`, 'liste attendue');
      (t.rows as RowNode[]).forEach((row, i) => visitRow(`${f}.table.rows[${i}]`, row, s));
    } else if ('figure' in r) {
      checkCommon(f, r, ['figure']);
      const fig = r.figure as Record<string, unknown>;
      if (typeof fig?.asset !== 'string' || !/^[a-z0-9-]+$/.test(fig.asset)) err(`${f}.figure.asset`, 'identifiant de pictogramme attendu');
      checkText(`${f}.figure.alt`, fig?.alt as Text, s);
    } else if ('signatures' in r) {
      checkCommon(f, r, ['signatures']);
      const sig = r.signatures as Record<string, unknown>;
      checkText(`${f}.signatures.heading`, sig?.heading as Text, s);
      if (!Array.isArray(sig?.slots)) return err(`${f}.signatures.slots`, 'liste attendue');
      (sig.slots as SlotNode[]).forEach((x, i) => visitSlot(`${f}.signatures.slots[${i}]`, x, s));
    } else if ('glossary' in r) {
      checkCommon(f, r, ['glossary']);
      const g = r.glossary as Record<string, unknown>;
      checkText(`${f}.glossary.heading`, g?.heading as Text, s);
      if (![2, 3, 4].includes(g?.level as number)) err(`${f}.glossary.level`, 'niveau 2 à 4 attendu');
    } else err(f, 'type de bloc inconnu');
  };
  if (!Array.isArray(c.body)) err('body', 'liste de blocs attendue');
  else c.body.forEach((n, i) => visitBody(`body[${i}]`, n, vars));
  return errors;
}
