/**
 * Canonical JSON (RFC 8785 subset): object keys sorted by UTF-16 code units, no whitespace,
 * `undefined` members dropped. Used wherever a hash must not depend on key order: the audit
 * chain, input snapshots, template content hashes.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value);
}

function serialize(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object': {
      // Loops and one growing string rather than map/filter/join (issue 12, item 4: audit:verify
      // writes the payload of a million events); the same text, canonical-json.spec.ts pins it.
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          // A hole writes nothing, as join did.
          if (i in value) out += value[i] === undefined ? 'null' : serialize(value[i]);
        }
        return out + ']';
      }
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const v = obj[keys[i]];
        if (v === undefined) continue;
        if (out.length > 1) out += ',';
        out += JSON.stringify(keys[i]) + ':' + serialize(v);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonicalJson: unsupported type ${typeof value}`);
  }
}
