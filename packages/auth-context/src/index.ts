export {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
  type AccessTokenOptions,
  type IssuedAccessToken,
  issueAccessToken,
  type VerifiedAccessToken,
  verifyAccessToken,
} from './access-token.js';
export {
  contextUserAgent,
  GATEWAY_CONTEXT_HEADER,
  type GatewayContext,
  MAX_USER_AGENT_LENGTH,
  signGatewayContext,
  verifyGatewayContext,
} from './gateway-context.js';
export { isRevoked, RevocationKeyspace, revocationTtlMs } from './revocation.js';
export { ROLES, type Role, type Viewer } from './viewer.js';
