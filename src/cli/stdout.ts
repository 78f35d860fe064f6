/**
 * Writing to stdout and stderr with fs.writeSync: no stream objects to set up at start-up, output
 * in order, and nothing lost when the process ends. A non-blocking pipe (EAGAIN) is waited on; a
 * reader that has gone away (EPIPE: `actgrad ... | head -1`) ends the run quietly.
 */
import { writeSync } from 'node:fs';

let pause: Int32Array | undefined;

export function writeAll(fd: number, text: string | Uint8Array): void {
  let buffer = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  while (buffer.length > 0) {
    let written: number;
    try {
      written = writeSync(fd, buffer);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        pause ??= new Int32Array(new SharedArrayBuffer(4));
        Atomics.wait(pause, 0, 0, 1); // the reader is slow: wait, then write the rest
        continue;
      }
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    }
    buffer = buffer.subarray(written);
  }
}
