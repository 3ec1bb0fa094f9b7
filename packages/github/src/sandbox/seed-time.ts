import { isoSeconds } from './state.ts';

/** 2024-03-01T09:00:00Z: day 0 of the seeded history. */
export const SEED_EPOCH = Date.UTC(2024, 2, 1, 9, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Seeded timestamp: `day` days, `hour` hours and `minute` minutes after the epoch. */
export function at(day: number, hour = 1, minute = 0): string {
  return isoSeconds(SEED_EPOCH + day * DAY + hour * HOUR + minute * 60_000);
}
