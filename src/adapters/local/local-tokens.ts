import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GROUP_NAME, MAX_TOKEN_LIFETIME_SECONDS, tokenTimeProblem } from '#src/adapters/http/auth.ts';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** Issuer and audience of local tokens; a token from elsewhere is refused. */
export const LOCAL_ISSUER = 'urn:cahier:local';
export const LOCAL_AUDIENCE = 'cahier-api';
const ALGORITHM = 'ES256';
/** How many verified tokens LocalTokens remembers (a few kilobytes each at most: tokens are short). */
const VERIFIED_CAPACITY = 256;

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
  /**
   * Payloads whose signature, issuer, audience and groups were verified, by token: a token's text
   * fixes them, so a client sending the same token request after request (every page of the web
   * app) pays the ECDSA check once. The time checks depend on the moment and run on every use.
   * Oldest first; at most VERIFIED_CAPACITY tokens.
   */
  private readonly verified = new Map<string, JWTPayload>();

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
   * The key a running local stack created in `file`; throws when there is none, rather than
   * making a new key whose tokens that stack would refuse.
   */
  static async load(file: string): Promise<LocalTokens> {
    const jwk = await readJwk(file);
    if (!jwk) throw new Error(`no local signing key at ${file}: start the local stack (npm start) with the same DATA_DIR first`);
    return LocalTokens.fromJwk(jwk);
  }

  /**
   * The key stored in `file` (a private JWK, readable by its owner only), created on first use,
   * so that tokens printed at one start stay valid after a restart.
   */
  static async loadOrCreate(file: string): Promise<LocalTokens> {
    let jwk = await readJwk(file);
    if (!jwk) {
      const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
      let created = await exportJWK(privateKey);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify({ ...created, alg: ALGORITHM })}\n`, { mode: 0o600, flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
        // Another process created it meanwhile: use theirs.
        if (e.code !== 'EEXIST') throw e;
        created = (await readJwk(file))!;
      });
      await chmod(file, 0o600);
      jwk = created;
    }
    return LocalTokens.fromJwk(jwk);
  }

  private static async fromJwk(jwk: JWK): Promise<LocalTokens> {
    const { d: _secret, ...publicJwk } = jwk;
    return new LocalTokens((await importJWK(jwk, ALGORITHM)) as CryptoKey, (await importJWK(publicJwk, ALGORITHM)) as CryptoKey);
  }

  async sign(subject: TokenSubject): Promise<string> {
    const ttl = subject.ttlSeconds ?? 12 * 3600;
    // A negative lifetime makes an expired token (tests); no token may outlive the API's maximum.
    if (!Number.isInteger(ttl) || ttl > MAX_TOKEN_LIFETIME_SECONDS) throw new RangeError(`tokens live at most ${MAX_TOKEN_LIFETIME_SECONDS} seconds, not ${ttl}`);
    const invalid = subject.groups.find((g) => !GROUP_NAME.test(g));
    if (invalid !== undefined) throw new RangeError(`"${invalid}" is not a name Cognito allows for a group (no white space)`);
    return new SignJWT({ 'cognito:groups': subject.groups, token_use: 'access' })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(subject.sub)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(this.privateKey);
  }

  /**
   * The verified payload; throws on a bad signature, issuer or audience, on the time checks every
   * handler applies (exp required and future, iat required, at most MAX_TOKEN_LIFETIME_SECONDS
   * between them, nbf not to come) and on groups Cognito could not have issued.
   */
  async verify(token: string, now: Date = new Date()): Promise<JWTPayload> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      const problem = tokenTimeProblem(known, now.getTime() / 1000);
      if (problem) throw new Error(problem);
      return known;
    }
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALGORITHM],
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: now,
    });
    const problem = tokenTimeProblem(payload, now.getTime() / 1000);
    if (problem) throw new Error(problem);
    const groups = payload['cognito:groups'];
    if (groups !== undefined && !(Array.isArray(groups) && groups.every((g) => typeof g === 'string' && GROUP_NAME.test(g)))) {
      throw new Error('cognito:groups must be an array of group names');
    }
    if (this.verified.size >= VERIFIED_CAPACITY) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, Object.freeze(payload));
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

/** The JWK stored in `file`, or undefined when there is no such file. */
async function readJwk(file: string): Promise<JWK | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
