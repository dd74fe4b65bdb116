import { ObjectId, type Collection, type Db, type IndexDescription } from 'mongodb';
import type { Principal, Role } from '@posestack/api-contracts';
import { API_TOKEN_PREFIX, SESSION_PREFIX, generateSecret, hashSecret } from './secrets';

export interface UserDocument {
  _id: ObjectId;
  username: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
}

/** API tokens and login sessions: only the SHA-256 of the secret is stored, looked up by that hash. */
export interface CredentialDocument {
  _id: ObjectId;
  kind: 'token' | 'session';
  hash: string;
  /** Token name (`ci`), or the user's name for a session. */
  name: string;
  role: Role;
  createdAt: Date;
  /** Sessions only; tokens live until revoked. */
  expiresAt?: Date;
  userId?: ObjectId;
}

export interface TokenSummary {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
}

async function createMissingIndexes(collection: Collection<UserDocument> | Collection<CredentialDocument>, specs: IndexDescription[]): Promise<void> {
  // listIndexes fails for a collection that does not exist yet: then every index is missing.
  const existing = new Set((await collection.listIndexes().toArray().catch(() => [])).map((index) => index.name as string));
  const missing = specs.filter((spec) => !existing.has(spec.name ?? ''));
  if (missing.length > 0) await collection.createIndexes(missing);
}

const toSummary = (doc: CredentialDocument): TokenSummary => ({ id: doc._id.toHexString(), name: doc.name, role: doc.role, createdAt: doc.createdAt });

/**
 * Every MongoDB query on users and credentials. Nothing is cached: a revoked token or a deleted user fails
 * on the very next request.
 */
export class CredentialsRepository {
  readonly users: Collection<UserDocument>;
  readonly credentials: Collection<CredentialDocument>;

  constructor(db: Db) {
    this.users = db.collection<UserDocument>('users');
    this.credentials = db.collection<CredentialDocument>('credentials');
  }

  /**
   * Creates the missing indexes only: FerretDB 1.24 drops the connection (a panic in its SQLite backend) when a
   * unique index that exists is created again, and both the API and every CLI call run this.
   */
  async ensureIndexes(): Promise<void> {
    await createMissingIndexes(this.users, [{ key: { username: 1 }, name: 'username_unique', unique: true }]);
    await createMissingIndexes(this.credentials, [
      { key: { hash: 1 }, name: 'hash_unique', unique: true },
      { key: { kind: 1, name: 1 }, name: 'kind_name' },
    ]);
  }

  /** The principal a bearer secret stands for, or undefined when it is unknown, revoked or expired. */
  async authenticate(secret: string, now = new Date()): Promise<Principal | undefined> {
    const doc = await this.credentials.findOne({ hash: hashSecret(secret) });
    if (!doc || (doc.expiresAt && doc.expiresAt <= now)) return undefined;
    return { kind: doc.kind, name: doc.name, role: doc.role };
  }

  /** Returns the secret: the only time it exists outside the caller's hands. */
  async createToken(name: string, role: Role): Promise<{ token: string; summary: TokenSummary }> {
    const token = generateSecret(API_TOKEN_PREFIX);
    const doc: CredentialDocument = { _id: new ObjectId(), kind: 'token', hash: hashSecret(token), name, role, createdAt: new Date() };
    await this.credentials.insertOne(doc);
    return { token, summary: toSummary(doc) };
  }

  async listTokens(): Promise<TokenSummary[]> {
    const docs = await this.credentials.find({ kind: 'token' }).sort({ createdAt: 1, _id: 1 }).toArray();
    return docs.map(toSummary);
  }

  /** By id, or by name (every token of that name); the number revoked. */
  async revokeTokens(idOrName: string): Promise<number> {
    const filter = ObjectId.isValid(idOrName) && idOrName.length === 24 ? { kind: 'token' as const, _id: new ObjectId(idOrName) } : { kind: 'token' as const, name: idOrName };
    return (await this.credentials.deleteMany(filter)).deletedCount;
  }

  async createUser(username: string, passwordHash: string, role: Role): Promise<void> {
    await this.users.insertOne({ _id: new ObjectId(), username, passwordHash, role, createdAt: new Date() });
  }

  findUser(username: string): Promise<UserDocument | null> {
    return this.users.findOne({ username });
  }

  listUsers(): Promise<UserDocument[]> {
    return this.users.find({}, { projection: { passwordHash: 0 } }).sort({ username: 1 }).toArray();
  }

  /** Changing a password or a role ends the user's sessions, so the change holds at once. */
  async updateUser(username: string, change: { passwordHash?: string; role?: Role }): Promise<boolean> {
    const user = await this.users.findOneAndUpdate({ username }, { $set: change });
    if (!user) return false;
    await this.credentials.deleteMany({ kind: 'session', userId: user._id });
    return true;
  }

  async deleteUser(username: string): Promise<boolean> {
    const user = await this.users.findOneAndDelete({ username });
    if (!user) return false;
    await this.credentials.deleteMany({ kind: 'session', userId: user._id });
    return true;
  }

  async createSession(user: UserDocument, ttlMs: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const token = generateSecret(SESSION_PREFIX);
    const expiresAt = new Date(now.getTime() + ttlMs);
    // Expired sessions are swept here rather than by a TTL index, which FerretDB's SQLite backend lacks.
    await this.credentials.deleteMany({ kind: 'session', expiresAt: { $lte: now } });
    await this.credentials.insertOne({
      _id: new ObjectId(),
      kind: 'session',
      hash: hashSecret(token),
      name: user.username,
      role: user.role,
      createdAt: now,
      expiresAt,
      userId: user._id,
    });
    return { token, expiresAt };
  }

  async deleteSession(secret: string): Promise<void> {
    await this.credentials.deleteOne({ kind: 'session', hash: hashSecret(secret) });
  }
}
