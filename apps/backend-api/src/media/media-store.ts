import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import type { Readable } from 'node:stream';

/*
 * Why GridFS rather than a volume: the media and its analysis live and die together in one store, so a backup,
 * a second API replica or a compose restart never sees an analysis without its file (or a file without its
 * analysis); deleting is one place. Range reads (video seeking) are native: openDownloadStream({start, end}).
 * The cost (255 KiB binary chunks in one more collection) is nothing at uploads capped at tens of MiB.
 */
export class MediaStore {
  private readonly bucket: GridFSBucket;

  constructor(db: Db) {
    this.bucket = new GridFSBucket(db, { bucketName: 'media' });
  }

  async put(data: Buffer, filename: string, contentType: string): Promise<ObjectId> {
    const upload = this.bucket.openUploadStream(filename, { metadata: { contentType } });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(data);
    });
    return upload.id;
  }

  /** Byte length, or undefined when the file is gone. */
  async sizeOf(fileId: ObjectId): Promise<number | undefined> {
    const [file] = await this.bucket.find({ _id: fileId }).limit(1).toArray();
    return file?.length;
  }

  /** `end` is exclusive here (GridFS), unlike HTTP ranges. */
  open(fileId: ObjectId, range?: { start: number; end: number }): Readable {
    return this.bucket.openDownloadStream(fileId, range);
  }

  async read(fileId: ObjectId): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket.openDownloadStream(fileId)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Deleting a file that is already gone is not an error: DELETE must be repeatable after a partial failure. */
  async remove(fileId: ObjectId): Promise<void> {
    try {
      await this.bucket.delete(fileId);
    } catch (error) {
      if (!/File not found/i.test((error as Error).message)) throw error;
    }
  }
}

