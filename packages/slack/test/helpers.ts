/**
 * Starts the Slack server against a fresh sandbox and connects a real MCP client to it, over stdio or HTTP.
 */
import { fileURLToPath } from 'node:url';
import {
  type ApiDescription,
  loadApiDescription,
  type SandboxedOptions,
  type SandboxedServer,
  specPath,
  startWithSandbox,
} from '@switchboard-mcp/testkit';

export { auditLines, TRANSPORTS, type Transport } from '@switchboard-mcp/testkit';

import { type SlackSandbox, type SlackSandboxOptions, startSlackSandbox } from '../src/sandbox/index.ts';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

export type SlackUnderTest = SandboxedServer<SlackSandbox> & {
  /** Calls a tool and fails the test when it errors; returns the text. */
  ok(name: string, args?: Record<string, unknown>): Promise<string>;
};

export type StartOptions = SandboxedOptions<SlackSandbox, SlackSandboxOptions>;

export async function startSlack(opts: StartOptions): Promise<SlackUnderTest> {
  const server = await startWithSandbox(opts, {
    bin: BIN,
    start: startSlackSandbox,
    env: (s) => ({ SLACK_BOT_TOKEN: s.botToken, SLACK_USER_TOKEN: s.userToken, SLACK_API_URL: s.url }),
  });
  return {
    ...server,
    ok: async (name, args = {}) => {
      const r = await server.harness.callTool(name, args);
      if (r.isError) throw new Error(`${name} failed: ${r.text}`);
      return r.text;
    },
  };
}

let description: ApiDescription | undefined;

/** Slack's published Web API description (Swagger 2, in the repository's specs/), RPC-style. */
export const SLACK_SPEC = specPath('slack-web.openapi-v2.json');

export function slackApi(): ApiDescription {
  description ??= loadApiDescription(SLACK_SPEC, {
    rpc: true,
    ignoreParams: ['token'],
  });
  return description;
}

/** Methods newer than the description (the external upload flow, users.conversations is in it). */
export const NEWER_METHODS = [
  'POST /api/files.getUploadURLExternal',
  'POST /api/files.completeUploadExternal',
  'POST /__upload/*',
];
