// Guest access tokens: real signed JWTs (HS256, a key made per process) whose expiry cannot be extended.
import { randomBytes, randomUUID } from 'node:crypto'
import { errors, jwtVerify, SignJWT } from 'jose'
import { ApiError } from './errors.js'
import { GUEST_SUBJECT_PREFIX, MESSAGE } from './protocol.js'

const ALGORITHM = 'HS256'
const KEY_BYTES = 32
const ISSUER = 'liveagent-mock/scrt'

export interface TokenClaims {
  sub: string
  orgId: string
  esDeveloperName: string
  /** Each token, continuation ones included, is a new client of the same identity. */
  clientId: string
  /** Seconds since the epoch. */
  exp: number
}

export type TokenProblem = 'missing' | 'invalid' | 'expired'

/** A refused token; `problem` lets REST and SSE word it as Salesforce does. */
export class TokenError extends ApiError {
  constructor(readonly problem: TokenProblem) {
    super(
      401,
      problem === 'expired' ? MESSAGE.jwtExpired : problem === 'missing' ? MESSAGE.missingToken : MESSAGE.invalidToken
    )
  }
}

export class TokenAuthority {
  private readonly key = new Uint8Array(randomBytes(KEY_BYTES))
  /** Identities whose tokens an admin expired before their time. */
  private readonly expiredSubjects = new Set<string>()

  constructor(private readonly ttlSeconds: number) {}

  /** A new guest identity. */
  issue(orgId: string, esDeveloperName: string): Promise<{ token: string; claims: TokenClaims }> {
    const claims: TokenClaims = {
      sub: `${GUEST_SUBJECT_PREFIX}${randomUUID()}`,
      orgId,
      esDeveloperName,
      clientId: randomUUID(),
      exp: Math.floor(Date.now() / 1000) + this.ttlSeconds,
    }
    return this.sign(claims)
  }

  /** Same identity and the same expiry: a continuation token never extends the session. */
  continueFrom(claims: TokenClaims): Promise<{ token: string; claims: TokenClaims }> {
    return this.sign({ ...claims, clientId: randomUUID() })
  }

  async verify(authorization: string | undefined): Promise<TokenClaims> {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '')
    if (!match) throw new TokenError('missing')
    let payload
    try {
      ;({ payload } = await jwtVerify(match[1]!, this.key, { issuer: ISSUER, algorithms: [ALGORITHM] }))
    } catch (error) {
      throw new TokenError(error instanceof errors.JWTExpired ? 'expired' : 'invalid')
    }
    const claims = payload as unknown as TokenClaims
    if (this.expiredSubjects.has(claims.sub)) throw new TokenError('expired')
    return claims
  }

  /** Every token of this identity answers as expired from now on. */
  expire(subject: string): void {
    this.expiredSubjects.add(subject)
  }

  isExpired(claims: TokenClaims): boolean {
    return this.expiredSubjects.has(claims.sub) || claims.exp * 1000 <= Date.now()
  }

  reset(): void {
    this.expiredSubjects.clear()
  }

  private async sign(claims: TokenClaims): Promise<{ token: string; claims: TokenClaims }> {
    const { exp, ...rest } = claims
    const token = await new SignJWT({ ...rest, apiVersion: 'v2' })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(exp)
      .sign(this.key)
    return { token, claims }
  }
}
