import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import cognitoLocalKey from 'cognito-local/lib/keys/cognitoLocal.private.json';
import { ACCESS_TOKEN_SCOPE } from '@contract/auth';
import { MESSAGES, readState, startLocalStack, type LocalStack } from '@test/local-stack';
import { scenario } from '@test/scenario';

/*
 * Token attacks against the local API's authorizer (the same checks the REST API's Cognito authorizer makes).
 * Tokens are forged with jose. Most are signed with cognito-local's OWN key (it ships with the package), so
 * the signature is valid and only the claim checks stand between the forgery and the handler; a control
 * case proves such a forgery with the right claims does get through, so every refusal below is meaningful.
 */
jest.setTimeout(120_000);

let stack: LocalStack;
let world: ReturnType<typeof scenario>;
let issuer: string;
let clientId: string;
let victim: { sub: string; username: string; token: string };

const poolKey = () => importJWK(cognitoLocalKey.jwk as JWK, 'RS256');
const now = () => Math.floor(Date.now() / 1000);

/** The claims cognito-local puts in an access token of our client, for the victim. */
const accessClaims = (): JWTPayload => ({
  sub: victim.sub,
  username: victim.username,
  client_id: clientId,
  token_use: 'access',
  scope: ACCESS_TOKEN_SCOPE,
  'cognito:groups': ['CUSTOMER'],
  auth_time: now(),
  jti: `forged-${Math.random()}`,
});

const sign = async (
  claims: JWTPayload,
  { iss = issuer, iat = now(), exp = now() + 600 }: { iss?: string; iat?: number; exp?: number } = {},
  key?: Parameters<SignJWT['sign']>[0],
  alg = 'RS256',
) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg, kid: 'CognitoLocal', typ: 'JWT' })
    .setIssuer(iss)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key ?? (await poolKey()));

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const profile = (token: string) => world.api('GET', '/api/profile/', { token });

beforeAll(async () => {
  stack = await startLocalStack();
  world = scenario(stack);
  const state = await readState(stack.dataDir);
  const resources = state?.resources;
  const cognito = state?.running?.endpoints.cognito;
  if (!resources || !cognito) throw new Error('state.json names no running stack');
  issuer = `${cognito}/${resources.userPoolId}`;
  clientId = resources.userPoolClientId;
  const customer = await world.customer();
  const claims = decodeJwt(customer.token);
  victim = { sub: String(claims.sub), username: String(claims.username), token: customer.token };
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('control: the forging is right', () => {
  it('a real access token reads the profile', async () => {
    expect((await profile(victim.token)).status).toBe(200);
  });

  it('a forgery with the right key and every right claim gets through (so the refusals below are the checks)', async () => {
    const forged = await sign(accessClaims());
    expect(decodeProtectedHeader(victim.token).kid).toBe('CognitoLocal');
    expect((await profile(forged)).status).toBe(200);
  });
});

describe('every forged or misused token is refused with 401 in the seed shape', () => {
  const otherKey = () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return privateKey;
  };

  const cases: [string, () => Promise<string>][] = [
    [
      'an expired token (valid signature)',
      () => sign(accessClaims(), { iat: now() - 7200, exp: now() - 60 }),
    ],
    ['a token not yet valid (nbf in the future)', () => sign({ ...accessClaims(), nbf: now() + 3600 })],
    [
      'a token signed with another RSA key under the pool key id',
      async () => {
        const key = otherKey();
        return new SignJWT(accessClaims())
          .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
          .setIssuer(issuer)
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(key);
      },
    ],
    [
      'a real token whose payload was swapped (signature of another payload)',
      async () => {
        const [header, , signature] = victim.token.split('.');
        const payload = b64({ ...decodeJwt(victim.token), 'cognito:groups': ['BANK_ADMIN'] });
        return `${header}.${payload}.${signature}`;
      },
    ],
    [
      'alg "none" (unsigned)',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...accessClaims(), iss: issuer, exp: now() + 600 })}.`,
    ],
    [
      'alg "none" with a signature segment kept',
      async () => {
        const [, , signature] = victim.token.split('.');
        return `${b64({ alg: 'none', kid: 'CognitoLocal' })}.${b64({ ...accessClaims(), iss: issuer, exp: now() + 600 })}.${signature}`;
      },
    ],
    [
      'HS256 keyed with the public key (algorithm confusion)',
      async () => {
        const publicJwk = { kty: 'RSA', n: cognitoLocalKey.jwk.n, e: cognitoLocalKey.jwk.e };
        return sign(accessClaims(), {}, new TextEncoder().encode(JSON.stringify(publicJwk)), 'HS256');
      },
    ],
    ['a wrong issuer (another pool)', () => sign(accessClaims(), { iss: `${issuer}x` })],
    [
      'a wrong issuer host (same pool id elsewhere)',
      () => sign(accessClaims(), { iss: issuer.replace('127.0.0.1', 'cognito.attacker.example') }),
    ],
    [
      "another app client's access token (wrong audience)",
      () => sign({ ...accessClaims(), client_id: 'attacker' }),
    ],
    ['an access token without the API scope', () => sign({ ...accessClaims(), scope: 'openid' })],
    [
      'an ID token used as an access token (forged)',
      () => sign({ ...accessClaims(), token_use: 'id', aud: clientId, client_id: undefined }),
    ],
    ['a token without a subject', () => sign({ ...accessClaims(), sub: undefined })],
  ];

  it.each(cases)('%s', async (_name, forge) => {
    const response = await profile(await forge());
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: MESSAGES.invalidToken });
  });

  it('a real refresh token from login is no access token', async () => {
    const customer = await world.customer();
    const signIn = await world.api('POST', '/api/auth/login/', {
      body: { username: customer.body.username, password: customer.body.password },
    });
    expect(signIn.status).toBe(200);

    const asBearer = await profile(String(signIn.body.refresh));
    expect(asBearer.status).toBe(401);
    expect(asBearer.body).toEqual({ error: MESSAGES.invalidToken });
  });

  it('a refresh token of a logged-out session is refused by refresh (401)', async () => {
    const customer = await world.customer();
    const signIn = await world.api('POST', '/api/auth/login/', {
      body: { username: customer.body.username, password: customer.body.password },
    });
    const refresh = String(signIn.body.refresh);
    expect((await world.api('POST', '/api/auth/refresh/', { body: { refresh } })).status).toBe(200);

    expect((await world.api('POST', '/api/auth/logout/', { body: { refresh } })).status).toBe(200);

    const refreshed = await world.api('POST', '/api/auth/refresh/', { body: { refresh } });
    expect(refreshed.status).toBe(401);
    expect(refreshed.body).toEqual({ error: 'Token is invalid or expired' });
  });

  it('a forged refresh token (valid signature, never issued) is refused by refresh', async () => {
    const forged = await sign({ 'cognito:username': victim.sub, jti: 'never-issued' });
    const refreshed = await world.api('POST', '/api/auth/refresh/', { body: { refresh: forged } });
    expect(refreshed.status).toBe(401);
    expect(refreshed.body).toEqual({ error: 'Token is invalid or expired' });
  });
});
