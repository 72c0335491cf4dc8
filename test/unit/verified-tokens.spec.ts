import { JwtService } from '@nestjs/jwt';
import { VerifiedTokens, type TokenClaims } from '../../libs/identity/verified-tokens.js';
import { Api, makeTenant, startTestApp, type TestApp } from '../support/test-app.js';

const claims = (exp: number): TokenClaims => ({ sub: 'u', tid: 't', role: 'viewer', email: 'v@example.com', exp });

describe('VerifiedTokens (the guard’s memo of checked signatures)', () => {
  it('returns remembered claims only until the token expires', () => {
    const memo = new VerifiedTokens();
    memo.remember('tok', claims(100));
    expect(memo.get('tok', 99_999)).toEqual(claims(100));
    expect(memo.get('tok', 100_000)).toBeUndefined();
    expect(memo.get('tok', 0)).toBeUndefined(); // dropped once seen expired
    expect(memo.get('other', 0)).toBeUndefined();
  });

  it('stays bounded under many distinct tokens', () => {
    const memo = new VerifiedTokens();
    for (let i = 0; i < 50_000; i++) memo.remember(`t${i}`, claims(1e10));
    expect(memo.get('t49999', 0)).toBeDefined();
    expect(memo.get('t0', 0)).toBeUndefined();
  });
});

describe('an access token that was accepted before', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('is refused once it expires, although its signature was remembered', async () => {
    app = await startTestApp();
    const api = new Api(app.url);
    const tenant = await makeTenant(api, 0);
    const me = await api.get('/api/v1/me', tenant.viewerToken);
    expect(me.status).toBe(200);
    // Same user and secret, expiring in two seconds.
    const jwt = new JwtService({ secret: 'test-jwt-secret-0123456789-0123456789' });
    const payload = JSON.parse(Buffer.from(tenant.viewerToken.split('.')[1], 'base64url').toString());
    const short = await jwt.signAsync({ ...payload, exp: Math.floor(Date.now() / 1000) + 2 }, { algorithm: 'HS256' });
    expect((await api.get('/api/v1/me', short)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    const late = await api.get('/api/v1/me', short);
    expect(late.status).toBe(401);
    expect(late.body.message).toMatch(/invalid or expired/);
  });
});
