/** Rendering of issues: one-line rows for lists, a compact card for get_issue. */
import { adfToMarkdown, isAdfDoc } from '@switchboard-mcp/atlassian';
import { untrusted } from '@switchboard-mcp/core';
import { authored, count, day, type JiraUser, oneLine, richText, size, who } from './render.ts';

export interface IssueFields {
  summary?: string;
  status?: { name?: string; statusCategory?: { key?: string } };
  issuetype?: { name?: string; subtask?: boolean };
  priority?: { name?: string } | null;
  assignee?: JiraUser | null;
  reporter?: JiraUser | null;
  created?: string;
  updated?: string;
  duedate?: string | null;
  resolution?: { name?: string } | null;
  labels?: string[];
  components?: { name?: string }[];
  fixVersions?: { name?: string }[];
  parent?: IssueRef;
  subtasks?: IssueRef[];
  issuelinks?: IssueLinkEntry[];
  attachment?: { filename?: string; size?: number; content?: string; created?: string; author?: JiraUser }[];
  description?: unknown;
  comment?: { comments?: CommentLike[]; total?: number };
  timetracking?: { originalEstimate?: string; remainingEstimate?: string; timeSpent?: string };
  [field: string]: unknown;
}

export interface IssueRef {
  id?: string;
  key: string;
  fields?: IssueFields;
}

export interface IssueLinkEntry {
  type?: { name?: string; inward?: string; outward?: string };
  inwardIssue?: IssueRef;
  outwardIssue?: IssueRef;
}

export interface CommentLike {
  id?: string;
  author?: JiraUser;
  body?: unknown;
  created?: string;
  updated?: string;
}

export interface IssueLike extends IssueRef {
  fields: IssueFields;
  names?: Record<string, string>;
}

/** Any field value as short text: people by name, options by value, rich text flattened. */
export function fieldText(value: unknown, max = 100): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return oneLine(String(value), max);
  }
  if (Array.isArray(value)) {
    return oneLine(
      value
        .map((v) => fieldText(v, max))
        .filter(Boolean)
        .join(', '),
      max,
    );
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'doc') return oneLine(adfToMarkdown(o as unknown as Parameters<typeof adfToMarkdown>[0]), max);
    for (const k of ['displayName', 'value', 'name', 'key', 'id']) {
      if (typeof o[k] === 'string' || typeof o[k] === 'number') {
        const child = o.child ? ` / ${fieldText(o.child, max)}` : '';
        return oneLine(`${o[k]}${child}`, max);
      }
    }
  }
  return '';
}

function status(fields: IssueFields | undefined): string {
  return fields?.status?.name ? ` [${oneLine(fields.status.name, 40)}]` : '';
}

/** `ABC-12 [In Progress] Fix login · Bug · High · Jane Doe · 2024-05-01` (+ extra fields as `name=value`). */
export function issueRow(issue: IssueLike, extra: { id: string; name: string }[] = []): string {
  const f = issue.fields ?? {};
  const parts = [`${issue.key}${status(f)} ${oneLine(f.summary ?? '', 120)}`];
  if (f.issuetype?.name) parts.push(oneLine(f.issuetype.name, 30));
  if (f.priority?.name) parts.push(oneLine(f.priority.name, 20));
  if ('assignee' in f) parts.push(who(f.assignee));
  if (f.updated) parts.push(day(f.updated));
  for (const field of extra) {
    const text = fieldText(f[field.id], 80);
    if (text) parts.push(`${field.name}=${text}`);
  }
  return parts.join(' · ');
}

function refLine(ref: IssueRef): string {
  return `${ref.key}${status(ref.fields)} ${oneLine(ref.fields?.summary ?? '', 100)}`.trim();
}

/** Field ids rendered in the card's own lines, never again among "other fields". */
const SHOWN = new Set([
  'summary',
  'status',
  'issuetype',
  'priority',
  'assignee',
  'reporter',
  'created',
  'updated',
  'duedate',
  'resolution',
  'labels',
  'components',
  'fixVersions',
  'parent',
  'subtasks',
  'issuelinks',
  'attachment',
  'description',
  'comment',
  'timetracking',
]);

/** Fields that are noise for an agent (ids, counters, derived dates, avatars). */
const NOISE = new Set([
  'statuscategorychangedate',
  'lastViewed',
  'watches',
  'votes',
  'worklog',
  'project',
  'creator',
  'aggregatetimespent',
  'aggregatetimeestimate',
  'aggregatetimeoriginalestimate',
  'aggregateprogress',
  'progress',
  'timespent',
  'timeestimate',
  'timeoriginalestimate',
  'workratio',
  'resolutiondate',
  'security',
  'thumbnail',
  'statusCategory',
  'versions',
  'environment',
]);

export interface CardOptions {
  siteUrl?: string;
  comments: number;
  /** Fields whose string values are rich text already read as Markdown (Data Center's wiki-markup fields). */
  richFields?: ReadonlySet<string>;
}

