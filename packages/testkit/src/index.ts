/** @switchboard-mcp/testkit: fake upstream building blocks, OpenAPI request checking, MCP client harness. */
export * from './harness.ts';
export * from './openapi.ts';
export * from './redis.ts';
export * from './server-under-test.ts';
export * from './upstream.ts';
