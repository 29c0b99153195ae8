/**
 * The form fields a browser posts for some document data, named as the console's form names them
 * (schema-form.tsx): dotted paths, `path[i]` for a list's rows, « oui »/« non » for a yes/no.
 */
export function formFieldsOf(data: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, v: unknown): void => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) v.forEach((item, i) => add(`${name}[${i}]`, item));
    else if (typeof v === 'object') Object.assign(out, formFieldsOf(v as Record<string, unknown>, name));
    else if (typeof v === 'boolean') out[name] = v ? 'oui' : 'non';
    else out[name] = String(v);
  };
  for (const [k, v] of Object.entries(data)) add(prefix ? `${prefix}.${k}` : k, v);
  return out;
}
