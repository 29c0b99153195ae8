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

/** Headers of SECURITY-RELIABILITY.md: strict CSP, no framing, no sniffing, no referrer. */
export function securityHeaders(publicUrl: string) {
  const https = publicUrl.startsWith('https://');
  return (req: Request, res: Response, next: NextFunction): void => {
    const path = req.path;
    // Swagger UI needs its inline styles; nothing else does.
    res.setHeader('Content-Security-Policy', path.startsWith('/api/docs') ? CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") : CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (path.startsWith('/api/') && !path.startsWith('/api/docs')) res.setHeader('Cache-Control', 'no-store');
    res.removeHeader('X-Powered-By');
    next();
  };
}
