/**
 * The cross-server harness itself: every server in servers.json starts against its sandbox behind the relay,
 * lists its tools and answers a read through the relay, and the trap proxy sees nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTargets, type Started, startTarget, type Target } from './lib/targets.ts';

const targets = await loadTargets();

describe.each(targets.map((t) => [t.entry.name, t] as [string, Target]))('%s', (_name, target) => {
  let sut: Started;
  beforeAll(async () => {
    sut = await startTarget(target, { transport: 'stdio' });
  });
  afterAll(() => sut?.close());

  it('lists the tools servers.json says it has, and reads through the relay only', async () => {
    const tools = await sut.harness.listTools();
    const defaults = target.entry.toolsets.filter((s) => target.entry.defaultToolsets.includes(s.name));
    for (const set of defaults) for (const tool of set.tools) expect(tools.map((t) => t.name)).toContain(tool.name);
    const out = await sut.harness.callTool('get_me', {});
    expect(out.isError, out.text).toBe(false);
    expect(sut.relay.requests.length).toBeGreaterThan(0);
    expect(sut.trap.requests).toEqual([]);
  });

  it('declares a read probe that succeeds and reaches the sandbox on every call', async () => {
    const probe = target.definition.sandboxProbes?.read;
    expect(probe, 'sandboxProbes.read in the server definition').toBeDefined();
    for (let i = 0; i < 2; i++) {
      const before = sut.relay.requests.length;
      const out = await sut.harness.callTool(probe!.tool, probe!.arguments);
      expect(out.isError, out.text).toBe(false);
      expect(sut.relay.requests.length).toBeGreaterThan(before);
    }
  });
});
