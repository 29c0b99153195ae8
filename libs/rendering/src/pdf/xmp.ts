/**
 * XMP packet body for the catalog's Metadata stream. PDFKit's own writer puts the title into the
 * XML unescaped (a title holding "<script>" or "&" would make the packet invalid and lose
 * dc:title, veraPDF 7.1-9), and dates it from the clock; this one escapes and uses fixed dates.
 */
export interface XmpFields {
  title: string;
  author: string;
  lang: string;
  /** ISO 8601 UTC, seconds precision. */
  date: string;
  creatorTool: string;
  producer: string;
}

/** XML 1.0 forbids most C0 controls even escaped: drop them; escape markup characters. */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function xmpBody(f: XmpFields): string {
  const t = xmlText(f.title);
  return `
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
  <xmp:CreateDate>${f.date}</xmp:CreateDate>
  <xmp:ModifyDate>${f.date}</xmp:ModifyDate>
  <xmp:MetadataDate>${f.date}</xmp:MetadataDate>
  <xmp:CreatorTool>${xmlText(f.creatorTool)}</xmp:CreatorTool>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:format>application/pdf</dc:format>
  <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${t}</rdf:li></rdf:Alt></dc:title>
  <dc:creator><rdf:Seq><rdf:li>${xmlText(f.author)}</rdf:li></rdf:Seq></dc:creator>
  <dc:language><rdf:Bag><rdf:li>${xmlText(f.lang)}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
  <pdf:Producer>${xmlText(f.producer)}</pdf:Producer>
</rdf:Description>
`;
}
