import { annexAuditEntries, annexAuditKey, annexAuditMap } from './annex-audit';

const SHA = 'a'.repeat(64);
const file = { id: 'f', versionLabel: 'Édition 2026', effectiveOn: '2026-01-01', sha256: SHA, byteSize: 10 };

describe('the annexes of a version in its audit event (key → SHA-256 or null)', () => {
  it('one short string per key, null without a file, read back as a map', () => {
    const entries = annexAuditEntries([
      { key: 'livret-accueil-2026', file },
      { key: 'charte-droits-libertes', file: null },
    ]);
    expect(entries).toEqual([`livret-accueil-2026=${SHA}`, 'charte-droits-libertes=null']);
    expect(annexAuditMap(entries)).toEqual(
      new Map([
        ['livret-accueil-2026', SHA],
        ['charte-droits-libertes', null],
      ]),
    );
  });

  it('a key too long for an audit string (256 characters), or with « = », is written as its SHA-256; every entry stays short', () => {
    const long = 'x'.repeat(200);
    const [entry] = annexAuditEntries([{ key: long, file }]);
    expect(entry.length).toBeLessThanOrEqual(256);
    expect(entry).toMatch(/^sha256:[0-9a-f]{64}=a{64}$/);
    expect(annexAuditMap([entry])!.get(annexAuditKey(long))).toBe(SHA);
    expect(annexAuditKey('a=b')).toMatch(/^sha256:/);
    expect(annexAuditKey('livret-accueil-2026')).toBe('livret-accueil-2026');
  });

  it('no annexes in the payload, or not in that form: null (events written before, types that hand nothing over)', () => {
    expect(annexAuditMap(undefined)).toBeNull();
    expect(annexAuditMap(null)).toBeNull();
    expect(annexAuditMap(['livret=abc'])).toBeNull();
    expect(annexAuditMap([])).toEqual(new Map());
  });
});
