/**
 * A spool for streamed JSON: numbers that are written only at the end wait in memory up to a
 * size, then in a temporary file (os.tmpdir()), as raw float64, so that memory does not grow with
 * the input. The file is unlinked as soon as it is open (it lives on through its descriptor and
 * vanishes when the process ends, even when killed); where that is refused (Windows), it is
 * removed on release.
 */
import { UsageError } from '../errors';
import type { NumberSpool } from '../render/stream';

/** Bytes read back from the file at a time. */
const READ_BYTES = 1 << 20;

let serial = 0;

/** A spool that keeps up to `memoryBytes` in memory, then moves to a temporary file in `directory` (default: os.tmpdir()). */
export function fileSpool(memoryBytes: number, directory?: string): NumberSpool {
  const fs = require('node:fs') as typeof import('node:fs');
  let pieces: Float64Array[] = [];
  let bytes = 0;
  let fd: number | undefined;
  let path: string | undefined;
  let size = 0;

  const toFile = (data: Float64Array): void => {
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (let at = 0; at < buffer.length; ) at += fs.writeSync(fd!, buffer, at, buffer.length - at, size + at);
    size += buffer.length;
  };

  const open = (): void => {
    const { join } = require('node:path') as typeof import('node:path');
    const dir = directory ?? (require('node:os') as typeof import('node:os')).tmpdir();
    path = join(dir, `actgrad-spool-${process.pid}-${serial++}-${Math.random().toString(36).slice(2)}`);
    try {
      fd = fs.openSync(path, 'wx+', 0o600);
    } catch (e) {
      throw new UsageError(`streamed json waits for its end in a temporary file, which cannot be made in ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'}); set TMPDIR to a writable directory`);
    }
    try {
      fs.unlinkSync(path);
      path = undefined;
    } catch {
      // Removed on release instead.
    }
  };

  return {
    append(data) {
      if (fd === undefined) {
        pieces.push(data);
        bytes += data.byteLength;
        if (bytes <= memoryBytes) return;
        open();
        for (const p of pieces) toFile(p);
        pieces = [];
        return;
      }
      toFile(data);
    },
    drain(onPiece) {
      if (fd === undefined) {
        for (const p of pieces) onPiece(p);
        return;
      }
      const piece = new Float64Array(READ_BYTES / 8);
      const view = Buffer.from(piece.buffer);
      for (let at = 0; at < size; ) {
        let got = 0;
        const want = Math.min(READ_BYTES, size - at);
        while (got < want) {
          const n = fs.readSync(fd, view, got, want - got, at + got);
          if (n === 0) throw new Error('the spool file ended early');
          got += n;
        }
        onPiece(piece.subarray(0, got / 8));
        at += got;
      }
    },
    release() {
      pieces = [];
      if (fd !== undefined) {
        fs.closeSync(fd);
        fd = undefined;
      }
      if (path !== undefined) {
        try {
          fs.unlinkSync(path);
        } catch {
          // Already gone.
        }
        path = undefined;
      }
    },
  };
}
