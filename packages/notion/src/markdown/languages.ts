/** Code-block languages: Markdown fence info strings to Notion's fixed language list and back. */

const NOTION_LANGUAGES = new Set(
  'abap abc agda arduino,ascii art,assembly bash basic bnf c c# c++ clojure coffeescript coq css dart dhall diff docker ebnf elixir elm erlang f# flow fortran gherkin glsl go graphql groovy haskell hcl html idris java javascript json julia kotlin latex less lisp livescript,llvm ir,lua makefile markdown markup matlab mathematica mermaid nix,notion formula,objective-c ocaml pascal perl php,plain text,powershell prolog protobuf purescript python r racket reason ruby rust sass scala scheme scss shell smalltalk solidity sql swift toml typescript,vb.net,verilog vhdl,visual basic,webassembly xml yaml,java/c/c++/c#'
    .split(',')
    .flatMap((part, i) => (i % 2 === 1 ? [part] : part.split(' ')))
    .filter(Boolean),
);

const ALIASES: Record<string, string> = {
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  sh: 'shell',
  zsh: 'shell',
  console: 'shell',
  yml: 'yaml',
  md: 'markdown',
  cs: 'c#',
  csharp: 'c#',
  cpp: 'c++',
  kt: 'kotlin',
  dockerfile: 'docker',
  tex: 'latex',
  text: 'plain text',
  txt: 'plain text',
  plaintext: 'plain text',
  objc: 'objective-c',
  ps1: 'powershell',
  golang: 'go',
  proto: 'protobuf',
  wasm: 'webassembly',
  svg: 'xml',
  vb: 'visual basic',
};

/** Notion's language for a fence info string; unknown languages become plain text. */
export function toNotionLanguage(lang: string | null | undefined): string {
  const key = (lang ?? '').trim().toLowerCase();
  if (!key) return 'plain text';
  if (NOTION_LANGUAGES.has(key)) return key;
  return ALIASES[key] ?? 'plain text';
}

/** The fence info string for a Notion language (none for plain text; spaces are not allowed in an info word). */
export function fromNotionLanguage(lang: string | undefined): string | null {
  if (!lang || lang === 'plain text') return null;
  return lang.replace(/\s+/g, '-');
}

/** Fence info written by fromNotionLanguage back to Notion's name (`ascii-art` → `ascii art`). */
export function unfenceLanguage(lang: string | null | undefined): string {
  const spaced = (lang ?? '').replace(/-/g, ' ');
  return NOTION_LANGUAGES.has(spaced.toLowerCase()) ? spaced.toLowerCase() : toNotionLanguage(lang);
}
