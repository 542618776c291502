import { TEST_PASSWORD } from '@frontdesk/db/testing';

export { makeBranch, TEST_PASSWORD, type TestBranch } from '@frontdesk/db/testing';

export async function login(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
