/**
 * gzip-compressed captures, read as they are (docs/contract.md, "Capture formats"): recognised by
 * their first two bytes (1f 8b, RFC 1952 §2.3.1), whatever the file's name, and inflated as they
 * stream, member after member, by Node's zlib. zstd is not read: Node 20's zlib has no zstd.
 */
import { InputBrokeOffError, UnreadableCaptureError } from './record.js';

const isGzip = (chunk: Uint8Array): boolean => chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;

/** `chunks` as they are, or inflated when they start as gzip; inflating that fails is an InputBrokeOffError. */
export async function* gunzipIfGzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const source = chunks[Symbol.asyncIterator]();
  const first = await source.next();
  if (first.done) return;
  if (!isGzip(first.value)) {
    try {
      yield first.value;
      for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
    } finally {
      // Stopped early (return()): the source closes its file.
      await source.return?.();
    }
    return;
  }
  // zlib is loaded only for a gzip capture: most runs never need it (start-up, docs/performance.md).
  const { createGunzip } = await import('node:zlib');
  const gunzip = createGunzip();
  // Fed from another task: the source's chunks may be buffers it reuses, so zlib is given copies.
  const feed = async (): Promise<void> => {
    let chunk: Uint8Array | undefined = first.value;
    while (chunk !== undefined) {
      if (!gunzip.write(Buffer.from(chunk))) await new Promise((resolve) => gunzip.once('drain', resolve));
      const next = await source.next();
      chunk = next.done ? undefined : next.value;
    }
    gunzip.end();
  };
  feed().catch((err: unknown) => gunzip.destroy(err instanceof Error ? err : new Error(String(err))));
  try {
    for await (const out of gunzip) yield out as Buffer;
  } catch (err) {
    if (err instanceof UnreadableCaptureError) throw err;
    throw new InputBrokeOffError(`gzip data broke off: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    gunzip.destroy();
    void source.return?.()?.catch(() => undefined);
  }
}
