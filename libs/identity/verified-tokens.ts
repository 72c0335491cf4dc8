import type { UserRole } from '../core/index.js';

/** The claims the guard reads from an access token. */
export interface TokenClaims {
  sub: string;
  tid: string;
  role: UserRole;
  email: string;
  /** Token version at issue (absent in tokens from before versions: 0). */
  ver?: number;
  exp: number;
}

const MAX_ENTRIES = 20_000;

/**
 * Access tokens whose signature was already checked, with their claims. A client sends the same
 * token with every request until it expires; verifying the HMAC and parsing it again each time
 * was the largest per-request cost of authenticated reads (profiled on `GET /api/v1/me`). Only the
 * signature check is remembered: expiry is checked on every use, and revocation is the guard's
 * user-record check, which runs on every request as before.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, TokenClaims>();

  /** The token's claims if it was verified before and has not expired since. */
  get(token: string, nowMs: number): TokenClaims | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    if (claims.exp * 1000 <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  remember(token: string, claims: TokenClaims): void {
    // Bounded: a flood of distinct valid tokens only empties the memo, it never grows past this.
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(token, claims);
  }
}
