import { GATEWAY_CONTEXT_HEADER, signGatewayContext, type Viewer } from '@radiata/auth-context';

/** Headers a gateway would add, for tests (and benchmarks) that call a subgraph directly. */
export async function signedContextHeaders(
  viewer: Viewer | null,
  secret: string,
  requestId = 'test',
): Promise<Record<string, string>> {
  return { [GATEWAY_CONTEXT_HEADER]: await signGatewayContext({ viewer, requestId }, secret) };
}
