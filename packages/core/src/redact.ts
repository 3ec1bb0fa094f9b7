/**
 * Secret redaction for everything that leaves the process: tool results, error text, logs, audit lines.
 * Every loaded credential value is redacted (also in its base64 and URL-encoded forms), plus known token shapes.
 */

/** Token shapes of the vendors we serve (and a few common ones). */
export const KNOWN_TOKEN_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,255}\b/g, // GitHub classic, OAuth, user-to-server, server-to-server, refresh
  /\bgithub_pat_[A-Za-z0-9_]{20,255}\b/g, // GitHub fine-grained
  /\bxox[abposre]-[A-Za-z0-9-]{8,}/g, // Slack bot/user/app-level/refresh tokens
  /\bxapp-[A-Za-z0-9-]{8,}/g, // Slack app-level
  /\bntn_[A-Za-z0-9]{20,}\b/g, // Notion integration tokens
  /\bsecret_[A-Za-z0-9]{30,}\b/g, // Notion legacy integration tokens
  /\bATATT[A-Za-z0-9_\-=]{20,}/g, // Atlassian API tokens
  /\bBSA[A-Za-z0-9_-]{20,}\b/g, // Brave Search API keys
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g, // Stripe-style keys
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

export const REDACTED = '[REDACTED]';

/**
 * A secret cut off is still a leak: text is often shortened before it is redacted (a vendor message capped at
 * 300 characters, a quoted argument at 40), leaving a piece no full-value match finds. Any start of a secret
 * form at least this long is redacted too, as far as it goes.
 */
const CUT_OFF_MIN = 12;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The forms a secret can leak in: raw, URL-encoded, JSON-escaped (also with `\/`, as PHP and others escape
 * slashes: an error body quoted as text keeps it), and base64 / base64url — also when embedded in a longer
 * encoded value such as `Basic base64(user:secret)`, where the secret starts at any of three byte alignments.
 */
function secretForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const forms = new Set<string>([value, encodeURIComponent(value), json, json.replace(/\//g, '\\/')]);
  const bytes = Buffer.from(value);
  for (let offset = 0; offset < 3; offset++) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = shifted.toString(encoding).replace(/=+$/, '');
      // Drop the characters that also depend on the neighbouring bytes: the first group when shifted, and the
      // last group unless the secret ends on a group boundary.
      const start = offset ? 4 : 0;
      const end = (offset + bytes.length) % 3 === 0 ? encoded.length : encoded.length - 4;
      forms.add(encoded.slice(start, Math.max(start, end)));
    }
  }
  forms.add(bytes.toString('base64'));
  return [...forms].filter((f) => f.length >= 6);
}

export class Redactor {
  private literal?: RegExp;
  /** The first CUT_OFF_MIN characters of every longer form, and the forms that start with each. */
  private heads?: RegExp;
  private formsByHead = new Map<string, string[]>();
  private readonly patterns: RegExp[];
  /** Secret values, least recently registered first (a Set keeps insertion order). */
  private readonly values = new Set<string>();
  private readonly maxValues: number;

  /**
   * `maxValues` bounds how many distinct secrets are kept: callers bringing their own tokens must not grow it
   * without end. Every call registers the credentials it uses again, so the ones in use are never the oldest.
   */
  constructor(extraPatterns: RegExp[] = [], maxValues = 1000) {
    this.patterns = [...KNOWN_TOKEN_PATTERNS, ...extraPatterns].map(
      (p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`),
    );
    this.maxValues = maxValues;
  }

  /** Register a secret value (credentials are added as they are loaded). Values shorter than 6 chars are ignored. */
  add(value: string | undefined): void {
    if (!value || value.length < 6) return;
    if (this.values.has(value)) {
      // Mark as recently used; the pattern already covers it.
      this.values.delete(value);
      this.values.add(value);
      return;
    }
    this.values.add(value);
    if (this.values.size > this.maxValues) this.values.delete(this.values.values().next().value as string);
    const alternatives = [...this.values].flatMap(secretForms).sort((a, b) => b.length - a.length);
    this.literal = new RegExp(alternatives.map(escapeRegExp).join('|'), 'g');
    this.formsByHead = new Map();
    for (const form of alternatives) {
      if (form.length <= CUT_OFF_MIN) continue;
      const head = form.slice(0, CUT_OFF_MIN);
      this.formsByHead.set(head, [...(this.formsByHead.get(head) ?? []), form]);
    }
    this.heads = this.formsByHead.size
      ? new RegExp([...this.formsByHead.keys()].map(escapeRegExp).join('|'), 'g')
      : undefined;
  }

  redact(text: string): string {
    let out = this.literal ? text.replace(this.literal, REDACTED) : text;
    // Known shapes before cut-off pieces: a piece matching the start of a loaded token of some vendor could
    // otherwise break up the shape of another token of that vendor and leave its rest unredacted.
    for (const pattern of this.patterns) out = out.replace(pattern, REDACTED);
    return this.heads ? this.redactCutOff(out, this.heads) : out;
  }

  /** Each start of a secret form (CUT_OFF_MIN characters or more), as far as it matches the form. */
  private redactCutOff(text: string, heads: RegExp): string {
    let out = '';
    let last = 0;
    heads.lastIndex = 0;
    for (let m = heads.exec(text); m; m = heads.exec(text)) {
      let end = m.index + CUT_OFF_MIN;
      for (const form of this.formsByHead.get(m[0]) ?? []) {
        let i = CUT_OFF_MIN;
        while (i < form.length && text[m.index + i] === form[i]) i++;
        end = Math.max(end, m.index + i);
      }
      out += text.slice(last, m.index) + REDACTED;
      last = end;
      heads.lastIndex = end;
    }
    return out + text.slice(last);
  }

  /** Redact every string inside a JSON-like value (for audit records and logs). */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.redactDeep(v);
      return out as T;
    }
    return value;
  }
}
