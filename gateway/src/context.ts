import type { Viewer } from '@radiata/auth-context';
import type { Logger } from '@radiata/observability';

export interface GatewayContext {
  readonly viewer: Viewer | null;
  /** The viewer's session could not be checked (Redis did not answer): only queries may run. */
  readonly sessionUnchecked: boolean;
  readonly requestId: string;
  /** The client's IP address (trusted proxies applied), signed on to subgraphs for per-address limits. */
  readonly clientAddress: string | null;
  /** The viewer's session (the access token's `sid`), signed on to subgraphs (the users subgraph keeps it when ending other sessions). */
  readonly sessionId?: string | null;
  /** The client's User-Agent, cut and cleaned (contextUserAgent), signed on to subgraphs (shown per session). */
  readonly userAgent?: string | null;
  readonly logger: Logger;
}
