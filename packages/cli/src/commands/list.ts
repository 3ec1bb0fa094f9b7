/** `switchboard list`: every registered server with its summary, credentials, toolsets and tool count. */
import type { RegistryCredential, RegistryServer } from '../registry.ts';

function credential(c: RegistryCredential): string {
  const names = [c.env, ...(c.aliases ?? [])].join(' | ');
  if (c.kind === 'secret') return `${names} (secret${c.required ? ', required' : ''})`;
  return `${names} (setting${c.default ? `, default ${c.default}` : ''})`;
}

export function renderList(servers: RegistryServer[]): string {
  return servers
    .map((s) => {
      const sets = s.toolsets
        .map((t) => `${t.name}${s.defaultToolsets.includes(t.name) ? '*' : ''}(${t.tools.length})`)
        .join(' ');
      return [
        `${s.name}  ${s.package}@${s.version}  ${s.toolCount} tools${s.verification ? `  [${s.verification}]` : ''}`,
        `  ${s.summary}`,
        `  credentials: ${s.credentials.map(credential).join(', ') || 'none'}`,
        `  toolsets (* default): ${sets}`,
      ].join('\n');
    })
    .join('\n\n');
}
