import type { NextFunction, Request, Response } from 'express';

const CSP = [
  "default-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
].join('; ');

/**
 * Headers of SECURITY-RELIABILITY.md for a path, as a flat name, value list: strict CSP, no framing,
 * no sniffing, no referrer; HSTS under HTTPS; no-store for the API. The middleware below and the
 * portal's fast path (which writes them in one `writeHead`) both take them from here.
 */
export function securityHeaderList(publicUrl: string, path: string): string[] {
  // Swagger UI needs its inline styles; nothing else does.
  const csp = path.startsWith('/api/docs') ? CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") : CSP;
  const list = [
    'Content-Security-Policy', csp,
    'X-Content-Type-Options', 'nosniff',
    'X-Frame-Options', 'DENY',
    'Referrer-Policy', 'no-referrer',
    'Cross-Origin-Opener-Policy', 'same-origin',
    'Cross-Origin-Resource-Policy', 'same-origin',
  ];
  if (publicUrl.startsWith('https://')) list.push('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  if (path.startsWith('/api/') && !path.startsWith('/api/docs')) list.push('Cache-Control', 'no-store');
  return list;
}

/** Sets securityHeaderList's headers on every response. */
export function securityHeaders(publicUrl: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const list = securityHeaderList(publicUrl, req.path);
    for (let i = 0; i < list.length; i += 2) res.setHeader(list[i], list[i + 1]);
    res.removeHeader('X-Powered-By');
    next();
  };
}
