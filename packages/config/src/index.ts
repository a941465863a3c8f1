export * as env from './fields.js';
export { ConfigError, loadConfig } from './load-config.js';
