/** Sandbox entities as Jira's REST API returns them: v3 (ADF text) or v2 (wiki-markup text, Data Center). */
import { type AdfDoc, adfToMarkdown, markdownToWiki } from '@switchboard-mcp/atlassian';
import type { Comment, Issue, State, User, Worklog } from './model.ts';

export type ApiVersion = '2' | '3';

export class Shaper {
  private readonly state: State;
  private readonly base: string;

  constructor(state: State, base: string) {
    this.state = state;
    this.base = base;
  }

  time(ms: number): string {
    return new Date(ms).toISOString().replace('Z', '+0000');
  }

  text(value: AdfDoc | null | undefined, v: ApiVersion): unknown {
    if (value === null || value === undefined) return null;
    const wiki = value.attrs?.wiki;
    if (v === '2') return typeof wiki === 'string' ? wiki : markdownToWiki(adfToMarkdown(value));
    if (wiki === undefined) return value;
    const { attrs: _written, ...doc } = value;
    return doc;
  }

  user(accountId: string | null | undefined, v: ApiVersion): Record<string, unknown> | null {
    if (!accountId) return null;
    const u = this.state.users.find((x) => x.accountId === accountId);
    if (!u) return null;
    return this.userJson(u, v);
  }

  userJson(u: User, v: ApiVersion): Record<string, unknown> {
    return {
      // v2 is served as Data Center does: people by username, no Cloud account ids.
      ...(v === '2'
        ? { self: `${this.base}/rest/api/2/user?username=${u.name}`, name: u.name, key: u.name }
        : { self: `${this.base}/rest/api/3/user?accountId=${u.accountId}`, accountId: u.accountId }),
      accountType: 'atlassian',
      emailAddress: u.emailAddress,
      avatarUrls: { '48x48': `${this.base}/avatar/${u.accountId}.png` },
      displayName: u.displayName,
      active: u.active,
      timeZone: u.timeZone,
    };
  }

  status(id: string): Record<string, unknown> {
    const s = this.state.statuses.find((x) => x.id === id)!;
    const cat = {
      new: [2, 'To Do', 'blue-gray'],
      indeterminate: [4, 'In Progress', 'yellow'],
      done: [3, 'Done', 'green'],
    }[s.category] as [number, string, string];
    return {
      self: `${this.base}/rest/api/3/status/${s.id}`,
      id: s.id,
      name: s.name,
      description: '',
      statusCategory: { id: cat[0], key: s.category, name: cat[1], colorName: cat[2] },
    };
  }

  issueType(id: string): Record<string, unknown> {
    const t = this.state.issueTypes.find((x) => x.id === id)!;
    return { id: t.id, name: t.name, subtask: t.subtask, hierarchyLevel: t.hierarchyLevel, description: '' };
  }

  priority(id: string): Record<string, unknown> {
    const p = this.state.priorities.find((x) => x.id === id)!;
    return { id: p.id, name: p.name };
  }

  /** The small form Jira embeds for parents, subtasks and links. */
  ref(key: string): Record<string, unknown> {
    const i = this.state.issues.find((x) => x.key === key);
    if (!i) return { key };
    return {
      id: i.id,
      key: i.key,
      self: `${this.base}/rest/api/3/issue/${i.id}`,
      fields: {
        summary: i.summary,
        status: this.status(i.status),
        priority: this.priority(i.priority),
        issuetype: this.issueType(i.type),
      },
    };
  }

  comment(c: Comment, v: ApiVersion): Record<string, unknown> {
    return {
      self: `${this.base}/rest/api/${v}/comment/${c.id}`,
      id: c.id,
      author: this.user(c.author, v),
      body: this.text(c.body, v),
      updateAuthor: this.user(c.author, v),
      created: this.time(c.created),
      updated: this.time(c.updated),
      jsdPublic: true,
    };
  }

  worklog(issue: Issue, w: Worklog, v: ApiVersion): Record<string, unknown> {
    return {
      self: `${this.base}/rest/api/${v}/issue/${issue.id}/worklog/${w.id}`,
      id: w.id,
      issueId: issue.id,
      author: this.user(w.author, v),
      updateAuthor: this.user(w.author, v),
      ...(w.comment ? { comment: this.text(w.comment, v) } : {}),
      started: w.started,
      timeSpent: formatSeconds(w.timeSpentSeconds),
      timeSpentSeconds: w.timeSpentSeconds,
      created: this.time(w.created),
      updated: this.time(w.created),
    };
  }

