import { SwitchboardError } from '@switchboard-mcp/core';
import { describe, expect, it } from 'vitest';
import { atlassianAuth, atlassianCredentials } from '../src/auth.ts';

function authError(fn: () => unknown): SwitchboardError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as SwitchboardError).kind).toBe('auth');
    return error as SwitchboardError;
  }
  throw new Error('expected an auth error');
}

describe('atlassianCredentials', () => {
  it('names product variables with ATLASSIAN_* fallbacks and requires none on its own', () => {
    const specs = atlassianCredentials('CONFLUENCE');
    expect(specs.url.env).toBe('CONFLUENCE_URL');
    expect(specs.url.aliases).toEqual(['ATLASSIAN_URL']);
    expect(specs.apiToken).toMatchObject({ kind: 'secret', env: 'CONFLUENCE_API_TOKEN', required: false });
    expect(specs.pat.aliases).toContain('ATLASSIAN_PAT');
    expect(specs.email.kind).toBe('setting');
  });
});

describe('atlassianAuth', () => {
  it('Cloud: email + API token is Basic', () => {
    const auth = atlassianAuth({ url: 'https://acme.atlassian.net/', email: 'a@b.c', apiToken: 'tok' }, 'JIRA');
    expect(auth).toEqual({
      kind: 'basic',
      header: `Basic ${Buffer.from('a@b.c:tok').toString('base64')}`,
      deployment: 'cloud',
      baseUrl: 'https://acme.atlassian.net',
    });
  });

  it('Data Center: a PAT is Bearer on a self-hosted URL, keeping its context path', () => {
    const auth = atlassianAuth({ url: 'https://jira.corp.example/jira', pat: 'pat' }, 'JIRA');
    expect(auth).toMatchObject({ kind: 'bearer', header: 'Bearer pat', deployment: 'datacenter' });
    expect(auth.baseUrl).toBe('https://jira.corp.example/jira');
  });

  it('OAuth 2.0: a bearer through the API gateway with the cloud id', () => {
    const auth = atlassianAuth({ oauthToken: 'oa', cloudId: 'c-1' }, 'CONFLUENCE');
    expect(auth).toMatchObject({
      kind: 'bearer',
      deployment: 'cloud',
      baseUrl: 'https://api.atlassian.com/ex/confluence/c-1',
    });
  });

  it('an explicit deployment wins over inference', () => {
    expect(
      atlassianAuth({ url: 'http://127.0.0.1:9', email: 'a', apiToken: 't', deployment: 'datacenter' }).deployment,
    ).toBe('datacenter');
  });

  it('incomplete combinations name the missing variable', () => {
    expect(authError(() => atlassianAuth({ url: 'https://x.atlassian.net', apiToken: 't' }, 'JIRA')).message).toContain(
      'JIRA_EMAIL',
    );
    expect(authError(() => atlassianAuth({ email: 'a', apiToken: 't' }, 'CONFLUENCE')).message).toContain(
      'CONFLUENCE_URL',
    );
    expect(authError(() => atlassianAuth({ oauthToken: 'o' }, 'JIRA')).message).toContain('JIRA_CLOUD_ID');
    expect(authError(() => atlassianAuth({ url: 'https://x.atlassian.net' }, 'JIRA')).details.hint).toContain(
      'JIRA_PAT',
    );
    expect(authError(() => atlassianAuth({ url: 'not a url', pat: 'p' }, 'JIRA')).message).toContain('not a URL');
    expect(
      authError(() => atlassianAuth({ url: 'https://x', pat: 'p', deployment: 'moon' }, 'JIRA')).message,
    ).toContain('JIRA_DEPLOYMENT');
  });

  it('never puts the secret in an error', () => {
    const e = authError(() => atlassianAuth({ url: 'https://x.atlassian.net', apiToken: 'SECRET-123' }, 'JIRA'));
    expect(e.message + (e.details.hint ?? '')).not.toContain('SECRET-123');
  });
});
