import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Nx task hashes are decimal; anything path-safe and bounded is accepted so a future format still fits. */
export const HASH_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export class SizeMismatchError extends Error {
  override readonly name = 'SizeMismatchError';
}

export interface StoredEntry {
  readonly size: number;
  readonly body: Readable;
}

/**
 * One file per hash under `<dir>/entries/<first two characters>/`. An upload is written to `<dir>/incoming/`
 * first and published with link(2), which fails when the entry exists: a reader never sees a partial file, and
 * of two concurrent uploads of one hash exactly one wins while the other is told it already exists, so an
 * entry is never overwritten (the spec's 409; it also keeps a poisoned upload from replacing a good one).
 */
export class CacheStore {
  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<CacheStore> {
    await mkdir(join(dir, 'entries'), { recursive: true });
    // Left by a server that died mid-upload; nothing refers to them.
    await rm(join(dir, 'incoming'), { recursive: true, force: true });
    await mkdir(join(dir, 'incoming'), { recursive: true });
    return new CacheStore(dir);
  }

  private entryPath(hash: string): string {
    if (!HASH_PATTERN.test(hash)) throw new Error(`not a cache hash: ${JSON.stringify(hash)}`);
    return join(this.dir, 'entries', hash.slice(0, 2), hash);
  }

  async read(hash: string): Promise<StoredEntry | undefined> {
    let handle;
    try {
      handle = await open(this.entryPath(hash), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const { size } = await handle.stat();
    // The stream owns the handle from here: it closes it at the end or when destroyed.
    return { size, body: handle.createReadStream() };
  }

  async has(hash: string): Promise<boolean> {
    try {
      await stat(this.entryPath(hash));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** 'exists' when the hash was already stored (the body is then not kept). */
  async write(hash: string, body: Readable, expectedBytes: number): Promise<'stored' | 'exists'> {
    const target = this.entryPath(hash);
    const incoming = join(this.dir, 'incoming', `${hash}.${randomUUID()}`);
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > expectedBytes ? new SizeMismatchError(`the body is larger than its Content-Length (${expectedBytes} bytes)`) : null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(incoming, { flags: 'wx', flush: true }));
      if (received !== expectedBytes) {
        throw new SizeMismatchError(`received ${received} bytes, Content-Length said ${expectedBytes}`);
      }
      await mkdir(join(target, '..'), { recursive: true });
      await link(incoming, target);
      return 'stored';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
      throw error;
    } finally {
      await unlink(incoming).catch(() => undefined);
    }
  }

  /** Files waiting in incoming/ (0 once every upload has ended, whatever its outcome). */
  async pendingUploads(): Promise<number> {
    return (await readdir(join(this.dir, 'incoming'))).length;
  }
}
