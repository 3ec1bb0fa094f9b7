/**
 * Deterministic seed data: a small engineering workspace with a week of conversation. The newest message in
 * #eng-backend is testkit's INJECTION_FIXTURE (a prompt-injection attempt), read by the hardening suite.
 */
import { INJECTION_FIXTURE } from '@switchboard-mcp/testkit/upstream';
import type { SandboxChannel, SandboxMessage, SandboxState } from './state.ts';

export const BOT_USER = 'U0BOTSWB01';
export const BOT_ID = 'B0BOTSWB01';
export const TOKEN_USER = 'U0ALICE001';

const PEOPLE: [id: string, name: string, real: string, title: string, tz: string][] = [
  ['U0ALICE001', 'alice', 'Alice Nakamura', 'Engineering Manager', 'America/Los_Angeles'],
  ['U0BOB00002', 'bob', 'Bob Okafor', 'Backend Engineer', 'Europe/London'],
  ['U0CAROL003', 'carol', 'Carol Díaz', 'SRE', 'Europe/Madrid'],
  ['U0DAVE0004', 'dave', 'Dave Lindqvist', 'Frontend Engineer', 'Europe/Stockholm'],
  ['U0ERIN0005', 'erin', 'Erin Walsh', 'Product Manager', 'America/New_York'],
  ['U0FRANK006', 'frank', 'Frank Müller', 'Data Engineer', 'Europe/Berlin'],
  ['U0GRACE007', 'grace', 'Grace Chen', 'Designer', 'Asia/Singapore'],
  ['U0HEIDI008', 'heidi', 'Heidi Svensson', 'QA Engineer', 'Europe/Stockholm'],
];

const LINES = [
  'Deploy of api-gateway v2.14 is rolling out to staging now',
  'Can someone review <https://github.com/acme/widgets/pull/482|PR #482>? It fixes the retry storm in the billing worker',
  'Heads up: the nightly ETL took 3h12m last night, about 40 minutes longer than usual',
  'I think the p99 latency regression comes from the new connection pool settings',
  'Standup notes are in the doc, please add your blockers before 10:00',
  'Migrated the `orders` table to the new partitioning scheme, no downtime :tada:',
  'Anyone seen flaky failures in `checkout.spec.ts`? Third time today',
  "The incident review for Tuesday's outage is scheduled for Thursday 15:00 UTC",
  'Bumped Node to 22.11 in the base image; rebuild your dev containers when you can',
  'Customer reports 502s on the export endpoint, looking into it now',
  'Found it: the export job hits the 30s proxy timeout on large accounts',
  'Proposal: move feature flags to the new service by end of quarter. Thoughts?',
  '<@U0BOB00002> can you pair with me on the cache invalidation bug after lunch?',
  'Load test results: 12k rps sustained, CPU at 65% on the api pool',
  'Reminder that the staging database gets reset every Sunday night',
  'Dashboards for the new queue are up: <https://grafana.example.com/d/queues|Queue health>',
  'We should add an alert on consumer lag above 5 minutes',
  'Release notes draft for 3.8 is ready for review',
  'The design for the new onboarding flow is in Figma, feedback welcome',
  'Rolled back the search indexer, memory usage was climbing steadily',
  'TIL Postgres 16 can parallelise `SELECT DISTINCT`; the report query went from 40s to 9s',
  'Who owns the legacy notifications service these days?',
  'I will be out Friday, <@U0CAROL003> is on call',
  'Error budget for the payments API is at 62% for the month',
  'Can we get a quick decision on the API versioning approach? Blocking the SDK work',
];

const REPLIES = [
  'On it',
  'Looks good to me, approved',
  'I can take a look after standup',
  'Same here, seeing it on my branch too',
  'Good catch, thanks!',
  'Let us discuss in the sync tomorrow',
  '+1, makes sense',
  'Fixed in the latest commit',
];

const EMOJI = ['thumbsup', 'eyes', 'white_check_mark', 'tada', 'pray', 'rocket'];

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function channel(
  state: SandboxState,
  id: string,
  name: string,
  kind: SandboxChannel['kind'],
  members: string[],
  topic = '',
  purpose = '',
  created = 1_600_000_000,
): SandboxChannel {
  const c: SandboxChannel = {
    id,
    name,
    kind,
    members: new Set(members),
    topic,
    purpose,
    created,
    creator: members[0] ?? TOKEN_USER,
    messages: [],
    pins: [],
  };
  state.channels.set(id, c);
  return c;
}

function tsAt(seconds: number, seq: number): string {
  return `${Math.floor(seconds)}.${String(seq).padStart(6, '0')}`;
}

