import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { FormatError } from '../../formats/errors.js';
import type { ByteSource } from '../../formats/trace/index.js';
import type { FetchOptions } from './url.js';

/** What the worker posts: a chunk, the end, or why it stopped. */
export type StreamMessage =
  | { chunk: Uint8Array; end?: never; error?: never }
  | { end: true; chunk?: never; error?: never }
  | { error: { message: string; format: boolean; source?: string }; chunk?: never; end?: never };

/** Slots of the shared counters: messages sent, chunks taken, the worker has exited. */
export const SENT = 0;
export const TAKEN = 1;
export const DEAD = 2;
/** Chunks the worker may read ahead of the decoder. */
export const WINDOW = 8;

/**
 * A ByteSource over any input (a pipe, stdin, a URL, gzip inflated as it
 * comes) for the trace decoder, which reads synchronously: a worker thread
 * reads and inflates ahead, and `read` blocks until it has handed over a
 * chunk. Memory is a few chunks, whatever the input's size.
 */
export function streamedSource(spec: string, options: FetchOptions): ByteSource {
  const signal = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./stream-worker.js', import.meta.url), {
    workerData: { spec, options, signal, port: port2 },
    transferList: [port2],
  });
  worker.unref();
  let received = 0;
  let chunk: Uint8Array = new Uint8Array(0);
  let pos = 0;
  let ended = false;

  /** The next message's chunk; false at the end. */
  const next = (): boolean => {
    for (;;) {
      const m = receiveMessageOnPort(port1);
      if (m === undefined) {
        if (Atomics.load(signal, DEAD) === 1 && Atomics.load(signal, SENT) === received) throw new Error('the input reader stopped unexpectedly');
        Atomics.wait(signal, SENT, received, 1000);
        continue;
      }
      received++;
      const msg = m.message as StreamMessage;
      if (msg.error) throw msg.error.format ? new FormatError(msg.error.message, msg.error.source) : new Error(msg.error.message);
      if (msg.end) return false;
      chunk = msg.chunk!;
      pos = 0;
      Atomics.add(signal, TAKEN, 1);
      Atomics.notify(signal, TAKEN);
      return true;
    }
  };

  return {
    read(into, offset, length) {
      while (pos >= chunk.length) {
        if (ended || !next()) {
          ended = true;
          return 0;
        }
      }
      const n = Math.min(length, chunk.length - pos);
      into.set(chunk.subarray(pos, pos + n), offset);
      pos += n;
      return n;
    },
    close() {
      port1.close();
      void worker.terminate();
    },
  };
}
