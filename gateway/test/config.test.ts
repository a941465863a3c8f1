import { loadGatewayConfig, sandboxEnabled } from '../src/config.js';

const secrets = { JWT_SECRET: 'j'.repeat(32), GATEWAY_CONTEXT_SECRET: 'g'.repeat(32) };

it('turns Apollo Sandbox (and introspection) on outside production unless SANDBOX says otherwise', () => {
  expect(sandboxEnabled(loadGatewayConfig({ ...secrets, NODE_ENV: 'development' }))).toBe(true);
  expect(sandboxEnabled(loadGatewayConfig({ ...secrets, NODE_ENV: 'production' }))).toBe(false);
  expect(sandboxEnabled(loadGatewayConfig({ ...secrets, NODE_ENV: 'development', SANDBOX: 'false' }))).toBe(false);
  expect(sandboxEnabled(loadGatewayConfig({ ...secrets, NODE_ENV: 'production', SANDBOX: 'true' }))).toBe(true);
});
