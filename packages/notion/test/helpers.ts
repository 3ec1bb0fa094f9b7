/**
 * Starts the Notion server against a fresh sandbox and connects a real MCP client to it, over stdio or HTTP.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  type ApiDescription,
  loadApiDescription,
  type SandboxedOptions,
  type SandboxedServer,
  startWithSandbox,
} from '@switchboard-mcp/testkit';

export { auditLines, TRANSPORTS, type Transport } from '@switchboard-mcp/testkit';

import { type NotionSandbox, type NotionSandboxOptions, startNotionSandbox } from '../src/sandbox/index.ts';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

export type NotionUnderTest = SandboxedServer<NotionSandbox>;

export type StartOptions = SandboxedOptions<NotionSandbox, NotionSandboxOptions>;

export function startNotion(opts: StartOptions): Promise<NotionUnderTest> {
  return startWithSandbox(opts, {
    bin: BIN,
    start: startNotionSandbox,
    env: (s) => ({ NOTION_TOKEN: s.token, NOTION_API_URL: s.url }),
  });
}

let description: ApiDescription | undefined;

/** The OpenAPI file shipped in @notionhq/notion-mcp-server (a dev dependency). */
export function notionApiFile(): string {
  return createRequire(import.meta.url).resolve('@notionhq/notion-mcp-server/scripts/notion-openapi.json');
}

/**
 * The OpenAPI description shipped in @notionhq/notion-mcp-server, which describes a subset of the API for its
 * generated tools. Where that subset is narrower than the API (version 2025-09-03) it is widened here, each
 * to what Notion documents, so the rest (paths, methods, query parameters, required fields) is still checked:
 * block requests of any block type (it lists paragraph and bulleted_list_item only), rich text with
 * annotations, equations and mentions, `data_source_id` parents (its "dataSourceIdParentRequest" holds
 * database_id), `children`/`icon` on POST /v1/pages (declared as strings), emoji icons with their `type`, and
 * comments that reply in a discussion or sit on a block.
 */
export function notionApi(): ApiDescription {
  if (description) return description;
  const doc = JSON.parse(readFileSync(notionApiFile(), 'utf8'));
  const schemas = doc.components.schemas;
  const icon = {
    type: ['object', 'null'],
    properties: { type: { enum: ['emoji', 'external'] }, emoji: { type: 'string' }, external: { type: 'object' } },
    additionalProperties: false,
  };
  schemas.blockObjectRequest = {
    type: 'object',
    required: ['type'],
    properties: { type: { type: 'string', pattern: '^[a-z_0-9]+$' } },
  };
  schemas.richTextRequest = {
    type: 'object',
    properties: {
      type: { enum: ['text', 'mention', 'equation'] },
      text: schemas.richTextRequest.properties.text,
      mention: { type: 'object' },
      equation: { type: 'object', required: ['expression'], properties: { expression: { type: 'string' } } },
      annotations: {
        type: 'object',
        properties: Object.fromEntries(
          ['bold', 'italic', 'strikethrough', 'underline', 'code'].map((k) => [k, { type: 'boolean' }]),
        ),
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  };
  schemas.parentRequest.oneOf.push({
    type: 'object',
    properties: { type: { const: 'data_source_id' }, data_source_id: { type: 'string', format: 'uuid' } },
    required: ['data_source_id'],
  });
  const createPage = doc.paths['/v1/pages'].post.requestBody.content['application/json'].schema;
  createPage.properties.children = { type: 'array', items: { $ref: '#/components/schemas/blockObjectRequest' } };
  createPage.properties.icon = icon;
  doc.paths['/v1/pages/{page_id}'].patch.requestBody.content['application/json'].schema.properties.icon = icon;
  const comment = doc.paths['/v1/comments'].post.requestBody.content['application/json'].schema;
  comment.required = ['rich_text'];
  comment.properties.parent = {
    type: 'object',
    properties: { page_id: { type: 'string' }, block_id: { type: 'string' } },
    minProperties: 1,
    additionalProperties: false,
  };
  comment.properties.discussion_id = { type: 'string' };
  comment.properties.rich_text.items = { $ref: '#/components/schemas/richTextRequest' };
  description = loadApiDescription(doc);
  return description;
}
