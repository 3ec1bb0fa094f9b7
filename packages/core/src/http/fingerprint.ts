/** Stable, non-reversible names for secrets: throttle keys and audit lines carry these, never the secret. */
import { createHash } from 'node:crypto';

/** `fp_` plus the first 12 hex characters of the secret's SHA-256. */
export function fingerprint(secret: string): string {
  return `fp_${createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12)}`;
}
