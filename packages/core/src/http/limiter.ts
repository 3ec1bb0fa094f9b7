/**
 * Per-key cap on requests in flight, process-wide (clients are built per call, the cap is per credential).
 * Waiters queue first in, first out and leave the queue when their signal aborts.
 */

interface Waiter {
  grant: () => void;
  onAbort: () => void;
}

interface Lane {
  active: number;
  limit: number;
  queue: Waiter[];
}

const lanes = new Map<string, Lane>();

/** Resolves with a release function once a slot for `key` is free; call it exactly when the request is done. */
export function acquireSlot(key: string, limit: number, signal?: AbortSignal): Promise<() => void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  let lane = lanes.get(key);
  if (!lane) {
    lane = { active: 0, limit, queue: [] };
    lanes.set(key, lane);
  }
  lane.limit = Math.max(1, limit);
  const current = lane;
  if (current.active < current.limit && current.queue.length === 0) {
    current.active++;
    return Promise.resolve(releaser(key, current));
  }
  return new Promise((resolve, reject) => {
    const waiter: Waiter = {
      grant: () => {
        signal?.removeEventListener('abort', waiter.onAbort);
        current.active++;
        resolve(releaser(key, current));
      },
      onAbort: () => {
        const index = current.queue.indexOf(waiter);
        if (index >= 0) current.queue.splice(index, 1);
        drain(key, current);
        reject(signal?.reason);
      },
    };
    signal?.addEventListener('abort', waiter.onAbort, { once: true });
    current.queue.push(waiter);
  });
}

/** Requests in flight and queued for a key (for metrics and tests). */
export function slotUsage(key: string): { active: number; queued: number } {
  const lane = lanes.get(key);
  return { active: lane?.active ?? 0, queued: lane?.queue.length ?? 0 };
}

function releaser(key: string, lane: Lane): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    lane.active--;
    drain(key, lane);
  };
}

function drain(key: string, lane: Lane): void {
  while (lane.active < lane.limit && lane.queue.length > 0) lane.queue.shift()!.grant();
  if (lane.active === 0 && lane.queue.length === 0 && lanes.get(key) === lane) lanes.delete(key);
}