  /** Every field of an issue, by field id. */
  allFields(i: Issue, v: ApiVersion): Record<string, unknown> {
    const project = this.state.projects.find((p) => p.key === i.project)!;
    const spent = i.worklogs.reduce((s, w) => s + w.timeSpentSeconds, 0);
    const links = this.state.links
      .filter((l) => l.inward === i.key || l.outward === i.key)
      .map((l) => {
        const type = this.state.linkTypes.find((t) => t.id === l.type)!;
        const out = l.inward === i.key;
        return {
          id: l.id,
          type: { id: type.id, name: type.name, inward: type.inward, outward: type.outward },
          ...(out ? { outwardIssue: this.ref(l.outward) } : { inwardIssue: this.ref(l.inward) }),
        };
      });
    const sprint = i.sprint ? this.state.sprints.find((s) => s.id === i.sprint) : undefined;
    const fields: Record<string, unknown> = {
      summary: i.summary,
      description: this.text(i.description, v),
      status: this.status(i.status),
      issuetype: this.issueType(i.type),
      priority: this.priority(i.priority),
      assignee: this.user(i.assignee, v),
      reporter: this.user(i.reporter, v),
      creator: this.user(i.reporter, v),
      labels: i.labels,
      components: i.components.map((name) => ({
        id: project.components.find((c) => c.name === name)?.id ?? '0',
        name,
      })),
      fixVersions: i.fixVersions.map((name) => {
        const ver = project.versions.find((x) => x.name === name);
        return { id: ver?.id ?? '0', name, released: ver?.released ?? false, archived: false };
      }),
      project: { id: project.id, key: project.key, name: project.name, projectTypeKey: project.projectTypeKey },
      created: this.time(i.created),
      updated: this.time(i.updated),
      duedate: i.duedate ?? null,
      resolution: i.resolution ? { id: '1', name: i.resolution } : null,
      resolutiondate: i.resolution ? this.time(i.updated) : null,
      statuscategorychangedate: this.time(i.updated),
      watches: { watchCount: 1, isWatching: true },
      votes: { votes: 0, hasVoted: false },
      subtasks: this.state.issues
        .filter((x) => x.parent === i.key && this.state.issueTypes.find((t) => t.id === x.type)?.subtask)
        .map((x) => this.ref(x.key)),
      issuelinks: links,
      attachment: i.attachments.map((a) => ({
        self: `${this.base}/rest/api/3/attachment/${a.id}`,
        id: a.id,
        filename: a.filename,
        author: this.user(a.author, v),
        created: this.time(a.created),
        size: a.size,
        mimeType: a.mimeType,
        content: `${this.base}/rest/api/3/attachment/content/${a.id}`,
      })),
      comment: {
        comments: i.comments.map((c) => this.comment(c, v)),
        self: `${this.base}/rest/api/${v}/issue/${i.id}/comment`,
        maxResults: i.comments.length,
        total: i.comments.length,
        startAt: 0,
      },
      timetracking: spent ? { timeSpent: formatSeconds(spent), timeSpentSeconds: spent } : {},
      timespent: spent || null,
      customfield_10020: sprint
        ? [{ id: sprint.id, name: sprint.name, state: sprint.state, boardId: sprint.boardId, goal: sprint.goal ?? '' }]
        : null,
    };
    if (i.parent) fields.parent = this.ref(i.parent);
    for (const f of this.state.fields.filter((x) => x.custom && x.id !== 'customfield_10020')) {
      const value = i.custom[f.id];
      if (value === undefined || value === null) fields[f.id] = null;
      else if (f.schema?.type === 'option')
        fields[f.id] = { id: String(f.options?.indexOf(String(value)) ?? 0), value };
      else if (f.schema?.items === 'user') fields[f.id] = (value as string[]).map((id) => this.user(id, v));
      else if (f.schema?.custom?.endsWith(':textarea')) fields[f.id] = this.text(value as AdfDoc, v);
      else fields[f.id] = value;
    }
    return fields;
  }

  /**
   * An issue with the requested fields: `*all`, `*navigable`, ids, `-id` to drop. No list: the default of the
   * endpoint (`defaults`: all navigable fields for GET issue, ids only for the enhanced search).
   */
  issue(i: Issue, v: ApiVersion, fields: string[] | undefined, opts: { names?: boolean; idsOnly?: boolean } = {}) {
    const out: Record<string, unknown> = { id: i.id, key: i.key, self: `${this.base}/rest/api/${v}/issue/${i.id}` };
    const wanted = (fields ?? [])
      .flatMap((f) => f.split(','))
      .map((f) => f.trim())
      .filter(Boolean);
    if (!wanted.length && opts.idsOnly) return { id: i.id };
    const all = this.allFields(i, v);
    const pick = new Set<string>();
    const everything = !wanted.length || wanted.some((f) => f === '*all' || f === '*navigable');
    if (everything) for (const k of Object.keys(all)) pick.add(k);
    for (const f of wanted) {
      if (f.startsWith('-')) pick.delete(f.slice(1));
      else if (!f.startsWith('*') && f in all) pick.add(f);
    }
    out.fields = Object.fromEntries([...pick].map((k) => [k, all[k]]));
    if (opts.names) {
      out.names = Object.fromEntries([...pick].map((k) => [k, this.state.fields.find((f) => f.id === k)?.name ?? k]));
    }
    return out;
  }
}

/** 5400 → "1h 30m". */
export function formatSeconds(s: number): string {
  const w = Math.floor(s / (5 * 8 * 3600));
  const d = Math.floor((s % (5 * 8 * 3600)) / (8 * 3600));
  const h = Math.floor((s % (8 * 3600)) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [w && `${w}w`, d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join(' ') || '0m';
}

/** "1h 30m" / "2d" / "1.5h" → seconds (Jira's 8h day, 5d week). */
export function parseDuration(text: string): number | undefined {
  const units: Record<string, number> = { w: 5 * 8 * 3600, d: 8 * 3600, h: 3600, m: 60 };
  let total = 0;
  let matched = '';
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*([wdhm])/gi)) {
    total += Number(m[1]) * units[m[2]!.toLowerCase()]!;
    matched += m[0];
  }
  return matched && total > 0 ? Math.round(total) : undefined;
}
