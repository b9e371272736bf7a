import * as fs from 'fs';
import * as path from 'path';
import { kitchenSink } from '../schema/fixture';
import { runCli, writeTree } from '../util';

/** A blueprint's compiled declarations, as tsc writes lib/blueprint.d.ts. */
const DECLARATIONS = `import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
export interface Options extends ParentOptions {
    /**
     * The deploy role.
     * @inlinePolicy policies/inline.json
     */
    role: string;
}
export declare class Blueprint extends ParentBlueprint {
    constructor(options_: Options);
}
`;

describe('blueprint build-ast FILE --outdir OUT', () => {
  test("writes the SDK's ast.json beside the schema: the declarations' syntax tree, ids in preorder, policies inlined", () => {
    const dir = kitchenSink();
    writeTree(dir, { 'lib/blueprint.d.ts': DECLARATIONS });
    const result = runCli(['build-ast', './lib/blueprint.d.ts', '--outdir', './lib/'], { cwd: dir });
    expect(result.stdout).toContain('wrote lib/options.schema.json');
    expect(result.stdout).toContain('wrote lib/ast.json');
    expect(result.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'lib', 'ast.json'), 'utf8');
    const ast = JSON.parse(text);
    expect([ast.kind, ast.id, ast.text, ast.pos, ast.end, ast.flags]).toEqual(['SourceFile', 1, undefined, undefined, undefined, undefined]);
    const [imports, options, blueprint] = ast.statements;
    expect([imports.kind, options.kind, blueprint.kind]).toEqual(['ImportDeclaration', 'InterfaceDeclaration', 'ClassDeclaration']);
    expect(imports.id).toBe(2);
    expect(options.name.escapedText).toBe('Options');
    // The tag's comment is the policy file's JSON on one line, as the SDK's wizard reads it.
    const tag = options.members[0].jsDoc[0].tags.find((t: any) => t.tagName.escapedText === 'inlinePolicy');
    expect(tag.comment).toBe('{"Version":"2012-10-17","Statement":[]}');
    // Ids number the syntax nodes uniquely; JSDoc, which the SDK's numbering walk does not visit, keeps TypeScript's 0.
    const ids: number[] = [];
    JSON.parse(text, (key, value) => (key === 'id' && value > 0 && ids.push(value), value));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.max(...ids)).toBe(ids.length);
    expect(tag.id).toBe(0);
  });

  test('a policy file that cannot be read is an input error naming the tag and the file', () => {
    const dir = kitchenSink();
    writeTree(dir, { 'lib/blueprint.d.ts': DECLARATIONS.replace('policies/inline.json', 'policies/missing.json') });
    const result = runCli(['build-ast', './lib/blueprint.d.ts', '--outdir', './lib/'], { cwd: dir });
    expect(result.stderr).toContain('@inlinePolicy policies/missing.json: cannot read');
    expect(result.stderr).toContain(path.join('src', 'policies', 'missing.json'));
    expect(result.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'lib', 'ast.json'))).toBe(false);
  });

  test('without the declarations (not compiled yet) only the schema is written, with a warning', () => {
    const dir = kitchenSink();
    const result = runCli(['build-ast', './lib/blueprint.d.ts', '--outdir', './lib/'], { cwd: dir });
    expect(result.stderr).toContain('warning: ./lib/blueprint.d.ts does not exist (compile the blueprint first)');
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'lib', 'options.schema.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'lib', 'ast.json'))).toBe(false);
  });

  test('FILE left out is refused (exit 2), and the help says so: only a FILE not compiled yet is a warning', () => {
    const dir = kitchenSink();
    const result = runCli(['build-ast', '--outdir', './lib/'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected one FILE');
    expect(fs.existsSync(path.join(dir, 'lib', 'options.schema.json'))).toBe(false);
    const help = runCli(['build-ast', '--help'], { cwd: dir }).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('When FILE does not exist yet (the blueprint is not compiled), only the schema is written, with a warning.');
    expect(help).not.toContain('Without FILE');
  });
});
