import type { Readable } from "node:stream";

/**
 * Reads an object-mode stream in flowing mode and yields what arrived in batches of up to about
 * `max`, pausing the stream while a batch waits. Iterating row by row instead lets the readable
 * buffer (16 objects) fill after every few rows, and papaparse answers each full buffer with a
 * pause and a resume that re-slices the rest of its chunk: quadratic, about 4 MB/s.
 */
export async function* batchesOf<T>(stream: Readable, max: number): AsyncGenerator<T[], void, undefined> {
  let batch: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  stream.on("data", (row: T) => {
    batch.push(row);
    if (batch.length >= max) {
      stream.pause();
      notify();
    }
  });
  stream.once("end", () => {
    ended = true;
    notify();
  });
  stream.once("error", (error) => {
    failure = { error };
    notify();
  });
  try {
    for (;;) {
      if (failure !== undefined) throw failure.error;
      if (batch.length > 0 && (batch.length >= max || ended)) {
        const full = batch;
        batch = [];
        stream.resume();
        yield full;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!ended) stream.destroy();
  }
}
