import type ts from 'typescript';
import { loadTypeScript } from './build-schema';

/**
 * The SDK's `ast.json`: the TypeScript syntax tree of a blueprint's compiled declarations
 * (`lib/blueprint.d.ts`), as JSON. SDK blueprints read it (test-blueprint copies it into its bundle) and the
 * SDK's wizard builds its form from it; bluesynth itself reads the options schema instead.
 *
 * The format, learnt from the SDK CLI's `build-ast`: every node carries a preorder `id` from 1 (the source
 * file), `kind` is the `SyntaxKind` name, positions and flags are left out, the source text is left out, and an
 * object met a second time (a parent link, a shared node) is left out where it reappears. A JSDoc tag
 * `@inlinePolicy FILE` or `@trustPolicy FILE` has its comment replaced by the content of `src/FILE` as
 * one-line JSON. The tree is the one this framework's TypeScript builds, so the bytes follow its version.
 */
export function sdkAst(declarations: string, readPolicy: (tag: string, file: string) => string): string {
  const tsc = loadTypeScript();
  const source = tsc.createSourceFile('temp-ast.d.ts', declarations, tsc.ScriptTarget.Latest, true);
  let nextId = 0;
  const number = (node: ts.Node) => {
    (node as { id?: number }).id = ++nextId;
    tsc.forEachChild(node, number);
  };
  number(source);
  delete (source as { text?: string }).text;

  const seen = new Set<object>();
  let json = JSON.stringify(source, (key, value) => {
    if (OMITTED_KEYS.has(key)) return undefined;
    if (key === 'kind') return tsc.SyntaxKind[value];
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return undefined;
      seen.add(value);
    }
    return value;
  });
  // The SDK replaces the first occurrence of the tag's comment, once per tagged node, in document order.
  for (const { tag, file } of policyTags(tsc, source)) {
    json = json.replace(`"comment":${JSON.stringify(file)}`, () => `"comment":${JSON.stringify(readPolicy(tag, file))}`);
  }
  return json;
}

/** Keys the SDK leaves out: positions and flags, which change with every edit and mean nothing to a wizard. */
const OMITTED_KEYS = new Set(['end', 'endPos', 'pos', 'modifierFlagsCache', 'flags', 'transformFlags']);

/** The tags whose comment names a policy file, in document order. */
export const POLICY_TAGS = ['inlinePolicy', 'trustPolicy'];

function policyTags(tsc: typeof import('typescript'), source: ts.SourceFile): { tag: string; file: string }[] {
  const found: { tag: string; file: string }[] = [];
  const visit = (node: ts.Node) => {
    for (const tag of tsc.getJSDocTags(node)) {
      const file = typeof tag.comment === 'string' ? tag.comment : undefined;
      if (file && POLICY_TAGS.includes(tag.tagName.text) && tag.parent.parent === node) found.push({ tag: tag.tagName.text, file });
    }
    tsc.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
