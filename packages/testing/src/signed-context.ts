import { GATEWAY_CONTEXT_HEADER, signGatewayContext, type Viewer } from '@radiata/auth-context';

/** What a gateway signs besides the viewer: their session (access token `sid`), the client's address and User-Agent. */
export interface SignedRequestExtras {
  readonly sessionId?: string | null;
  readonly clientAddress?: string | null;
  readonly userAgent?: string | null;
}

/** Headers a gateway would add, for tests (and benchmarks) that call a subgraph directly. */
export async function signedContextHeaders(
  viewer: Viewer | null,
  secret: string,
  requestId = 'test',
  extras: SignedRequestExtras = {},
): Promise<Record<string, string>> {
  return { [GATEWAY_CONTEXT_HEADER]: await signGatewayContext({ viewer, requestId, ...extras }, secret) };
}