/** Fills a channel with `count` messages over the last `days` days, with threads and reactions. */
function conversation(state: SandboxState, c: SandboxChannel, count: number, days: number, seed: number): void {
  const random = rng(seed);
  const people = PEOPLE.map((p) => p[0]);
  const now = state.now() / 1000;
  const start = now - days * 86_400;
  const step = (now - 3600 - start) / count;
  let seq = 100;
  for (let i = 0; i < count; i++) {
    const at = start + i * step + random() * step * 0.5;
    const ts = tsAt(at, seq++);
    const user = people[Math.floor(random() * people.length)] as string;
    const message: SandboxMessage = {
      ts,
      user,
      text: LINES[Math.floor(random() * LINES.length)] as string,
      reactions: [],
    };
    if (random() < 0.3) {
      const name = EMOJI[Math.floor(random() * EMOJI.length)] as string;
      const users = people.filter(() => random() < 0.3);
      if (users.length) message.reactions.push({ name, users });
    }
    state.addMessage(c, message);
    if (random() < 0.2) {
      message.thread_ts = ts;
      const replies = 1 + Math.floor(random() * 4);
      for (let r = 0; r < replies; r++) {
        state.addMessage(c, {
          ts: tsAt(at + 60 * (r + 1), seq++),
          user: people[Math.floor(random() * people.length)] as string,
          text: REPLIES[Math.floor(random() * REPLIES.length)] as string,
          thread_ts: ts,
          reactions: [],
        });
      }
    }
  }
}

export function seed(state: SandboxState): void {
  for (const [id, name, real, title, tz] of PEOPLE) {
    state.users.set(id, {
      id,
      name,
      real_name: real,
      title,
      tz,
      email: `${name}@sandbox-co.example`,
      is_admin: id === 'U0ALICE001',
      is_owner: id === 'U0ALICE001',
      status_text: id === 'U0CAROL003' ? 'On call' : '',
      status_emoji: id === 'U0CAROL003' ? ':pager:' : '',
    });
  }
  state.users.set('U0OLDUSR09', {
    id: 'U0OLDUSR09',
    name: 'ivan',
    real_name: 'Ivan Former',
    tz: 'Europe/Berlin',
    deleted: true,
  });
  state.users.set(BOT_USER, {
    id: BOT_USER,
    name: 'switchboard',
    real_name: 'Switchboard',
    tz: 'America/Los_Angeles',
    is_bot: true,
    bot_id: BOT_ID,
  });
  const everyone = PEOPLE.map((p) => p[0]);
  const general = channel(
    state,
    'C0GENERAL1',
    'general',
    'public',
    [...everyone, BOT_USER],
    'Company-wide announcements and chatter',
    'This channel is for workspace-wide communication.',
  );
  conversation(state, general, 30, 7, 1);
  const engineering = channel(
    state,
    'C0ENGINEER',
    'engineering',
    'public',
    [...everyone, BOT_USER],
    'Deploys, reviews, incidents',
    'Engineering discussion',
  );
  conversation(state, engineering, 150, 7, 2);
  engineering.pins.push(engineering.messages[3]?.ts as string, engineering.messages[10]?.ts as string);
  const backend = channel(
    state,
    'C0BACKEND1',
    'eng-backend',
    'public',
    ['U0ALICE001', 'U0BOB00002', 'U0CAROL003', BOT_USER],
    'APIs and services',
  );
  conversation(state, backend, 40, 5, 3);
  // Pasted from a customer ticket; Slack stores &, < and > escaped in message text.
  state.addMessage(backend, {
    ts: tsAt(state.now() / 1000 - 1800, 999),
    user: 'U0BOB00002',
    text: INJECTION_FIXTURE.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    reactions: [],
  });
  const random = channel(state, 'C0RANDOM01', 'random', 'public', everyone, 'Non-work banter');
  conversation(state, random, 20, 7, 4);
  const leadership = channel(
    state,
    'G0LEADERS1',
    'leadership',
    'private',
    ['U0ALICE001', 'U0ERIN0005', BOT_USER],
    'Planning',
  );
  conversation(state, leadership, 10, 7, 5);
  channel(state, 'C0ANNOUNCE', 'announcements', 'public', everyone, 'Read-only announcements');
  channel(state, 'C0OLDPROJ1', 'old-project', 'public', everyone, 'Archived').archived = true;
  const dm = channel(state, 'D0ALICEBOT', 'D0ALICEBOT', 'im', ['U0ALICE001', BOT_USER]);
  dm.user = 'U0ALICE001';
  conversation(state, dm, 5, 3, 6);
  const group = channel(state, 'G0MPIM0001', 'mpdm-alice--bob--switchboard-1', 'mpim', [
    'U0ALICE001',
    'U0BOB00002',
    BOT_USER,
  ]);
  conversation(state, group, 5, 3, 7);
}
