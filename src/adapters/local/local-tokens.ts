import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** Issuer and audience of local tokens; a token from elsewhere is refused. */
export const LOCAL_ISSUER = 'urn:cahier:local';
export const LOCAL_AUDIENCE = 'cahier-api';
const ALGORITHM = 'ES256';

export interface TokenSubject {
  sub: string;
  /** Cognito groups: `buyers`, `criteria-editors`. */
  groups: string[];
  ttlSeconds?: number;
}

/**
 * Plays the Cognito user pool on a laptop: signs tokens with a local ES256 key and verifies them
 * the way the HTTP API JWT authorizer does (signature, issuer, audience, expiry), so the handlers
 * receive the same claims in both places.
 */
export class LocalTokens {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
  ) {}

  /** A key that lives as long as the process (tests). */
  static async generate(): Promise<LocalTokens> {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    return new LocalTokens(privateKey, publicKey);
  }

  /**
   * The key stored in `file` (a private JWK, readable by its owner only), created on first use,
   * so that tokens printed at one start stay valid after a restart.
   */
  static async loadOrCreate(file: string): Promise<LocalTokens> {
    let jwk: JWK;
    try {
      jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
      jwk = await exportJWK(privateKey);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify({ ...jwk, alg: ALGORITHM })}\n`, { mode: 0o600, flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
        // Another process created it meanwhile: use theirs.
        if (e.code !== 'EEXIST') throw e;
        jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
      });
      await chmod(file, 0o600);
    }
    const { d: _secret, ...publicJwk } = jwk;
    return new LocalTokens(
      (await importJWK(jwk, ALGORITHM)) as CryptoKey,
      (await importJWK(publicJwk, ALGORITHM)) as CryptoKey,
    );
  }

  async sign(subject: TokenSubject): Promise<string> {
    return new SignJWT({ 'cognito:groups': subject.groups, token_use: 'access' })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(subject.sub)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${subject.ttlSeconds ?? 12 * 3600}s`)
      .sign(this.privateKey);
  }

  /** The verified payload; throws on a bad signature, issuer, audience or an expired token. */
  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALGORITHM],
    });
    return payload;
  }
}

/**
 * Claims as API Gateway hands them to a Lambda: every value a string, arrays flattened to
 * "[a b]". Feeding the handlers this form locally keeps the claim parsing tested on what AWS sends.
 */
export function toGatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value) ? `[${value.map(String).join(' ')}]` : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value),
    ]),
  );
}
