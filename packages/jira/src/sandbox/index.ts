/**
 * The Jira sandbox: a stateful fake of Jira Cloud REST v3 + Agile 1.0 on 127.0.0.1 (and the v2 paths a Data
 * Center client uses, with plain-text bodies), for `switchboard-jira --sandbox`, tests and benchmarks.
 * Auth: Basic email:API token (Cloud) or Bearer PAT (Data Center). Errors carry Atlassian's bodies
 * (`{errorMessages, errors}`); the removed `/rest/api/3/search` answers 410 as on Cloud; faults (429 +
 * Retry-After, 5xx, hangs) come from testkit's fault injection.
 */
import { createHash } from 'node:crypto';
import { type AdfDoc, isAdfDoc, markdownToAdf, wikiToMarkdown } from '@switchboard-mcp/atlassian';
import {
  type FakeRequest,
  type FakeResponse,
  type FakeUpstream,
  json,
  startFakeUpstream,
} from '@switchboard-mcp/testkit/upstream';
import { EPOCH, type Issue, PERMISSIONS, type State, seed, type User } from './model.ts';
import { JqlError, runJql } from './search.ts';
import { type ApiVersion, parseDuration, Shaper } from './shape.ts';

export const SANDBOX_EMAIL = 'ada@example.com';
export const SANDBOX_TOKEN = 'ATATT3xFfGF0sandbox0000000000000000000000';
export const SANDBOX_PAT = 'sandbox-pat-NjQ2MjQ4ODQ0MzY1OlX9yM0c';
/** The site's cloud id behind the sandbox's OAuth gateway path `/ex/jira/<cloudId>`. */
export const CLOUD_ID = '1324a887-45db-1bf4-1e99-ef0ff456d421';

export interface Credential {
  accountId: string;
  /** Jira permission keys held (in every project). Default: all. */
  permissions?: string[];
}

export interface JiraSandboxOptions {
  port?: number;
  /** API tokens (Basic, with the user's email) → account. Default: SANDBOX_TOKEN for Ada. */
  tokens?: Record<string, Credential>;
  /** Personal access tokens and OAuth access tokens (Bearer) → account. Default: SANDBOX_PAT for Ada. */
  bearer?: Record<string, Credential>;
  clock?: () => number;
}

export interface JiraSandbox {
  url: string;
  email: string;
  token: string;
  pat: string;
  upstream: FakeUpstream;
  state: State;
  close(): Promise<void>;
}

interface Caller {
  user: User;
  permissions: Set<string>;
}

class JiraHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, messages: string[], errors: Record<string, string> = {}) {
    super(messages.join('; '));
    this.status = status;
    this.body = { errorMessages: messages, errors };
  }
}

function fail(status: number, message: string): never {
  throw new JiraHttpError(status, [message]);
}

function fieldErrors(errors: Record<string, string>): never {
  throw new JiraHttpError(400, [], errors);
}

const NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

/** Page tokens belong to one query, as Jira's do. */
function queryHash(jql: string): string {
  return createHash('sha256').update(jql).digest('hex').slice(0, 10);
}

