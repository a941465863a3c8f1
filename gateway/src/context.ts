import type { Viewer } from '@radiata/auth-context';
import type { Logger } from '@radiata/observability';

export interface GatewayContext {
  readonly viewer: Viewer | null;
  /** The viewer's session could not be checked (Redis did not answer): only queries may run. */
  readonly sessionUnchecked: boolean;
  readonly requestId: string;
  /** The client's IP address (trusted proxies applied), signed on to subgraphs for per-address limits. */
  readonly clientAddress: string | null;
  readonly logger: Logger;
}
