/** HTTP production serving pieces, for the switchboard CLI and tests: `@switchboard-mcp/core/gateway`. */
export * from '../credentials/vault.ts';
export * from './auth.ts';
export * from './config.ts';
export * from './metrics.ts';
export * from './serve.ts';
export * from './tenants.ts';
