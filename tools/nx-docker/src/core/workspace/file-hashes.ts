import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { sha256 } from '../content-key';
import { writeFileAtomic } from '../fs/write-file-atomic';

interface HashEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  hash: string;
}

/**
 * sha256 of the files Docker sends, reused while size, mtime and inode are unchanged, the way git's index
 * does. With a `path` the cache outlives the process (each nx command without the daemon is a fresh one,
 * and the debian-root tarball alone is tens of MB). An entry whose mtime is within `racyWindowMs` of the save
 * is not kept, since a write in the same clock tick could leave size and mtime alike ("racy git").
 */
// One read buffer for every file: without the Nx daemon, Nx copies a cached task's outputs back on every hit, so the
// generated contexts (about 130 MB here: models, the rootfs tarball) get new inodes and are hashed again on the next
// command. Reading them whole allocated a fresh buffer per file, which cost about as much as the hashing itself.
const readBuffer = Buffer.allocUnsafe(1 << 20);

/** The same digest as sha256(readFileSync(path)), read in chunks. */
function sha256OfFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (let length = readSync(fd, readBuffer); length > 0; length = readSync(fd, readBuffer)) hash.update(readBuffer.subarray(0, length));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export class FileHashes {
  private entries = new Map<string, HashEntry>();
  private isDirty = false;
  private static readonly racyWindowMs = 2000;

  constructor(private readonly path?: string) {
    if (!path) return;
    try {
      this.entries = new Map(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, HashEntry>));
    } catch {
      // No cache yet, or an unreadable one: every file is hashed again, which is only slower.
    }
  }

  hash(path: string): string {
    const stat = lstatSync(path);
    const cached = this.entries.get(path);
    if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs && cached.ino === stat.ino) return cached.hash;
    // Docker sends symlinks as links, so their target string is their content.
    const hash = stat.isSymbolicLink() ? sha256(`symlink:${readlinkSync(path)}`) : sha256OfFile(path);
    this.entries.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, hash });
    this.isDirty = true;
    return hash;
  }

  save(): void {
    if (!this.path || !this.isDirty) return;
    const settled = Date.now() - FileHashes.racyWindowMs;
    writeFileAtomic(this.path, JSON.stringify(Object.fromEntries([...this.entries].filter(([, entry]) => entry.mtimeMs < settled))));
    this.isDirty = false;
  }
}

