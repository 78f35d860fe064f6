/**
 * Reads standard input synchronously. fs.readFileSync(0) fails with EAGAIN when the pipe
 * was left non-blocking by the process writing into it (another Node program, as in
 * `actgrad softmax ... | actgrad log-softmax`): then wait a moment and read again.
 */
import { readSync } from 'node:fs';

export function readStdinSync(): string {
  const chunks: Buffer[] = [];
  readStdinChunks((b) => chunks.push(Buffer.from(b)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Standard input as text chunks of up to 1 MiB, each cut after a complete UTF-8 character.
 * `onIdle` after a chunk that did not fill the buffer: the writer has given no more for now (a
 * pipe fed line by line, `tail -f`), so what was read may be answered before the next read waits.
 */
export function readStdinText(onChunk: (text: string) => void, onIdle?: () => void): void {
  const { StringDecoder } = require('node:string_decoder') as typeof import('node:string_decoder');
  const decoder = new StringDecoder('utf8');
  readStdinChunks((b) => {
    onChunk(decoder.write(b));
    if (onIdle && b.length < STDIN_BUFFER) onIdle();
  });
  const rest = decoder.end();
  if (rest) onChunk(rest);
}

/** Bytes asked of each read. */
const STDIN_BUFFER = 1 << 20;

function readStdinChunks(onChunk: (b: Buffer) => void): void {
  const buffer = Buffer.alloc(STDIN_BUFFER);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, buffer.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 2); // sleep 2 ms without spinning
        continue;
      }
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    onChunk(buffer.subarray(0, n)); // a view: valid until the next read
  }
}
