import { expect, it } from 'vitest';
import { LocalTokens } from '#src/adapters/local/local-tokens.ts';

it('checks a token’s times on every use, also once its signature has been verified and remembered', async () => {
  const tokens = await LocalTokens.generate();
  const token = await tokens.sign({ sub: 'buyer-1', groups: ['buyers'], ttlSeconds: 60 });
  const now = Date.now();

  expect((await tokens.verify(token, new Date(now))).sub).toBe('buyer-1');
  await expect(tokens.verify(token, new Date(now + 61_000))).rejects.toThrow('the token has expired');
  expect((await tokens.verify(token, new Date(now + 1_000))).sub).toBe('buyer-1');
});

it('refuses a token altered after its original was verified, and one from another key', async () => {
  const tokens = await LocalTokens.generate();
  const token = await tokens.sign({ sub: 'buyer-1', groups: ['buyers'] });
  await tokens.verify(token);
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  const forged = [header, Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['criteria-editors'] })).toString('base64url'), signature].join('.');

  await expect(tokens.verify(forged)).rejects.toThrow();
  await expect((await LocalTokens.generate()).verify(token)).rejects.toThrow();
  expect((await tokens.verify(token))['cognito:groups']).toEqual(['buyers']);
});
