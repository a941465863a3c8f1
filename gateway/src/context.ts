import type { Viewer } from '@radiata/auth-context';
import type { Logger } from '@radiata/observability';

export interface GatewayContext {
  readonly viewer: Viewer | null;
  readonly requestId: string;
  readonly logger: Logger;
}
