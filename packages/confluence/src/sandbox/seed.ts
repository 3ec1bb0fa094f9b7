/**
 * Seed data: two team spaces and a personal one, a small page tree with realistic storage-format bodies. The
 * comment on "Incident process" is testkit's INJECTION_FIXTURE (a prompt-injection attempt), read by the
 * hardening suite.
 */
import { INJECTION_FIXTURE } from '@switchboard-mcp/testkit/upstream';
import { SandboxState } from './state.ts';

export const ALICE = {
  accountId: '557058:a1ice000-0000-4000-8000-000000000001',
  username: 'alice',
  userKey: '8a7f808a8a000001',
  displayName: 'Alice Example',
  email: 'alice@example.com',
};
export const BOB = {
  accountId: '557058:b0b00000-0000-4000-8000-000000000002',
  username: 'bob',
  userKey: '8a7f808a8a000002',
  displayName: 'Bob Builder',
  email: 'bob@example.com',
};

const mention = (id: string) => `<ac:link><ri:user ri:account-id="${id}" /></ac:link>`;
const status = (title: string, colour: string) =>
  `<ac:structured-macro ac:name="status" ac:schema-version="1"><ac:parameter ac:name="colour">${colour}</ac:parameter><ac:parameter ac:name="title">${title}</ac:parameter></ac:structured-macro>`;
const code = (language: string, body: string) =>
  `<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">${language}</ac:parameter><ac:plain-text-body><![CDATA[${body}]]></ac:plain-text-body></ac:structured-macro>`;
const panel = (kind: string, body: string) =>
  `<ac:structured-macro ac:name="${kind}" ac:schema-version="1"><ac:rich-text-body>${body}</ac:rich-text-body></ac:structured-macro>`;

export const HOME_BODY = `<p>Welcome to the <strong>Engineering</strong> space. Start with <ac:link><ri:page ri:content-title="Onboarding" /></ac:link>.</p>
<ac:structured-macro ac:name="toc" ac:schema-version="1"><ac:parameter ac:name="maxLevel">2</ac:parameter></ac:structured-macro>
<h2>Teams</h2><ul><li>Platform: ${mention(ALICE.accountId)}</li><li>Payments: ${mention(BOB.accountId)}</li></ul>`;

const ONBOARDING_BODY = `<h2>First week</h2>
<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>Get a laptop</ac:task-body></ac:task><ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>Read the <ac:link><ri:page ri:content-title="Architecture overview" /></ac:link></ac:task-body></ac:task></ac:task-list>
${panel('tip', '<p>Ask in #eng-help when stuck.</p>')}
<p>Tracking: <ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="server">System JIRA</ac:parameter><ac:parameter ac:name="key">ENG-42</ac:parameter></ac:structured-macro></p>`;

const SERVICES = ['gateway', 'billing', 'ledger', 'search', 'notifications', 'identity', 'reports', 'scheduler'];

/** A long page, the way real architecture pages look: sections with tables, code, panels, lozenges, mentions. */
export function architectureBody(sections = 24): string {
  const parts: string[] = [
    `<p>This page describes how the platform fits together. Owner: ${mention(ALICE.accountId)}. Status: ${status('IN REVIEW', 'Yellow')}</p>`,
    `<ac:structured-macro ac:name="toc" ac:schema-version="1"><ac:parameter ac:name="minLevel">2</ac:parameter><ac:parameter ac:name="maxLevel">3</ac:parameter></ac:structured-macro>`,
    panel(
      'info',
      '<p>Diagrams are attached as <ac:link><ri:attachment ri:filename="architecture.png" /></ac:link>.</p>',
    ),
  ];
  for (let i = 0; i < sections; i++) {
    const svc = SERVICES[i % SERVICES.length] ?? 'service';
    const name = `${svc}-${Math.floor(i / SERVICES.length) + 1}`;
    parts.push(
      `<h2>${i + 1}. The ${name} service</h2>`,
      `<p>The <em>${name}</em> service owns its data and talks to its neighbours over HTTP and the event bus. It is deployed in three regions and scales horizontally; see <a href="https://runbooks.example.com/${name}">the runbook</a> for operations. Current state: ${status(i % 3 === 0 ? 'DONE' : 'IN PROGRESS', i % 3 === 0 ? 'Green' : 'Blue')}</p>`,
      `<table><tbody><tr><th><p>Endpoint</p></th><th><p>Method</p></th><th><p>Owner</p></th><th><p>SLO</p></th></tr>` +
        `<tr><td><p><code>/v1/${svc}</code></p></td><td><p>GET</p></td><td><p>${mention(i % 2 ? BOB.accountId : ALICE.accountId)}</p></td><td><p>99.9%</p></td></tr>` +
        `<tr><td><p><code>/v1/${svc}/{id}</code></p></td><td><p>PUT</p></td><td><p>${mention(ALICE.accountId)}</p></td><td><p>99.5%</p></td></tr></tbody></table>`,
      code(
        'typescript',
        `export async function handle${i}(req: Request): Promise<Response> {\n  const body = await req.json();\n  if (!body.id) return new Response('missing id', { status: 400 });\n  return Response.json(await ${svc}.get(body.id));\n}`,
      ),
      i % 4 === 1
        ? panel('warning', `<p>Do not call <code>${name}</code> synchronously from request paths.</p>`)
        : i % 4 === 3
          ? `<ac:structured-macro ac:name="expand" ac:schema-version="1"><ac:parameter ac:name="title">History</ac:parameter><ac:rich-text-body><p>Split out of the monolith in ${2019 + (i % 5)}.</p></ac:rich-text-body></ac:structured-macro>`
          : `<ul><li>Owns: ${svc} records</li><li>Depends on: <ul><li>identity</li><li>event bus</li></ul></li></ul>`,
    );
  }
  return parts.join('\n');
}

