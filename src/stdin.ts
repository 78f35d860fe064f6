/**
 * Reads all of standard input synchronously. fs.readFileSync(0) fails with EAGAIN when the pipe
 * was left non-blocking by the process writing into it (another Node program, as in
 * `actgrad softmax ... | actgrad log-softmax`): then wait a moment and read again.
 */
import { readSync } from 'node:fs';

export function readStdinSync(): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(1 << 16);
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
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}
