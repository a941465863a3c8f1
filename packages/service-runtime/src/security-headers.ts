import type { RequestHandler } from 'express';
import helmet from 'helmet';

export interface SecurityHeaderOptions {
  /**
   * Strict-Transport-Security: only when clients reach the service over TLS (a TLS-terminating
   * proxy in front of it); over plain HTTP the header is meaningless at best. Default: off.
   */
  readonly hsts?: boolean;
}

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * helmet on every response: no MIME sniffing, never framed (X-Frame-Options DENY and CSP
 * frame-ancestors 'none'), no Referer sent on, and HSTS when asked. The CSP lets nothing load
 * (`default-src 'none'`): the answers are JSON, never rendered as a page. A page that must render
 * (Apollo Sandbox's landing page, see the gateway) replaces it.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.hsts ? { maxAge: ONE_YEAR_SECONDS, includeSubDomains: true } : false,
  });
}