export async function startJiraSandbox(opts: JiraSandboxOptions = {}): Promise<JiraSandbox> {
  const state = seed();
  const clock = opts.clock ?? (() => EPOCH + 48 * 3_600_000);
  const ada = state.users[0]!.accountId;
  const tokens = opts.tokens ?? { [SANDBOX_TOKEN]: { accountId: ada } };
  const bearer = opts.bearer ?? { [SANDBOX_PAT]: { accountId: ada } };
  const upstream = await startFakeUpstream({
    port: opts.port,
    notFound: () => json(404, { errorMessages: ['null for uri: not a Jira REST resource'], errors: {} }),
  });
  const shaper = new Shaper(state, upstream.url);
  const callers = new WeakMap<FakeRequest, Caller>();

  const authenticate = (req: FakeRequest): Caller | undefined => {
    const header = req.headers.authorization ?? '';
    let cred: Credential | undefined;
    let email: string | undefined;
    if (/^basic /i.test(header)) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      email = decoded.slice(0, at);
      cred = tokens[decoded.slice(at + 1)];
    } else if (/^bearer /i.test(header)) {
      cred = bearer[header.slice(7).trim()];
    }
    const user = cred && state.users.find((u) => u.accountId === cred.accountId);
    if (!cred || !user || (email !== undefined && email.toLowerCase() !== user.emailAddress)) return undefined;
    return { user, permissions: new Set(cred.permissions ?? PERMISSIONS) };
  };

  upstream.use(async (req, next) => {
    if (req.path.startsWith('/__sandbox')) return next();
    // OAuth 2.0 (3LO) apps call the site through the API gateway: /ex/jira/<cloudId>/rest/...
    const gateway = /^\/ex\/jira\/([^/]+)(\/.*)$/.exec(req.path);
    if (gateway) {
      if (decodeURIComponent(gateway[1]!) !== CLOUD_ID) return json(404, { code: 404, message: 'Cloud id not found' });
      if (!/^bearer /i.test(req.headers.authorization ?? '')) return json(401, { code: 401, message: 'Unauthorized' });
      req.path = gateway[2]!;
    }
    const caller = authenticate(req);
    if (!caller) {
      return {
        status: 401,
        headers: { 'content-type': 'text/plain;charset=UTF-8', 'www-authenticate': 'Basic realm="protected-area"' },
        body: 'Client must be authenticated to access this resource.',
      };
    }
    callers.set(req, caller);
    try {
      const res = await next();
      return { ...res, headers: { 'x-arequestid': `sb-${upstream.requests.length}`, ...res.headers } };
    } catch (error) {
      if (error instanceof JiraHttpError) return json(error.status, error.body);
      if (error instanceof JqlError) return json(400, { errorMessages: [error.message], errors: {} });
      throw error;
    }
  });

  const callerOf = (req: FakeRequest): Caller => callers.get(req)!;
  const need = (req: FakeRequest, permission: string, what: string) => {
    if (!callerOf(req).permissions.has(permission)) fail(403, `You do not have permission to ${what}.`);
  };
  const version = (req: FakeRequest): ApiVersion => {
    const v = req.params.v;
    if (v !== '2' && v !== '3') fail(404, `null for uri: ${req.path}`);
    return v;
  };
  const issueOf = (key: string): Issue => {
    const issue = state.issues.find((i) => i.key.toUpperCase() === key.toUpperCase() || i.id === key);
    if (!issue) fail(404, NOT_FOUND);
    return issue;
  };
  const touch = (issue: Issue) => {
    issue.updated = Math.max(clock(), issue.updated + 1);
  };
  /** Text from a request: ADF on v3 (a string is refused as Jira does), wiki markup on v2. */
  const textIn = (value: unknown, v: ApiVersion, field: string): AdfDoc => {
    if (v === '3') {
      if (!isAdfDoc(value))
        fieldErrors({ [field]: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
      return value;
    }
    if (typeof value !== 'string') fieldErrors({ [field]: 'Operation value must be a string' });
    // Kept verbatim for v2 reads (Data Center returns wiki text as it was written); parsed for v3 reads.
    return { ...markdownToAdf(wikiToMarkdown(value)), attrs: { wiki: value } };
  };
  const userRef = (value: unknown, v: ApiVersion, field: string): string | null => {
    if (value === null) return null;
    const ref = value as { accountId?: string; name?: string; id?: string };
    const user = state.users.find(
      (u) => (ref.accountId && u.accountId === ref.accountId) || (v === '2' && ref.name && u.name === ref.name),
    );
    if (!user)
      fieldErrors({
        [field]:
          v === '3'
            ? `Specified user does not exist or you do not have required permissions`
            : `User '${ref.name ?? '?'}' does not exist.`,
      });
    if (!user.active) fieldErrors({ [field]: `User '${user.displayName}' cannot be assigned issues.` });
    return user.accountId;
  };

  /** Applies a `fields` object to an issue; unknown or badly shaped fields fail with per-field errors. */
  const applyFields = (issue: Issue, fields: Record<string, unknown>, v: ApiVersion) => {
    const errors: Record<string, string> = {};
    const project = state.projects.find((p) => p.key === issue.project)!;
    for (const [id, value] of Object.entries(fields)) {
      const def = state.fields.find((f) => f.id === id);
      try {
        switch (id) {
          case 'project':
          case 'issuetype':
            break;
          case 'summary':
            if (typeof value !== 'string' || !value.trim()) errors.summary = 'You must specify a summary of the issue.';
            else if (value.length > 255) errors.summary = 'Summary must be less than 255 characters.';
            else issue.summary = value;
            break;
          case 'description':
            issue.description = value === null ? null : textIn(value, v, 'description');
            break;
          case 'priority': {
            const ref = value as { name?: string; id?: string };
            const p = state.priorities.find(
              (x) => x.id === ref?.id || x.name.toLowerCase() === ref?.name?.toLowerCase(),
            );
            if (!p)
              errors.priority = `Specify a valid priority (one of ${state.priorities.map((x) => x.name).join(', ')}).`;
            else issue.priority = p.id;
            break;
          }
          case 'assignee':
            issue.assignee = userRef(value, v, 'assignee');
            break;
          case 'labels':
            if (!Array.isArray(value) || value.some((l) => typeof l !== 'string' || /\s/.test(l))) {
              errors.labels = 'Labels must be strings without spaces.';
            } else issue.labels = value as string[];
            break;
          case 'components': {
            const names: string[] = [];
            for (const c of (value as { name?: string; id?: string }[]) ?? []) {
              const found = project.components.find(
                (x) => x.id === c.id || x.name.toLowerCase() === c.name?.toLowerCase(),
              );
              if (!found) errors.components = `Component name '${c.name ?? c.id}' is not valid.`;
              else names.push(found.name);
            }
            issue.components = names;
            break;
          }
          case 'fixVersions': {
            const names: string[] = [];
            for (const c of (value as { name?: string; id?: string }[]) ?? []) {
              const found = project.versions.find((x) => x.id === c.id || x.name === c.name);
              if (!found) errors.fixVersions = `Version name '${c.name ?? c.id}' is not valid.`;
              else names.push(found.name);
            }
            issue.fixVersions = names;
            break;
          }
          case 'parent': {
            const key = (value as { key?: string; id?: string })?.key ?? (value as { id?: string })?.id;
            const parent = state.issues.find((i) => i.key === key || i.id === key);
            if (!parent) errors.parent = `Could not find issue by id or key.`;
            else issue.parent = parent.key;
            break;
          }
          case 'duedate':
            if (value !== null && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))) {
              errors.duedate = "Error parsing date string: the format is 'yyyy-MM-dd'.";
            } else issue.duedate = (value as string | null) ?? undefined;
            break;
          case 'resolution': {
            const name = (value as { name?: string })?.name;
            if (!state.resolutions.includes(name ?? '')) errors.resolution = `Resolution '${name}' does not exist.`;
            else issue.resolution = name;
            break;
          }
          case 'customfield_10016':
            if (value !== null && typeof value !== 'number') errors[id] = 'Operation value must be a number.';
            else issue.custom[id] = value ?? undefined;
            break;
          case 'customfield_10020':
            if (value !== null && !state.sprints.some((s) => s.id === Number(value)))
              errors[id] = `Sprint with id ${value} does not exist.`;
            else issue.sprint = value === null ? undefined : Number(value);
            break;
          case 'customfield_10030': {
            const option = (value as { value?: string; id?: string } | null)?.value;
            if (value !== null && !def?.options?.includes(option ?? '')) {
              errors[id] = `Option value '${option ?? JSON.stringify(value)}' is not valid.`;
            } else issue.custom[id] = option;
            break;
          }
          case 'customfield_10040':
            issue.custom[id] = value === null ? undefined : textIn(value, v, id);
            break;
          case 'customfield_10050':
            issue.custom[id] = ((value as unknown[]) ?? []).map((u) => userRef(u, v, id));
            break;
          default:
            errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
        }
      } catch (error) {
        if (error instanceof JiraHttpError)
          Object.assign(errors, (error.body as { errors: Record<string, string> }).errors);
        else throw error;
      }
    }
    if (Object.keys(errors).length) fieldErrors(errors);
  };

  const r = (method: string, pattern: string, handler: (req: FakeRequest) => FakeResponse | Promise<FakeResponse>) =>
    upstream.route(method, pattern, handler);

  // --- identity -----------------------------------------------------------------------------------------------
  r('GET', '/rest/api/:v/myself', (req) => json(200, shaper.userJson(callerOf(req).user, version(req))));
  r('GET', '/rest/api/:v/mypermissions', (req) => {
    version(req);
    const wanted = (req.query.get('permissions') ?? '').split(',').filter(Boolean);
    if (!wanted.length) fail(400, 'The permissions query parameter is required.');
    const held = callerOf(req).permissions;
    const permissions: Record<string, unknown> = {};
    for (const key of wanted) {
      if (!PERMISSIONS.includes(key)) fail(404, `No project permissions found for the key ${key}.`);
      permissions[key] = {
        id: String(PERMISSIONS.indexOf(key) + 10),
        key,
        name: key,
        type: 'PROJECT',
        havePermission: held.has(key),
      };
    }
    return json(200, { permissions });
  });
  r('GET', '/rest/api/:v/user/search', (req) => {
    const v = version(req);
    const q = (req.query.get(v === '2' ? 'username' : 'query') ?? req.query.get('query') ?? '').toLowerCase();
    if (!q) fail(400, "The query parameter 'query' is required.");
    const max = Number(req.query.get('maxResults') ?? 50);
    const found = state.users
      .filter((u) =>
        [u.displayName, u.emailAddress, u.name].some(
          (s) =>
            s
              .toLowerCase()
              .split(/[\s@.]+/)
              .some((w) => w.startsWith(q)) || s.toLowerCase().startsWith(q),
        ),
      )
      .slice(0, max);
    return json(
      200,
      found.map((u) => shaper.userJson(u, v)),
    );
  });

  // --- fields, search -------------------------------------------------------------------------------------------
  r('GET', '/rest/api/:v/field', (req) => {
    version(req);
    return json(
      200,
      state.fields.map((f) => ({
        id: f.id,
        key: f.id,
        name: f.name,
        custom: f.custom,
        orderable: true,
        navigable: true,
        searchable: true,
        clauseNames: f.custom ? [`cf[${f.schema?.customId}]`, f.name] : [f.id],
        ...(f.schema ? { schema: f.schema } : {}),
      })),
    );
  });
  const searchContext = (req: FakeRequest) => ({ state, me: callerOf(req).user.accountId, now: clock() });
  const enhancedSearch = (
    req: FakeRequest,
    params: { jql?: string; nextPageToken?: string; maxResults?: number; fields?: string[]; expand?: string },
  ) => {
    const jql = (params.jql ?? '').trim();
    const bounded = jql.split(/\border\s+by\b/i)[0]!.trim();
    if (!bounded)
      fail(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
    const max = Math.min(Math.max(1, params.maxResults ?? 50), 5000);
    let offset = 0;
    if (params.nextPageToken) {
      const [at, hash] = Buffer.from(params.nextPageToken, 'base64url').toString('utf8').split(':');
      if (hash !== queryHash(jql) || !/^\d+$/.test(at ?? ''))
        fail(400, 'The provided next page token is invalid or expired.');
      offset = Number(at);
    }
    const all = runJql(jql, searchContext(req));
    const page = all.slice(offset, offset + max);
    const end = offset + page.length;
    const isLast = end >= all.length;
    return json(200, {
      issues: page.map((i) => shaper.issue(i, '3', params.fields, { idsOnly: true })),
      ...(isLast ? {} : { nextPageToken: Buffer.from(`${end}:${queryHash(jql)}`).toString('base64url') }),
      isLast,
    });
  };
  const list = (q: URLSearchParams, name: string) =>
    q
      .getAll(name)
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
  r('GET', '/rest/api/3/search/jql', (req) =>
    enhancedSearch(req, {
      jql: req.query.get('jql') ?? undefined,
      nextPageToken: req.query.get('nextPageToken') ?? undefined,
      maxResults: req.query.has('maxResults') ? Number(req.query.get('maxResults')) : undefined,
      fields: list(req.query, 'fields'),
    }),
  );
  r('POST', '/rest/api/3/search/jql', (req) =>
    enhancedSearch(req, (req.body ?? {}) as Parameters<typeof enhancedSearch>[1]),
  );
  r('*', '/rest/api/3/search', () =>
    json(410, {
      errorMessages: [
        'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
      ],
      errors: {},
    }),
  );
  // Data Center's search: startAt / total paging, plain-text bodies.
  r('GET', '/rest/api/2/search', (req) => {
    const jql = req.query.get('jql') ?? '';
    const startAt = Math.max(0, Number(req.query.get('startAt') ?? 0) || 0);
    const max = Math.min(Math.max(1, Number(req.query.get('maxResults') ?? 50) || 50), 1000);
    const all = runJql(jql, searchContext(req));
    const fields = list(req.query, 'fields');
    return json(200, {
      startAt,
      maxResults: max,
      total: all.length,
      issues: all
        .slice(startAt, startAt + max)
        .map((i) => shaper.issue(i, '2', fields.length ? fields : ['*navigable'])),
    });
  });

  // --- issues ---------------------------------------------------------------------------------------------------
  r('GET', '/rest/api/:v/issue/:key', (req) => {
    const v = version(req);
    const issue = issueOf(req.params.key!);
    const expand = req.query.get('expand') ?? '';
    return json(200, shaper.issue(issue, v, list(req.query, 'fields'), { names: /\bnames\b/.test(expand) }));
  });
  r('POST', '/rest/api/:v/issue', (req) => {
    const v = version(req);
    const body = (req.body ?? {}) as { fields?: Record<string, unknown> };
    const fields = body.fields ?? {};
    const projectRef = fields.project as { key?: string; id?: string } | undefined;
    const project = state.projects.find((p) => p.key === projectRef?.key?.toUpperCase() || p.id === projectRef?.id);
    if (!project) fieldErrors({ project: 'Specify a valid project ID or key' });
    need(req, 'CREATE_ISSUES', `create issues in project ${project.key}`);
    const typeRef = fields.issuetype as { name?: string; id?: string } | undefined;
    const type = state.issueTypes.find(
      (t) =>
        project.issueTypes.includes(t.id) &&
        (t.id === typeRef?.id || t.name.toLowerCase() === typeRef?.name?.toLowerCase()),
    );
    if (!type) fieldErrors({ issuetype: 'Specify an issue type' });
    if (typeof fields.summary !== 'string' || !fields.summary.trim())
      fieldErrors({ summary: 'You must specify a summary of the issue.' });
    if (type.subtask && !fields.parent)
      fieldErrors({ parent: 'Given parent issue does not belong to appropriate hierarchy.' });
    const n =
      Math.max(0, ...state.issues.filter((i) => i.project === project.key).map((i) => Number(i.key.split('-')[1]))) + 1;
    const now = clock();
    const issue: Issue = {
      id: String(state.seq.issue++),
      key: `${project.key}-${n}`,
      project: project.key,
      type: type.id,
      summary: '',
      description: null,
      status: '10000',
      priority: '3',
      assignee: null,
      reporter: callerOf(req).user.accountId,
      labels: [],
      components: [],
      fixVersions: [],
      created: now,
      updated: now,
      custom: {},
      comments: [],
      worklogs: [],
      attachments: [],
    };
    applyFields(issue, fields, v);
    state.issues.push(issue);
    return json(201, { id: issue.id, key: issue.key, self: `${upstream.url}/rest/api/${v}/issue/${issue.id}` });
  });
  r('PUT', '/rest/api/:v/issue/:key', (req) => {
    const v = version(req);
    const issue = issueOf(req.params.key!);
    need(req, 'EDIT_ISSUES', `edit issue ${issue.key}`);
    const body = (req.body ?? {}) as { fields?: Record<string, unknown>; update?: unknown };
    if (!body.fields && !body.update) fail(400, 'No fields or update operations were given.');
    applyFields(issue, body.fields ?? {}, v);
    touch(issue);
    return { status: 204 };
  });
  r('GET', '/rest/api/:v/issue/:key/transitions', (req) => {
    version(req);
    const issue = issueOf(req.params.key!);
    const withFields = /transitions\.fields/.test(req.query.get('expand') ?? '');
    const transitions = state.transitions
      .filter((t) => t.to !== issue.status)
      .map((t) => ({
        id: t.id,
        name: t.name,
        to: shaper.status(t.to),
        hasScreen: !!t.needsResolution,
        isGlobal: true,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
        ...(withFields
          ? {
              fields: t.needsResolution
                ? {
                    resolution: {
                      required: true,
                      name: 'Resolution',
                      key: 'resolution',
                      schema: { type: 'resolution', system: 'resolution' },
                      operations: ['set'],
                      allowedValues: state.resolutions.map((name, k) => ({ id: String(k + 1), name })),
                    },
                  }
                : {},
            }
          : {}),
      }));
    return json(200, { transitions });
  });
  r('POST', '/rest/api/:v/issue/:key/transitions', (req) => {
    const v = version(req);
    const issue = issueOf(req.params.key!);
    need(req, 'TRANSITION_ISSUES', `transition issue ${issue.key}`);
    const body = (req.body ?? {}) as {
      transition?: { id?: string };
      fields?: Record<string, unknown>;
      update?: { comment?: { add?: { body?: unknown } }[] };
    };
    const t = state.transitions.find((x) => x.id === body.transition?.id && x.to !== issue.status);
    if (!t) fail(400, `Transition id '${body.transition?.id}' is not valid for this issue.`);
    if (t.needsResolution && !(body.fields?.resolution as { name?: string } | undefined)?.name) {
      fieldErrors({ resolution: 'Resolution is required.' });
    }
    applyFields(issue, body.fields ?? {}, v);
    issue.status = t.to;
    if (state.statuses.find((s) => s.id === t.to)?.category !== 'done') issue.resolution = undefined;
    for (const op of body.update?.comment ?? []) {
      if (op.add?.body !== undefined)
        addCommentTo(issue, textIn(op.add.body, v, 'comment'), callerOf(req).user.accountId);
    }
    touch(issue);
    return { status: 204 };
  });
  const addCommentTo = (issue: Issue, body: AdfDoc, author: string) => {
    const now = clock();
    const comment = { id: String(state.seq.comment++), author, body, created: now, updated: now };
    issue.comments.push(comment);
    touch(issue);
    return comment;
  };
  r('GET', '/rest/api/:v/issue/:key/comment', (req) => {
    const v = version(req);
    const issue = issueOf(req.params.key!);
    const startAt = Math.max(0, Number(req.query.get('startAt') ?? 0) || 0);
    const max = Math.min(Math.max(1, Number(req.query.get('maxResults') ?? 5000) || 5000), 5000);
    const order = req.query.get('orderBy') ?? 'created';
    const sorted = [...issue.comments].sort((a, b) =>
      order.startsWith('-') ? b.created - a.created : a.created - b.created,
    );
    const page = sorted.slice(startAt, startAt + max);
    return json(200, {
      startAt,
      maxResults: max,
      total: sorted.length,
      comments: page.map((c) => shaper.comment(c, v)),
    });
  });
  // jira.js reads a comment back by id after posting a plain-text (v2) body.
  r('GET', '/rest/api/:v/issue/:key/comment/:id', (req) => {
    const v = version(req);
    const comment = issueOf(req.params.key!).comments.find((c) => c.id === req.params.id);
    if (!comment) fail(404, `Can not find a comment for key: ${req.params.id}.`);
    return json(200, shaper.comment(comment, v));
  });
  r('POST', '/rest/api/:v/issue/:key/comment', (req) => {
    const v = version(req);
    const issue = issueOf(req.params.key!);
    need(req, 'ADD_COMMENTS', `comment on issue ${issue.key}`);
    const body = (req.body ?? {}) as { body?: unknown };
    if (body.body === undefined) fieldErrors({ comment: 'Comment body can not be empty!' });
    const comment = addCommentTo(issue, textIn(body.body, v, 'comment'), callerOf(req).user.accountId);
    return json(201, shaper.comment(comment, v));
  });
  r('PUT', '/rest/api/:v/issue/:key/assignee', (req) => {
    const v = version(req);
    const issue = issueOf(req.params.key!);
    need(req, 'ASSIGN_ISSUES', `assign issue ${issue.key}`);
    const body = (req.body ?? {}) as { accountId?: string | null; name?: string | null };
    const ref = v === '3' ? body.accountId : body.name;
    issue.assignee =
      ref === null || ref === undefined ? null : userRef(v === '3' ? { accountId: ref } : { name: ref }, v, 'assignee');
    touch(issue);
    return { status: 204 };
  });
  r('POST', '/rest/api/:v/issue/:key/worklog', (req) => {
    const v = version(req);
    const issue = issueOf(req.params.key!);
    need(req, 'WORK_ON_ISSUES', `log work on issue ${issue.key}`);
    const body = (req.body ?? {}) as {
      timeSpent?: string;
      timeSpentSeconds?: number;
      started?: string;
      comment?: unknown;
    };
    const seconds = body.timeSpentSeconds ?? (body.timeSpent ? parseDuration(body.timeSpent) : undefined);
    if (!seconds) fieldErrors({ timeLogged: 'Invalid time duration entered.' });
    if (body.started && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/.test(body.started)) {
      fieldErrors({
        started: 'Invalid date format. Please enter the date in the format "yyyy-MM-dd\'T\'HH:mm:ss.SSSZ".',
      });
    }
    const worklog = {
      id: String(state.seq.worklog++),
      author: callerOf(req).user.accountId,
      timeSpentSeconds: seconds,
      started: body.started ?? shaper.time(clock()),
      ...(body.comment !== undefined ? { comment: textIn(body.comment, v, 'comment') } : {}),
      created: clock(),
    };
    issue.worklogs.push(worklog);
    touch(issue);
    return json(201, shaper.worklog(issue, worklog, v));
  });
  // jira.js reads a worklog back by id after posting a plain-text (v2) comment.
  r('GET', '/rest/api/:v/issue/:key/worklog/:id', (req) => {
    const v = version(req);
    const issue = issueOf(req.params.key!);
    const worklog = issue.worklogs.find((w) => w.id === req.params.id);
    if (!worklog) fail(404, `Cannot find worklog with id: ${req.params.id}.`);
    return json(200, shaper.worklog(issue, worklog, v));
  });
  r('GET', '/rest/api/:v/issueLinkType', (req) => {
    version(req);
    return json(200, {
      issueLinkTypes: state.linkTypes.map((t) => ({ ...t, self: `${upstream.url}/rest/api/3/issueLinkType/${t.id}` })),
    });
  });
  r('POST', '/rest/api/:v/issueLink', (req) => {
    const v = version(req);
    const body = (req.body ?? {}) as {
      type?: { name?: string; id?: string };
      inwardIssue?: { key?: string };
      outwardIssue?: { key?: string };
      comment?: { body?: unknown };
    };
    const type = state.linkTypes.find((t) => t.id === body.type?.id || t.name === body.type?.name);
    if (!type) fail(404, `No issue link type with name '${body.type?.name}' found.`);
    const inward = issueOf(body.inwardIssue?.key ?? '');
    const outward = issueOf(body.outwardIssue?.key ?? '');
    need(req, 'LINK_ISSUES', `link issue ${inward.key}`);
    if (inward.key === outward.key) fail(400, 'You cannot link an issue to itself.');
    state.links.push({ id: String(state.seq.link++), type: type.id, inward: inward.key, outward: outward.key });
    if (body.comment?.body !== undefined)
      addCommentTo(inward, textIn(body.comment.body, v, 'comment'), callerOf(req).user.accountId);
    touch(inward);
    touch(outward);
    return { status: 201 };
  });
  r('GET', '/rest/api/:v/issue/createmeta/:project/issuetypes', (req) => {
    const v = version(req);
    const project = projectOf(req.params.project!);
    const types = state.issueTypes.filter((t) => project.issueTypes.includes(t.id));
    const listed = types.map((t) => ({
      id: t.id,
      name: t.name,
      subtask: t.subtask,
      description: '',
      self: `${upstream.url}/rest/api/3/issuetype/${t.id}`,
    }));
    // Data Center (v2) answers with `values`, Cloud with `issueTypes`.
    const list = v === '2' ? { values: listed, isLast: true } : { issueTypes: listed };
    return json(200, { ...list, maxResults: 50, startAt: 0, total: types.length });
  });
  r('GET', '/rest/api/:v/issue/createmeta/:project/issuetypes/:type', (req) => {
    const v = version(req);
    const project = projectOf(req.params.project!);
    const type = state.issueTypes.find((t) => t.id === req.params.type && project.issueTypes.includes(t.id));
    if (!type) fail(404, `Issue type with id '${req.params.type}' does not exist in project ${project.key}.`);
    const meta = (id: string, required: boolean, extra: Record<string, unknown> = {}) => {
      const f = state.fields.find((x) => x.id === id)!;
      return {
        fieldId: id,
        key: id,
        name: f.name,
        required,
        hasDefaultValue: id === 'priority',
        schema: f.schema,
        operations: ['set'],
        ...extra,
      };
    };
    const fields = [
      meta('project', true),
      meta('issuetype', true),
      meta('summary', true),
      meta('description', false),
      meta('priority', false, { allowedValues: state.priorities.map((p) => ({ id: p.id, name: p.name })) }),
      meta('assignee', false),
      meta('labels', false),
      meta('components', false, { allowedValues: project.components.map((c) => ({ id: c.id, name: c.name })) }),
      meta('duedate', false),
      ...(type.subtask ? [meta('parent', true)] : [meta('parent', false)]),
      ...(project.projectTypeKey === 'software'
        ? [
            meta('customfield_10016', false),
            meta('customfield_10020', false),
            meta('customfield_10030', type.name === 'Bug', {
              allowedValues: (state.fields.find((f) => f.id === 'customfield_10030')!.options ?? []).map(
                (value, k) => ({ id: String(10300 + k), value }),
              ),
            }),
            meta('customfield_10040', false),
            meta('customfield_10050', false),
          ]
        : []),
    ];
    const list = v === '2' ? { values: fields, isLast: true } : { fields };
    return json(200, { ...list, maxResults: 200, startAt: 0, total: fields.length });
  });

  // --- projects -------------------------------------------------------------------------------------------------
  const projectOf = (keyOrId: string) => {
    const project = state.projects.find((p) => p.key === keyOrId.toUpperCase() || p.id === keyOrId);
    if (!project) fail(404, `No project could be found with key '${keyOrId}'.`);
    return project;
  };
  const projectJson = (p: State['projects'][number], v: ApiVersion, expand: string) => ({
    self: `${upstream.url}/rest/api/${v}/project/${p.id}`,
    id: p.id,
    key: p.key,
    name: p.name,
    projectTypeKey: p.projectTypeKey,
    simplified: p.style === 'next-gen',
    style: p.style,
    isPrivate: false,
    ...(/\blead\b/.test(expand) || v === '2' ? { lead: shaper.user(p.lead, v) } : {}),
    ...(/\bdescription\b/.test(expand) ? { description: p.description } : {}),
    ...(/\bissueTypes\b/.test(expand)
      ? { issueTypes: state.issueTypes.filter((t) => p.issueTypes.includes(t.id)).map((t) => shaper.issueType(t.id)) }
      : {}),
  });
  r('GET', '/rest/api/3/project/search', (req) => {
    const startAt = Math.max(0, Number(req.query.get('startAt') ?? 0) || 0);
    const max = Math.min(Math.max(1, Number(req.query.get('maxResults') ?? 50) || 50), 100);
    const q = (req.query.get('query') ?? '').toLowerCase();
    const matching = state.projects.filter(
      (p) => !q || p.key.toLowerCase().includes(q) || p.name.toLowerCase().includes(q),
    );
    const values = matching.slice(startAt, startAt + max);
    return json(200, {
      self: `${upstream.url}/rest/api/3/project/search`,
      maxResults: max,
      startAt,
      total: matching.length,
      isLast: startAt + values.length >= matching.length,
      values: values.map((p) => projectJson(p, '3', req.query.get('expand') ?? '')),
    });
  });
  r('GET', '/rest/api/2/project', (req) =>
    json(
      200,
      state.projects.map((p) => projectJson(p, '2', req.query.get('expand') ?? '')),
    ),
  );
  r('GET', '/rest/api/:v/project/:key', (req) => {
    const v = version(req);
    const p = projectOf(req.params.key!);
    return json(200, {
      ...projectJson(p, v, req.query.get('expand') ?? ''),
      components: p.components.map((c) => ({ ...c, self: `${upstream.url}/rest/api/3/component/${c.id}` })),
      versions: p.versions.map((x) => ({
        ...x,
        projectId: Number(p.id),
        self: `${upstream.url}/rest/api/3/version/${x.id}`,
      })),
    });
  });

  // --- agile ----------------------------------------------------------------------------------------------------
  const paged = <T>(req: FakeRequest, items: T[], key = 'values', cap = 50) => {
    const startAt = Math.max(0, Number(req.query.get('startAt') ?? 0) || 0);
    const max = Math.min(Math.max(1, Number(req.query.get('maxResults') ?? cap) || cap), cap);
    const page = items.slice(startAt, startAt + max);
    return {
      maxResults: max,
      startAt,
      total: items.length,
      isLast: startAt + page.length >= items.length,
      [key]: page,
    };
  };
  const boardOut = (b: (typeof state.boards)[number]) => {
    const p = state.projects.find((x) => x.key === b.project)!;
    return {
      id: b.id,
      self: `${upstream.url}/rest/agile/1.0/board/${b.id}`,
      name: b.name,
      type: b.type,
      location: {
        projectId: Number(p.id),
        projectKey: p.key,
        projectName: p.name,
        displayName: `${p.name} (${p.key})`,
        projectTypeKey: p.projectTypeKey,
      },
    };
  };
  r('GET', '/rest/agile/1.0/board', (req) => {
    const project = req.query.get('projectKeyOrId')?.toUpperCase();
    const name = req.query.get('name')?.toLowerCase();
    const type = req.query.get('type');
    const boards = state.boards.filter(
      (b) =>
        (!project || b.project === project || state.projects.find((p) => p.key === b.project)?.id === project) &&
        (!name || b.name.toLowerCase().includes(name)) &&
        (!type || b.type === type),
    );
    return json(200, paged(req, boards.map(boardOut)));
  });
  r('GET', '/rest/agile/1.0/board/:id', (req) => {
    const board = state.boards.find((b) => String(b.id) === req.params.id);
    if (!board) fail(404, `Board ${req.params.id} does not exist or you do not have permission to see it.`);
    return json(200, boardOut(board));
  });
  r('GET', '/rest/agile/1.0/board/:id/sprint', (req) => {
    const board = state.boards.find((b) => String(b.id) === req.params.id);
    if (!board) fail(404, `Board ${req.params.id} does not exist or you do not have permission to see it.`);
    if (board.type !== 'scrum') fail(400, 'The board does not support sprints');
    const states = (req.query.get('state') ?? '').split(',').filter(Boolean);
    const sprints = state.sprints.filter((s) => s.boardId === board.id && (!states.length || states.includes(s.state)));
    return json(
      200,
      paged(
        req,
        sprints.map((s) => ({ ...s, self: `${upstream.url}/rest/agile/1.0/sprint/${s.id}`, originBoardId: s.boardId })),
      ),
    );
  });
  r('GET', '/rest/agile/1.0/sprint/:id/issue', (req) => {
    const sprint = state.sprints.find((s) => String(s.id) === req.params.id);
    if (!sprint) fail(404, `Sprint with id ${req.params.id} does not exist or you do not have permission to see it.`);
    const inSprint = state.issues.filter((i) => i.sprint === sprint.id);
    const jql = req.query.get('jql');
    const issues = jql ? runJql(jql, searchContext(req), inSprint) : inSprint;
    const fields = list(req.query, 'fields');
    const page = paged(req, issues, 'issues');
    return json(200, {
      ...page,
      expand: 'schema,names',
      issues: (page.issues as Issue[]).map((i) => shaper.issue(i, '3', fields.length ? fields : ['*navigable'])),
    });
  });

  return {
    url: upstream.url,
    email: SANDBOX_EMAIL,
    token: Object.keys(tokens)[0] ?? SANDBOX_TOKEN,
    pat: Object.keys(bearer)[0] ?? SANDBOX_PAT,
    upstream,
    state,
    close: () => upstream.close(),
  };
}
