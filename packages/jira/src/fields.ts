/**
 * Field names → Jira field ids and values → the shapes Jira expects, so the model can say
 * `{"Story Points": 5, "Team": "Platform"}` instead of `{"customfield_10016": 5, "customfield_10030": {"value": ...}}`.
 */
import { markdownToAdf, markdownToWiki, wikiToMarkdown } from '@switchboard-mcp/atlassian';
import { SwitchboardError } from '@switchboard-mcp/core';
import type { JiraClient, JiraField } from './client.ts';
import { resolveUser } from './users.ts';

/** Finds a field by id, key or (case-insensitive) name; an ambiguous name is an error listing the ids. */
export function findField(fields: JiraField[], nameOrId: string): JiraField {
  const wanted = nameOrId.trim();
  const byId = fields.find((f) => f.id === wanted || f.key === wanted);
  if (byId) return byId;
  const byName = fields.filter((f) => f.name.toLowerCase() === wanted.toLowerCase());
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new SwitchboardError(
      'invalid',
      `several fields are named "${wanted}": ${byName.map((f) => f.id).join(', ')}.`,
      {
        hint: 'Use the field id instead of the name.',
      },
    );
  }
  const close = fields
    .filter((f) => f.name.toLowerCase().includes(wanted.toLowerCase().slice(0, 4)))
    .slice(0, 5)
    .map((f) => `${f.name} (${f.id})`);
  throw new SwitchboardError('invalid', `no field is named "${wanted}".`, {
    hint: close.length
      ? `Similar fields: ${close.join(', ')}. get_create_fields lists a project's fields.`
      : 'get_create_fields lists the fields a project and issue type accept.',
  });
}

function named(value: unknown, key: 'name' | 'value' | 'id' = 'name'): unknown {
  if (value && typeof value === 'object') return value;
  if (key === 'name' && typeof value === 'string' && /^\d+$/.test(value)) return { id: value };
  return { [key]: value };
}

/** Shapes a plain value for a field by its schema: options by value, users by account, rich text as ADF. */
export async function fieldValue(client: JiraClient, field: JiraField, value: unknown): Promise<unknown> {
  if (value === null) return null;
  const schema = field.schema ?? {};
  const type = schema.type;
  const custom = schema.custom ?? '';
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]);
  if (type === 'array') {
    const items = schema.items;
    if (items === 'string') return list(value).map(String);
    if (items === 'option') return list(value).map((v) => named(v, 'value'));
    if (items === 'user') return Promise.all(list(value).map((v) => userRef(client, v)));
    if (items === 'json' && custom.endsWith(':gh-sprint')) return Number(list(value)[0]);
    return list(value).map((v) => named(v));
  }
  if (type === 'option' || type === 'option-with-child') return named(value, 'value');
  if (type === 'user') return userRef(client, value);
  if (type === 'number') {
    const n = Number(value);
    if (!Number.isFinite(n))
      throw new SwitchboardError('invalid', `${field.name} takes a number, got ${JSON.stringify(value)}.`);
    return n;
  }
  if (type === 'priority' || type === 'version' || type === 'component' || type === 'issuetype') return named(value);
  if (type === 'project') return typeof value === 'string' ? { key: value } : value;
  if (type === 'issuelink' || field.id === 'parent') return typeof value === 'string' ? { key: value } : value;
  if (custom.endsWith(':gh-sprint')) return Number(value);
  if (type === 'string' && typeof value === 'string' && isRichText(field)) return richValue(client, value);
  return value;
}

/** Fields holding rich text (ADF on Cloud, wiki markup on Data Center). */
export function isRichText(field: JiraField): boolean {
  const custom = field.schema?.custom ?? '';
  return field.id === 'description' || field.id === 'environment' || custom.endsWith(':textarea');
}

/** Markdown as the site wants rich text: ADF on Cloud, wiki markup on Data Center. */
export function richValue(client: JiraClient, markdown: string): unknown {
  return client.deployment === 'cloud' ? markdownToAdf(markdown) : markdownToWiki(markdown);
}

/** Rich text read from the site, ready for the renderer: Data Center's wiki markup as Markdown, ADF as it is. */
export function readRich(client: JiraClient, value: unknown): unknown {
  return client.deployment === 'datacenter' && typeof value === 'string' ? wikiToMarkdown(value) : value;
}

async function userRef(client: JiraClient, value: unknown): Promise<unknown> {
  if (value && typeof value === 'object') return value;
  const user = await resolveUser(client, String(value));
  return client.deployment === 'cloud' ? { accountId: user.accountId } : { name: user.name ?? user.key };
}

/** Builds a `fields` object from names → plain values. */
export async function resolveFields(
  client: JiraClient,
  values: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!Object.keys(values).length) return {};
  const catalogue = await client.fields();
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = findField(catalogue, name);
    out[field.id] = await fieldValue(client, field, value);
  }
  return out;
}
