import { csvCell } from './audit-log.service';

describe('csvCell', () => {
  it('makes a cell that a spreadsheet would read as a formula plain text, with a leading apostrophe', () => {
    for (const v of ['=cmd|\' /C calc\'!A0', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(v).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('Marie Dupont')).toBe('Marie Dupont');
    expect(csvCell('a-b')).toBe('a-b');
  });
  it('quotes cells with commas, quotes or line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('dit "oui"')).toBe('"dit ""oui"""');
    expect(csvCell('=a,b')).toBe(`"'=a,b"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });
});
