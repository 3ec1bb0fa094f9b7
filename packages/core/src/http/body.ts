/**
 * Response bodies are bounded: an oversized answer fails with an error the model can act on instead of
 * filling memory. The wrapper reads from upstream only as the SDK reads, so nothing is buffered ahead.
 */
import { SwitchboardError } from '../errors.ts';

export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 * 1024, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

export function bodyTooLargeError(maxBytes: number, host: string): SwitchboardError {
  return new SwitchboardError('upstream', `response body exceeds ${formatBytes(maxBytes)} (from ${host})`, {
    hint: 'Narrow the request (filters, a smaller page size, a specific path or id) so the answer is smaller.',
  });
}

export interface BoundedBodyOptions {
  maxBytes: number;
  host: string;
  /** Turns a read failure into the error the SDK sees (e.g. the call's timeout instead of a bare abort). */
  mapError: (error: unknown) => unknown;
  /** Called once when the body ends, fails or is cancelled: release timers and listeners. */
  onDone: () => void;
}

/** Pass `source` through, failing once more than `maxBytes` have arrived. */
export function boundedBody(source: ReadableStream<Uint8Array>, opts: BoundedBodyOptions): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let total = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    opts.onDone();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          finish();
          controller.error(opts.mapError(error));
          return;
        }
        if (chunk.done) {
          finish();
          controller.close();
          return;
        }
        total += chunk.value.byteLength;
        if (total > opts.maxBytes) {
          const error = bodyTooLargeError(opts.maxBytes, opts.host);
          reader.cancel(error).catch(() => {});
          finish();
          controller.error(error);
          return;
        }
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
