export {
  ACCESS_TOKEN_ALGORITHM,
  type AccessTokenOptions,
  type IssuedAccessToken,
  issueAccessToken,
  verifyAccessToken,
} from './access-token.js';
export {
  GATEWAY_CONTEXT_HEADER,
  type GatewayContext,
  signGatewayContext,
  verifyGatewayContext,
} from './gateway-context.js';
export { ROLES, type Role, type Viewer } from './viewer.js';
