/**
 * Shared Atlassian pieces for the Jira and Confluence servers: credentials and auth (Cloud basic / OAuth,
 * Data Center PAT), a jira.js / confluence.js request layer on core's fetch, error mapping, ADF ↔ Markdown and
 * Jira wiki markup (Data Center text fields) ↔ Markdown.
 * Storage format (Confluence XHTML) lives in `@switchboard-mcp/atlassian/storage`.
 */
export {
  type AdfDoc,
  type AdfMark,
  type AdfNode,
  adfToMarkdown,
  isAdfDoc,
  markdownToAdf,
} from './adf.ts';
export {
  type AtlassianAuth,
  type AtlassianCredentialSpecs,
  type AtlassianCredentialValues,
  type AtlassianProduct,
  atlassianAuth,
  atlassianCredentials,
  type Deployment,
} from './auth.ts';
export { AtlassianApiError, atlassianMessage, mapAtlassianError } from './errors.ts';
export { parseAtlassianRateLimit } from './ratelimit.ts';
export {
  type AtlassianTransport,
  type AtlassianTransportOptions,
  atlassianTransport,
  type SendRequestOptions,
  searchParamsOf,
} from './transport.ts';
export { markdownToWiki, wikiToMarkdown } from './wiki.ts';
