/**
 * The sandbox workspace: users, channels with members, messages with threads and reactions, pins, scheduled
 * messages and pending file uploads. Shapes follow what the Slack Web API returns.
 */

export interface SandboxUser {
  id: string;
  name: string;
  real_name: string;
  title?: string;
  email?: string;
  tz: string;
  is_bot?: boolean;
  bot_id?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  deleted?: boolean;
  status_text?: string;
  status_emoji?: string;
}

export interface SandboxChannel {
  id: string;
  name: string;
  kind: 'public' | 'private' | 'im' | 'mpim';
  members: Set<string>;
  /** The other user of an im. */
  user?: string;
  topic: string;
  purpose: string;
  created: number;
  creator: string;
  archived?: boolean;
  messages: SandboxMessage[];
  pins: string[];
}

export interface SandboxReaction {
  name: string;
  users: string[];
}

export interface SandboxFile {
  id: string;
  name: string;
  title: string;
  size: number;
  user: string;
  created: number;
  uploaded: boolean;
  mimetype: string;
}

export interface SandboxMessage {
  ts: string;
  user: string;
  text: string;
  thread_ts?: string;
  /** Reply also shown in the channel. */
  broadcast?: boolean;
  reactions: SandboxReaction[];
  edited?: { user: string; ts: string };
  files?: string[];
  subtype?: string;
}

export interface ScheduledMessage {
  id: string;
  channel: string;
  post_at: number;
  text: string;
  thread_ts?: string;
  date_created: number;
}

export interface SandboxToken {
  kind: 'bot' | 'user';
  user: string;
  scopes: string[];
}

export const TEAM = { id: 'T0SANDBOX1', name: 'Sandbox Co', domain: 'sandbox-co' };

export class SandboxState {
  readonly users = new Map<string, SandboxUser>();
  readonly channels = new Map<string, SandboxChannel>();
  readonly scheduled: ScheduledMessage[] = [];
  readonly files = new Map<string, SandboxFile>();
  readonly tokens = new Map<string, SandboxToken>();
  #seq = 0;
  readonly #clock: () => number;

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  now(): number {
    return this.#clock();
  }

  /** A fresh, unique ts at the current time (Slack ts: seconds.microseconds). */
  nextTs(): string {
    this.#seq = (this.#seq + 1) % 1_000_000;
    const seconds = Math.floor(this.#clock() / 1000);
    return `${seconds}.${String(this.#seq).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.#seq = (this.#seq + 1) % 1_000_000;
    return `${prefix}0${this.#seq.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  channelByName(name: string): SandboxChannel | undefined {
    for (const c of this.channels.values())
      if (c.name === name && (c.kind === 'public' || c.kind === 'private')) return c;
    return undefined;
  }

  /** The im between the bot (or token user) and `user`, created on first use like conversations.open. */
  imWith(self: string, user: string): SandboxChannel {
    for (const c of this.channels.values()) {
      if (c.kind === 'im' && c.members.has(self) && c.members.has(user)) return c;
    }
    const id = this.nextId('D');
    const im: SandboxChannel = {
      id,
      name: id,
      kind: 'im',
      user,
      members: new Set([self, user]),
      topic: '',
      purpose: '',
      created: Math.floor(this.#clock() / 1000),
      creator: self,
      messages: [],
      pins: [],
    };
    this.channels.set(id, im);
    return im;
  }

  findMessage(channel: SandboxChannel, ts: string): SandboxMessage | undefined {
    return channel.messages.find((m) => m.ts === ts);
  }

  replies(channel: SandboxChannel, threadTs: string): SandboxMessage[] {
    return channel.messages.filter((m) => m.thread_ts === threadTs && m.ts !== threadTs);
  }

  /** Inserts keeping ts order (oldest first). */
  addMessage(channel: SandboxChannel, message: SandboxMessage): SandboxMessage {
    channel.messages.push(message);
    channel.messages.sort((a, b) => Number.parseFloat(a.ts) - Number.parseFloat(b.ts));
    return message;
  }
}
