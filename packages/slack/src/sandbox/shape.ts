/** Slack-shaped JSON for sandbox objects (what the Web API returns, vendor noise included). */
import { createHash } from 'node:crypto';
import { BOT_ID, BOT_USER } from './seed.ts';
import {
  type SandboxChannel,
  type SandboxFile,
  type SandboxMessage,
  type SandboxState,
  type SandboxUser,
  TEAM,
} from './state.ts';

function hash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function userJson(u: SandboxUser): Record<string, unknown> {
  const image = `https://avatars.slack-edge.com/2024-01-01/${hash(u.id, 12)}`;
  return {
    id: u.id,
    team_id: TEAM.id,
    name: u.name,
    deleted: u.deleted ?? false,
    color: hash(u.name, 6),
    real_name: u.real_name,
    tz: u.tz,
    tz_label: u.tz,
    tz_offset: 0,
    profile: {
      title: u.title ?? '',
      phone: '',
      skype: '',
      real_name: u.real_name,
      real_name_normalized: u.real_name.normalize('NFD').replace(/\p{M}/gu, ''),
      display_name: u.name,
      display_name_normalized: u.name,
      fields: null,
      status_text: u.status_text ?? '',
      status_emoji: u.status_emoji ?? '',
      status_emoji_display_info: [],
      status_expiration: 0,
      avatar_hash: hash(u.id, 12),
      ...(u.email ? { email: u.email } : {}),
      first_name: u.real_name.split(' ')[0],
      last_name: u.real_name.split(' ').slice(1).join(' '),
      image_24: `${image}_24.png`,
      image_32: `${image}_32.png`,
      image_48: `${image}_48.png`,
      image_72: `${image}_72.png`,
      image_192: `${image}_192.png`,
      image_512: `${image}_512.png`,
      status_text_canonical: '',
      team: TEAM.id,
      ...(u.is_bot ? { bot_id: u.bot_id, always_active: true } : {}),
    },
    is_admin: u.is_admin ?? false,
    is_owner: u.is_owner ?? false,
    is_primary_owner: u.is_owner ?? false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.is_bot ?? false,
    is_app_user: false,
    updated: 1_700_000_000,
    is_email_confirmed: !u.is_bot,
    who_can_share_contact_card: 'EVERYONE',
  };
}

export function channelJson(c: SandboxChannel, viewer: string, counts = false): Record<string, unknown> {
  const isMember = c.members.has(viewer);
  if (c.kind === 'im') {
    return {
      id: c.id,
      created: c.created,
      is_archived: false,
      is_im: true,
      is_org_shared: false,
      context_team_id: TEAM.id,
      updated: c.created * 1000,
      user: [...c.members].find((m) => m !== viewer) ?? c.user,
      is_user_deleted: false,
      priority: 0,
    };
  }
  const last = c.messages.at(-1);
  return {
    id: c.id,
    name: c.name,
    is_channel: c.kind === 'public',
    is_group: c.kind === 'private' && c.id.startsWith('G'),
    is_im: false,
    is_mpim: c.kind === 'mpim',
    is_private: c.kind !== 'public',
    created: c.created,
    is_archived: c.archived ?? false,
    is_general: c.name === 'general',
    unlinked: 0,
    name_normalized: c.name,
    is_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: TEAM.id,
    updated: (last ? Math.floor(Number.parseFloat(last.ts)) : c.created) * 1000,
    parent_conversation: null,
    creator: c.creator,
    is_ext_shared: false,
    shared_team_ids: [TEAM.id],
    pending_connected_team_ids: [],
    is_member: isMember,
    topic: { value: c.topic, creator: c.topic ? c.creator : '', last_set: c.topic ? c.created : 0 },
    purpose: { value: c.purpose, creator: c.purpose ? c.creator : '', last_set: c.purpose ? c.created : 0 },
    properties: { use_case: 'project' },
    previous_names: [],
    ...(counts || c.kind !== 'mpim' ? { num_members: c.members.size } : {}),
  };
}

