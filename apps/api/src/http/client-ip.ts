import type { TrustProxy } from '@carepact/config';
import type { INestApplication } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The client's address, by one rule everywhere (signature evidence, rate limits, login): Express's
 * `trust proxy`, set from TRUST_PROXY by `useTrustProxy`. By default no proxy is trusted and
 * `X-Forwarded-For` is ignored: the address is the socket's, which a client cannot write.
 */
export function clientIp(req: Request): string | null {
  return req.ip ?? req.socket?.remoteAddress ?? null;
}

export function useTrustProxy(app: INestApplication, trust: TrustProxy): void {
  (app.getHttpAdapter().getInstance() as { set(key: string, value: unknown): void }).set('trust proxy', trust);
}
