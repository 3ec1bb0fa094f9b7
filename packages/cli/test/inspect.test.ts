import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';

describe('switchboard inspect', () => {
  it('lists the tools of a server over stdio', async () => {
    const r = await runCli(['inspect', 'github', '--sandbox', '--toolsets', 'context,issues', '--read-only']);
    expect(r.code, r.stderr).toBe(0);
    const names = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[0]);
    expect(names.sort()).toEqual([
      'get_issue',
      'get_me',
      'get_more_output',
      'list_issues',
      'list_labels',
      'search_issues',
    ]);
    expect(r.stdout).toMatch(/^get_me\s+read\s+\S/m);
    expect(r.stderr).toContain('starting switchboard-github…');
  });

  it('calls one tool and prints its text result', async () => {
    const r = await runCli(['inspect', 'github', 'get_me', '{}', '--sandbox']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('octocat');
    expect(r.stderr).toContain('calling get_me…');
  });

  it('exits 1 with the error text on stderr when the tool result is an error', async () => {
    const r = await runCli(['inspect', 'github', 'get_issue', '{"owner":"octocat"}', '--sandbox']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Invalid arguments: .*repo/);
  });

  it('exits 2 on arguments that are not a JSON object, and on a missing server', async () => {
    const notJson = await runCli(['inspect', 'github', 'get_me', '{owner:1}']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('tool arguments must be a JSON object');
    const array = await runCli(['inspect', 'github', 'get_me', '[1]']);
    expect(array.code).toBe(2);
    expect((await runCli(['inspect'])).code).toBe(2);
  });
});
