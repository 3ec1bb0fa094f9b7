/**
 * tools/list size in o200k tokens: the JSON of the `tools` array as the server sent it, for our server with the
 * default toolsets and with every toolset, and for the anchor.
 */
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { Benchmark, Cell } from './lib/report.ts';
import { anchorServer, ourServer, sandboxOrLoopback } from './lib/servers.ts';
import { pct, ratio } from './lib/stats.ts';
import { type Command, handshake, listAllTools, StdioRpc } from './lib/stdio-rpc.ts';

export const tokenCount = (text: string): number => encode(text).length;

interface Listing {
  label: string;
  tools: any[];
  tokens: number;
  perTool: { name: string; tokens: number }[];
  error?: string;
}

async function listing(label: string, cmd: Command): Promise<Listing> {
  const rpc = new StdioRpc(cmd);
  try {
    await handshake(rpc);
    const { tools } = await listAllTools(rpc);
    return {
      label,
      tools,
      // Compact JSON: what JSON-RPC framing over stdio and HTTP carries.
      tokens: tokenCount(JSON.stringify(tools)),
      perTool: tools.map((t) => ({ name: String(t.name), tokens: tokenCount(JSON.stringify(t)) })),
    };
  } catch (error) {
    return { label, tools: [], tokens: Number.NaN, perTool: [], error: (error as Error).message };
  } finally {
    await rpc.close();
  }
}

export const tokens: Benchmark = async (opts) => {
  const notes: string[] = [];
  const { creds, sandbox } = await sandboxOrLoopback(notes);
  let lists: Listing[];
  try {
    opts.log('tokens: listing tools');
    lists = [
      await listing('ours, default toolsets', ourServer('src', creds)),
      await listing('ours, --toolsets all', ourServer('src', creds, ['--toolsets', 'all'])),
      await listing('anchor', anchorServer()),
    ];
  } finally {
    await sandbox?.close();
  }
  const [def, all, anchor] = lists as [Listing, Listing, Listing];
  const aims: Record<string, number> = { [def.label]: 2500, [all.label]: 4000 };
  const rows: Cell[][] = lists.map((l) => {
    if (l.error) return [l.label, 'failed', '', '', '', ''];
    const aim = aims[l.label];
    return [
      l.label,
      l.tools.length,
      l.tokens,
      Math.round(l.tokens / Math.max(1, l.tools.length)),
      l === anchor ? '1.00×' : ratio(l.tokens, anchor.tokens),
      aim ? `≤ ${aim}: ${l.tokens <= aim ? 'met' : 'NOT met'}` : '',
    ];
  });
  for (const l of lists) if (l.error) notes.push(`${l.label} failed: ${l.error.split('\n').slice(0, 6).join(' | ')}`);
  if (!all.error && !anchor.error) {
    const perOurs = all.tokens / Math.max(1, all.tools.length);
    const perAnchor = anchor.tokens / Math.max(1, anchor.tools.length);
    notes.push(`Per tool, ours (all toolsets) is ${pct(perOurs, perAnchor)} of the anchor's.`);
  }
  notes.push('Tokens: o200k_base (gpt-tokenizer) of JSON.stringify(result.tools), i.e. the compact wire JSON.');

  const heaviest = [...all.perTool].sort((a, b) => b.tokens - a.tokens).slice(0, 8);
  return {
    name: 'tokens',
    title: 'tools/list size (o200k tokens)',
    tables: [
      { title: 'tools array as sent', columns: ['list', 'tools', 'tokens', 'per tool', '× anchor', 'aim'], rows },
      ...(heaviest.length
        ? [
            {
              title: 'heaviest tool entries (ours, all toolsets)',
              columns: ['tool', 'tokens'],
              rows: heaviest.map((t) => [t.name, t.tokens] as Cell[]),
            },
          ]
        : []),
    ],
    notes,
    data: Object.fromEntries(
      lists.map((l) => [
        l.label,
        {
          tools: l.tools.length,
          tokens: l.tokens,
          tokensPerTool: l.tools.length ? l.tokens / l.tools.length : null,
          perTool: l.perTool,
          ...(l.error ? { error: l.error } : {}),
        },
      ]),
    ),
  };
};