function blocksOf(m: SandboxMessage): unknown[] {
  const elements: unknown[] = [];
  for (const part of m.text.split(/(<[^>]+>)/)) {
    if (!part) continue;
    const mention = /^<@([UW][A-Z0-9]+)>$/.exec(part);
    const link = /^<(https?:[^|>]+)(?:\|([^>]+))?>$/.exec(part);
    if (mention) elements.push({ type: 'user', user_id: mention[1] });
    else if (link) elements.push({ type: 'link', url: link[1], ...(link[2] ? { text: link[2] } : {}) });
    else elements.push({ type: 'text', text: part });
  }
  return [
    {
      type: 'rich_text',
      block_id: hash(m.ts, 5),
      elements: [{ type: 'rich_text_section', elements }],
    },
  ];
}

export function messageJson(state: SandboxState, c: SandboxChannel, m: SandboxMessage): Record<string, unknown> {
  const isBot = m.user === BOT_USER;
  const out: Record<string, unknown> = {
    ...(isBot ? { bot_id: BOT_ID, app_id: 'A0SWITCHB1' } : { client_msg_id: uuidOf(m.ts + c.id) }),
    type: 'message',
    ...(m.subtype ? { subtype: m.subtype } : {}),
    text: m.text,
    user: m.user,
    ts: m.ts,
    team: TEAM.id,
    ...(isBot
      ? {
          bot_profile: {
            id: BOT_ID,
            deleted: false,
            name: 'Switchboard',
            updated: 1_700_000_000,
            app_id: 'A0SWITCHB1',
            icons: {
              image_36: 'https://a.slack-edge.com/80588/img/plugins/app/bot_36.png',
              image_48: 'https://a.slack-edge.com/80588/img/plugins/app/bot_48.png',
              image_72: 'https://a.slack-edge.com/80588/img/plugins/app/service_72.png',
            },
            team_id: TEAM.id,
          },
        }
      : {}),
    blocks: blocksOf(m),
  };
  if (m.edited) out.edited = m.edited;
  if (m.files?.length) {
    out.files = m.files
      .map((id) => state.files.get(id))
      .filter(Boolean)
      .map((f) => fileJson(f as SandboxFile));
    out.upload = false;
    out.display_as_bot = false;
  }
  if (m.thread_ts) {
    out.thread_ts = m.thread_ts;
    if (m.thread_ts === m.ts) {
      const replies = state.replies(c, m.ts);
      out.reply_count = replies.length;
      out.reply_users_count = new Set(replies.map((r) => r.user)).size;
      out.latest_reply = replies.at(-1)?.ts ?? m.ts;
      out.reply_users = [...new Set(replies.map((r) => r.user))].slice(0, 5);
      out.is_locked = false;
      out.subscribed = false;
    } else {
      const parent = state.findMessage(c, m.thread_ts);
      out.parent_user_id = parent?.user;
    }
  }
  if (m.reactions.length) {
    out.reactions = m.reactions.map((r) => ({ name: r.name, users: r.users, count: r.users.length }));
  }
  return out;
}

export function fileJson(f: SandboxFile): Record<string, unknown> {
  return {
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.name,
    title: f.title,
    mimetype: f.mimetype,
    filetype: f.name.split('.').pop() ?? 'text',
    pretty_type: 'Plain Text',
    user: f.user,
    user_team: TEAM.id,
    editable: false,
    size: f.size,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: true,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `https://files.slack.com/files-pri/${TEAM.id}-${f.id}/${encodeURIComponent(f.name)}`,
    url_private_download: `https://files.slack.com/files-pri/${TEAM.id}-${f.id}/download/${encodeURIComponent(f.name)}`,
    permalink: `https://${TEAM.domain}.slack.com/files/${f.user}/${f.id}/${encodeURIComponent(f.name)}`,
    comments_count: 0,
  };
}

export function permalink(c: SandboxChannel, ts: string, threadTs?: string): string {
  const base = `https://${TEAM.domain}.slack.com/archives/${c.id}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${c.id}` : base;
}
