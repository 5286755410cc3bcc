/**
 * Local identity provider: accounts in the table, argon2id password hashes (@node-rs/argon2,
 * OWASP parameters: m = 19 MiB, t = 2, p = 1), RS256 access tokens signed with `jose` and shaped
 * like Cognito's (`sub`, `iss`, `token_use = "access"`, `client_id`, `scope`, `exp`, `iat`,
 * `jti`), valid for 15 minutes, and rotating refresh tokens stored as SHA-256 hashes.
 *
 * The RSA key pair is created under `DATA_DIR` on first run (`local-auth-key.json`, mode 0600).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';
import { AppError, ConflictError, UnauthorizedError } from '../../core/errors.js';
import {
  COGNITO_ADMIN_SCOPE,
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  LocalTokenVerifier,
} from '../../core/security.js';
import { keys } from '../../db/keys.js';
import { hasExpired } from '../../db/models.js';
import {
  ConditionFailedError,
  TransactionCanceledError,
  cond,
  queryAll,
  type Table,
} from '../../db/table.js';
import { epochSeconds, nowInstant, type Clock } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import type { IdentityProvider, TokenSet } from './provider.js';

/** Access-token lifetime: 15 minutes. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
/** Refresh-token lifetime: 30 days (Cognito's default). */
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 60 * 60;

const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** Reads the local signing key from `dataDir`, creating it on first run. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const file = join(dataDir, 'local-auth-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SigningKey;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const key: SigningKey = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' },
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  return key;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Password rules, the same as the Cognito user pool's: 8+ characters with lower, upper and digit. */
export function assertStrongPassword(password: string): void {
  const problems: string[] = [];
  if (password.length < 8) problems.push('at least 8 characters');
  if (!/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (!/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (!/[0-9]/.test(password)) problems.push('a digit');
  if (problems.length > 0) {
    throw new AppError('VALIDATION_ERROR', `Password must contain ${problems.join(', ')}`, [
      {
        loc: ['body', 'password'],
        msg: `Password must contain ${problems.join(', ')}`,
        type: 'weak_password',
      },
    ]);
  }
}

/** The local provider. Build it with {@link LocalIdentityProvider.create}. */
export class LocalIdentityProvider implements IdentityProvider {
  readonly mode = 'local' as const;
  readonly verifier: LocalTokenVerifier;
  private dummyHash: Promise<string> | null = null;

  private constructor(
    private readonly db: Table,
    private readonly clock: Clock,
    private readonly key: SigningKey,
  ) {
    this.verifier = new LocalTokenVerifier({ keys: [key.publicJwk] }, clock);
  }

  /** A provider storing accounts in `db`, signing with the key under `dataDir`. */
  static async create(db: Table, clock: Clock, dataDir: string): Promise<LocalIdentityProvider> {
    return new LocalIdentityProvider(db, clock, await loadOrCreateSigningKey(dataDir));
  }

  async signUp(email: string, password: string): Promise<{ userId: string; confirmed: boolean }> {
    assertStrongPassword(password);
    const userId = newId();
    const passwordHash = await hash(password, ARGON2);
    try {
      await this.db.put(
        {
          ...keys.localAccount(email),
          entityType: 'ACCOUNT',
          email,
          userId,
          passwordHash,
          createdAt: nowInstant(this.clock),
        },
        cond.notExists('pk'),
      );
    } catch (err) {
      if (err instanceof ConditionFailedError)
        throw new ConflictError('An account with this email already exists');
      throw err;
    }
    return { userId, confirmed: true };
  }

  async confirm(email: string): Promise<void> {
    // Local accounts are confirmed at sign-up; confirming an existing account is a no-op.
    if (!(await this.db.get(keys.localAccount(email))))
      throw new AppError('NOT_FOUND', 'No account with this email');
  }

  async logIn(email: string, password: string): Promise<TokenSet & { userId: string }> {
    const userId = await this.passwordOwner(email, password);
    if (!userId) throw new UnauthorizedError('Incorrect email or password');
    return { userId, ...(await this.issue(userId)) };
  }

  async passwordOwner(email: string, password: string): Promise<string | null> {
    const account = await this.db.get(keys.localAccount(email));
    // Verify against a dummy hash when the account is missing, so timing does not reveal it.
    this.dummyHash ??= hash(randomUUID(), ARGON2);
    const stored =
      typeof account?.passwordHash === 'string' ? account.passwordHash : await this.dummyHash;
    const valid = await verify(stored, password);
    return account && valid ? String(account.userId) : null;
  }

  async findUserId(email: string): Promise<string | null> {
    const account = await this.db.get(keys.localAccount(email));
    return account ? String(account.userId) : null;
  }

  async deleteAccount(userId: string, email: string | null): Promise<number> {
    if (!email) return 0;
    try {
      const deleted = await this.db.delete(keys.localAccount(email), cond.eq('userId', userId));
      return deleted ? 1 : 0;
    } catch (err) {
      if (err instanceof ConditionFailedError) return 0; // the email now names someone else
      throw err;
    }
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    const userId = refreshToken.split('.')[0] ?? '';
    const key = keys.refreshToken(userId, sha256(refreshToken));
    const stored = userId ? await this.db.get(key) : null;
    if (!stored || hasExpired(stored, epochSeconds(this.clock)))
      throw new UnauthorizedError('Invalid or expired refresh token');
    const next = this.newRefreshToken(userId);
    try {
      // Rotation: the old token is consumed in the same transaction that stores the new one.
      await this.db.transactWrite([
        { delete: key, condition: cond.exists('pk') },
        { put: next.item, condition: cond.notExists('pk') },
      ]);
    } catch (err) {
      if (err instanceof TransactionCanceledError)
        throw new UnauthorizedError('Invalid or expired refresh token');
      throw err;
    }
    return { ...(await this.accessToken(userId)), refreshToken: next.token };
  }

  async logOut(userId: string): Promise<void> {
    const tokens = await queryAll(this.db, {
      pk: keys.profile(userId).pk,
      sk: { beginsWith: keys.refreshTokenPrefix },
    });
    if (tokens.length > 0)
      await this.db.batchWrite({ delete: tokens.map(({ pk, sk }) => ({ pk, sk })) });
  }

  async emailOf(): Promise<string | null> {
    return null;
  }

  private async issue(userId: string): Promise<TokenSet> {
    const refresh = this.newRefreshToken(userId);
    await this.db.put(refresh.item);
    return { ...(await this.accessToken(userId)), refreshToken: refresh.token };
  }

  private newRefreshToken(userId: string) {
    const token = `${userId}.${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    return {
      token,
      item: {
        ...keys.refreshToken(userId, sha256(token)),
        entityType: 'REFRESH_TOKEN',
        userId,
        createdAt: nowInstant(this.clock),
        ttl: Math.floor(now.getTime() / 1000) + REFRESH_TOKEN_SECONDS,
      },
    };
  }

  private async accessToken(userId: string): Promise<Omit<TokenSet, 'refreshToken'>> {
    const privateKey = await importJWK(this.key.privateJwk, 'RS256');
    const iat = epochSeconds(this.clock);
    const accessToken = await new SignJWT({
      token_use: 'access',
      client_id: LOCAL_CLIENT_ID,
      scope: COGNITO_ADMIN_SCOPE,
      username: userId,
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.key.kid, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(LOCAL_ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACCESS_TOKEN_SECONDS)
      .setJti(randomUUID())
      .sign(privateKey);
    return { accessToken, expiresIn: ACCESS_TOKEN_SECONDS, tokenType: 'Bearer' };
  }
}
