import { workerData, type MessagePort } from 'node:worker_threads';
import type { FetchOptions } from './url.js';
import { FormatError } from '../../formats/errors.js';
import { openInput } from './open.js';
import { inflating } from './read.js';
import { DEAD, SENT, TAKEN, WINDOW, type StreamMessage } from './stream-source.js';

/**
 * The reading side of streamedSource: opens the input, inflates it as it
 * comes and posts it in chunks, never more than WINDOW ahead of the reader.
 */
interface StreamJob {
  spec: string;
  options: FetchOptions;
  signal: Int32Array;
  port: MessagePort;
}

const { spec, options, signal, port } = workerData as StreamJob;

// However this thread ends, the reader must not wait for it.
process.on('exit', () => {
  Atomics.store(signal, DEAD, 1);
  Atomics.notify(signal, SENT);
});

function post(message: StreamMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(signal, SENT, 1);
  Atomics.notify(signal, SENT);
}

function waitForRoom(): void {
  for (;;) {
    const taken = Atomics.load(signal, TAKEN);
    if (Atomics.load(signal, SENT) - taken < WINDOW) return;
    Atomics.wait(signal, TAKEN, taken, 200);
  }
}

async function run(): Promise<void> {
  const input = await openInput(spec, options);
  try {
    for await (const chunk of inflating(input.chunks)) {
      waitForRoom();
      const copy = new Uint8Array(chunk); // its own buffer, to hand over without copying again
      post({ chunk: copy }, [copy.buffer]);
    }
  } catch (err) {
    throw err instanceof FormatError ? err.withSource(input.name) : err;
  } finally {
    input.close();
  }
  post({ end: true });
}

run().catch((err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ error: { message: e.message, format: e instanceof FormatError, ...(e instanceof FormatError && e.source !== undefined ? { source: e.source } : {}) } });
});
