import type { RequestHandler } from 'express';

/** What Apollo Server negotiates between its answers and its landing page (`prefersHTML`). */
const NEGOTIATED = ['application/json', 'application/graphql-response+json', 'multipart/mixed', 'text/html'];

/**
 * Lets Apollo Sandbox's landing page (served outside production) load. The page carries its own
 * Content-Security-Policy (a <meta> with a per-response nonce, allowing only Apollo's CDNs), so
 * the header keeps only what a <meta> cannot say, `frame-ancestors 'none'`, instead of the API's
 * `default-src 'none'`, which would block the page's scripts (browsers enforce both policies).
 * Answers to GET queries are JSON and never rendered, whichever header they carry.
 */
export const landingPageSecurityPolicy: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' && req.accepts(NEGOTIATED) === 'text/html') {
    res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  }
  next();
};