export function seed(state: SandboxState = new SandboxState()): SandboxState {
  state.users.push({ ...ALICE }, { ...BOB });
  const at = state.now();
  const eng = {
    id: '98305',
    key: 'ENG',
    name: 'Engineering',
    type: 'global' as const,
    status: 'current' as const,
    description: 'How we build things.',
    createdAt: at,
    authorId: ALICE.accountId,
  };
  const ops = { ...eng, id: '98306', key: 'OPS', name: 'Operations', description: 'Runbooks and incidents.' };
  const personal = {
    ...eng,
    id: '98307',
    key: '~alice',
    name: 'Alice Example',
    type: 'personal' as const,
    description: '',
  };
  state.spaces.push(eng, ops, personal);

  const home = state.addPage({
    spaceId: eng.id,
    title: 'Engineering home',
    body: HOME_BODY,
    authorId: ALICE.accountId,
  });
  Object.assign(eng, { homepageId: home.id });
  const onboarding = state.addPage({
    spaceId: eng.id,
    parentId: home.id,
    title: 'Onboarding',
    body: ONBOARDING_BODY,
    authorId: ALICE.accountId,
  });
  const arch = state.addPage({
    spaceId: eng.id,
    parentId: home.id,
    title: 'Architecture overview',
    body: architectureBody(),
    authorId: ALICE.accountId,
  });
  const notes = state.addPage({
    spaceId: eng.id,
    parentId: home.id,
    title: 'Release notes',
    body: '<p>Release notes by version.</p>',
    authorId: BOB.accountId,
  });
  state.addPage({
    spaceId: eng.id,
    parentId: notes.id,
    title: 'Release 2.4',
    body: `<p>Shipped ${status('DONE', 'Green')}. Highlights: faster search, new billing exports.</p>`,
    authorId: BOB.accountId,
  });
  const opsHome = state.addPage({
    spaceId: ops.id,
    title: 'Operations home',
    body: '<p>On-call, runbooks and incident reviews.</p>',
    authorId: BOB.accountId,
  });
  Object.assign(ops, { homepageId: opsHome.id });
  const incident = state.addPage({
    spaceId: ops.id,
    parentId: opsHome.id,
    title: 'Incident process',
    body: `${panel('note', '<p>Page the incident commander first.</p>')}<ol><li>Declare</li><li>Mitigate</li><li>Review</li></ol>`,
    authorId: BOB.accountId,
  });
  const alicePage = state.addPage({
    spaceId: personal.id,
    title: 'Alice notes',
    body: '<p>Private scratchpad.</p>',
    authorId: ALICE.accountId,
  });
  Object.assign(personal, { homepageId: alicePage.id });

  state.addComment(arch.id, '<p>Should the ledger own refunds?</p>', BOB.accountId);
  state.addComment(arch.id, `<p>Yes, see ${mention(BOB.accountId)}'s proposal.</p>`, ALICE.accountId);
  state.addComment(onboarding.id, '<p>Add VPN setup.</p>', BOB.accountId);
  state.addLabel(arch.id, 'architecture');
  state.addLabel(arch.id, 'platform');
  state.addLabel(onboarding.id, 'onboarding');
  for (const [title, mediaType, fileSize] of [
    ['architecture.png', 'image/png', 182_344],
    ['capacity-plan.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 48_211],
  ] as const) {
    state.attachments.push({
      id: `att${state.id()}`,
      pageId: arch.id,
      title,
      mediaType,
      fileSize,
      comment: '',
      createdAt: state.now(),
      authorId: ALICE.accountId,
    });
  }
  // Last, so the ids above stay put. Storage format is XHTML: the text is escaped as Confluence stores it.
  const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  state.addComment(incident.id, INJECTION_FIXTURE.paragraphs.map((p) => `<p>${xml(p)}</p>`).join(''), BOB.accountId);
  return state;
}