export function issueCard(issue: IssueLike, opts: CardOptions): string {
  const f = issue.fields ?? {};
  const lines = [`${issue.key}${status(f)} ${oneLine(f.summary ?? '', 200)}`];
  const meta = [
    f.issuetype?.name,
    f.priority?.name ? `priority ${f.priority.name}` : '',
    `assignee ${who(f.assignee)}`,
    f.reporter ? `reporter ${who(f.reporter)}` : '',
    f.resolution?.name ? `resolution ${f.resolution.name}` : '',
    f.created ? `created ${day(f.created)}` : '',
    f.updated ? `updated ${day(f.updated)}` : '',
    f.duedate ? `due ${day(f.duedate)}` : '',
  ].filter(Boolean);
  lines.push(meta.map((m) => oneLine(m, 80)).join(' · '));
  const tags = [
    f.labels?.length ? `labels: ${f.labels.map((l) => oneLine(l, 40)).join(', ')}` : '',
    f.components?.length ? `components: ${fieldText(f.components)}` : '',
    f.fixVersions?.length ? `fix versions: ${fieldText(f.fixVersions)}` : '',
    f.timetracking?.timeSpent || f.timetracking?.originalEstimate
      ? `time: ${[
          f.timetracking.timeSpent ? `${f.timetracking.timeSpent} spent` : '',
          f.timetracking.originalEstimate ? `${f.timetracking.originalEstimate} estimated` : '',
          f.timetracking.remainingEstimate ? `${f.timetracking.remainingEstimate} left` : '',
        ]
          .filter(Boolean)
          .join(', ')}`
      : '',
  ].filter(Boolean);
  if (tags.length) lines.push(tags.join(' · '));
  if (f.parent?.key) lines.push(`Parent: ${refLine(f.parent)}`);
  const name = (id: string) => oneLine(issue.names?.[id] ?? id, 40);
  const extra = Object.entries(f).filter(([id, v]) => !SHOWN.has(id) && !NOISE.has(id) && fieldText(v) !== '');
  // Rich-text fields are free text like the description: their own fenced section, not squeezed into a line.
  const isRich = ([id, v]: [string, unknown]) => isAdfDoc(v) || (typeof v === 'string' && !!opts.richFields?.has(id));
  const rich = extra.filter(isRich).slice(0, 5);
  const other = extra
    .filter((entry) => !isRich(entry))
    .map(([id, v]) => `${name(id)}: ${fieldText(v, 80)}`)
    .slice(0, 20);
  if (other.length) lines.push(`Fields: ${other.join('; ')}`);
  const description = authored(f.description, `description of ${issue.key}`);
  lines.push(description ? `Description:\n${description}` : 'Description: (none)');
  for (const [id, v] of rich) lines.push(`${name(id)}:\n${authored(v, `${name(id)} of ${issue.key}`)}`);
  if (f.subtasks?.length) {
    lines.push(`Subtasks (${f.subtasks.length}):`);
    for (const s of f.subtasks) lines.push(`- ${refLine(s)}`);
  }
  if (f.issuelinks?.length) {
    lines.push(`Links (${f.issuelinks.length}):`);
    for (const l of f.issuelinks) {
      const other = l.outwardIssue ?? l.inwardIssue;
      const verb = l.outwardIssue ? l.type?.outward : l.type?.inward;
      if (other) lines.push(`- ${oneLine(verb ?? l.type?.name ?? 'relates to', 40)} ${refLine(other)}`);
    }
  }
  if (f.attachment?.length) {
    lines.push(`Attachments (${f.attachment.length}):`);
    for (const a of f.attachment.slice(0, 20)) {
      lines.push(`- ${oneLine(a.filename ?? '?', 120)} (${size(a.size)})${a.content ? ` ${a.content}` : ''}`);
    }
  }
  const comments = f.comment?.comments ?? [];
  const total = f.comment?.total ?? comments.length;
  if (total && !opts.comments) lines.push(`Comments: ${total} (list_comments reads them)`);
  else if (total) {
    // slice(-n), not slice(-0): comments=0 asks for none, and slice(-0) would be all of them.
    const shown = comments.slice(-opts.comments);
    lines.push(
      `Comments (${shown.length === total ? count(total, 'comment') : `last ${shown.length} of ${total}; list_comments for more`}):`,
    );
    lines.push(commentsBlock(shown, issue.key));
  }
  if (opts.siteUrl) lines.push(`${opts.siteUrl}/browse/${issue.key}`);
  return lines.join('\n');
}

/**
 * Comments as one fenced block (one fence, not one per comment: fewer tokens), each headed by author, date
 * and id. The heads are inside the fence too: display names are user-controlled.
 */
export function commentsBlock(comments: CommentLike[], key: string): string {
  const body = comments
    .map((c) => {
      const head = `• ${who(c.author, 'unknown')} · ${day(c.created)}${c.id ? ` · id ${c.id}` : ''}:`;
      const text = richText(c.body).trim();
      return `${head}\n${text || '(empty)'}`;
    })
    .join('\n\n');
  return untrusted(body, { source: `comments on ${key}` });
}

/** Fields get_issue asks for: everything, so custom fields show by name; the card keeps it short. */
export const CARD_FIELDS = ['*all'];
