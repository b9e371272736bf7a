import * as fs from 'fs';
import * as path from 'path';
import type ts from 'typescript';
import type * as TJS from 'ts-json-schema-generator';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { pathAliases } from '../blueprint/tsconfig-paths';
import { pathInside } from '../bundle/paths';
import { InputError } from '../errors';
import { FRAMEWORK_ROOT } from '../cache/framework-root';
import { AT_SIGN_ALIAS, HIDDEN_TAG_ALIAS, WizardAnnotationsReader, wizardTagsOnBlueprint } from './annotations';
import { JsonSchema, walkSchema } from './json-schema';
import { parseValidationRegex } from './tags';
import { WizardTypeParser } from './wizard-type-parser';

/** Raised when a blueprint has no exported `Options` type that can be turned into a schema. */
export class NoOptionsSchemaError extends InputError {
  /**
   * @param inputs what the answer was read from, as {@link BuiltSchema.inputs} says; undefined when that is not known.
   */
  constructor(message: string, readonly inputs?: string[]) {
    super(message, { name: 'NoOptionsSchemaError' });
  }
}

/** A schema built from a blueprint's sources, with what the build noticed on the way. */
export interface BuiltSchema {
  /** The JSON Schema of the blueprint's options (without defaults and provenance; see schema-file.ts). */
  readonly schema: JsonSchema;
  /** Problems that did not stop the build (an `@inlinePolicy` file that cannot be read). */
  readonly warnings: string[];
  /**
   * The files besides the framework's and TypeScript's own that the schema was made from (the program's sources, the
   * policy files), or undefined when one of their imports resolved to nothing, which another folder might resolve.
   */
  readonly inputs: string[] | undefined;
}

/**
 * The TypeScript compiler ts-json-schema-generator itself uses: its types and ours must be the same objects,
 * and the framework has no TypeScript of its own at run time.
 */
export function loadTypeScript(): typeof import('typescript') {
  return require(require.resolve('typescript', { paths: [path.dirname(require.resolve('ts-json-schema-generator'))] }));
}

/**
 * Turns the `Options` type that a blueprint's `src/index.ts` exports into a JSON Schema (draft-07) with the
 * wizard's tags as annotations. This is the only place that loads the TypeScript compiler: ts-json-schema-generator
 * walks the types, with a parser for the SDK's wizard types and a reader that keeps every JSDoc tag.
 */
export function buildOptionsSchema(blueprintDir: string): BuiltSchema {
  const dir = path.resolve(blueprintDir);
  const entry = optionsEntry(dir);
  // An entry without the name exports no Options but through `export *`: no compiler to load to say so.
  const text = fs.readFileSync(entry, 'utf8');
  if (!/\bOptions\b/.test(text) && !/\bexport\s*\*/.test(text)) throw noOptionsExported(entry, [entry]);
  const tsj: typeof TJS = require('ts-json-schema-generator');
  const tsc = loadTypeScript();
  // The blueprint's own files, not its dependencies (even when the blueprint itself is an installed package).
  const isBlueprintFile = (file: string) => isInside(file, dir) && !path.relative(dir, file).split(/[\\/]/).includes('node_modules');
  const isOwnTypes = (file: string) => ['src', 'lib'].some(folder => isInside(file, path.join(FRAMEWORK_ROOT, folder)));
  const isFrameworkFile = (file: string) => isOwnTypes(file) || /[\\/]@amazon-codecatalyst[\\/]/.test(file);

  const program = createProgram(tsc, dir, entry, isBlueprintFile);
  const checker = program.getTypeChecker();
  const sources = program.getSourceFiles().filter(file => !program.isSourceFileDefaultLibrary(file) && !isOwnTypes(path.resolve(file.fileName)));
  const inputs = sources.every(file => importsResolve(tsc, file, program.getCompilerOptions())) ? sources.map(file => path.resolve(file.fileName)) : undefined;
  const declaration = findOptions(tsc, checker, program.getSourceFile(entry)!, entry, inputs);

  const config: TJS.CompletedConfig = {
    ...tsj.DEFAULT_CONFIG,
    expose: 'none',
    topRef: false,
    jsDoc: 'none',
    skipTypeCheck: true,
    additionalProperties: false,
    functions: 'hide',
  };
  const reader = new WizardAnnotationsReader(tsc, checker, isBlueprintFile, file => path.relative(dir, file));
  const parser = tsj.createParser(program, config, mutable => {
    const chain = mutable as TJS.ChainNodeParser; // the augmentor is handed the library's chain itself
    // Added first, so they win over the library's own parsers of the same nodes.
    const annotated = (inner: TJS.SubNodeParser) =>
      new tsj.CircularReferenceNodeParser(new tsj.ExposeNodeParser(checker, new tsj.AnnotatedNodeParser(inner, reader), 'none', 'none'));
    // One annotation layer per property: the library keeps only the outermost layer where it rebuilds a
    // type (the properties of `Partial<T>` in an environment), which would lose the wizard type's own.
    const annotatedChain = flattened(tsj, new tsj.AnnotatedNodeParser(chain, reader));
    mutable
      .addNodeParser(new WizardTypeParser(tsc, tsj, checker, chain, isFrameworkFile))
      .addNodeParser(annotated(new tsj.InterfaceAndClassNodeParser(checker, annotatedChain, false)))
      .addNodeParser(annotated(new tsj.TypeLiteralNodeParser(checker, annotatedChain, false)))
      .addNodeParser(annotated(new tsj.TypeAliasNodeParser(checker, chain)));
  });
  const generator = new tsj.SchemaGenerator(program, parser, tsj.createFormatter(config), config);
  let generated: JsonSchema;
  try {
    generated = generator.createSchemaFromNodes([declaration]) as JsonSchema;
  } catch (error) {
    // Named by its absolute path, as the other reasons are: a reason is kept for later runs, from other folders.
    throw new NoOptionsSchemaError(`${entry}: cannot turn 'Options' into a schema: ${(error as Error).message}`, inputs);
  }
  delete generated.definitions;
  const warnings: string[] = [...reader.misspeltTags, ...wizardTagsOnBlueprint(tsc, checker, program.getSourceFile(entry)!, file => isBlueprintFile(path.resolve(file)), file => path.relative(dir, file))];
  const policies = finishSchema(generated, dir, warnings);
  return { schema: { $schema: 'http://json-schema.org/draft-07/schema#', ...generated }, warnings, inputs: inputs && [...inputs, ...policies] };
}

/**
 * Whether every import and reference of `file` resolves to a file: one that resolves to nothing leaves its types
 * `any` here, though another folder with the same sources (and a package installed) may resolve it.
 */
function importsResolve(tsc: typeof import('typescript'), file: ts.SourceFile, options: ts.CompilerOptions): boolean {
  const found = tsc.preProcessFile(file.text, true, true);
  if (found.referencedFiles.length > 0 || found.typeReferenceDirectives.length > 0) return false;
  return found.importedFiles.every(({ fileName }) => tsc.resolveModuleName(fileName, file.fileName, options, tsc.sys).resolvedModule !== undefined);
}

/**
 * The file that exports `Options`: the blueprint's `src/index.ts`, or for a published package that ships no
 * sources (an SDK blueprint from a registry), the declarations its package.json names (`types`), which
 * keep the interface and its JSDoc tags.
 */
function optionsEntry(dir: string): string {
  const source = path.join(dir, BlueprintFolder.ENTRY);
  if (fs.existsSync(source)) return source;
  let types: unknown;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    types = manifest.types ?? manifest.typings;
  } catch {
    types = undefined;
  }
  const declarations = typeof types === 'string' ? path.resolve(dir, types) : undefined;
  if (declarations && isInside(declarations, dir) && fs.existsSync(declarations)) return declarations;
  const javaScript = ['index.js', 'index.cjs'].map(file => path.join(dir, 'src', file)).find(file => fs.existsSync(file));
  if (javaScript && !declarations) {
    throw new NoOptionsSchemaError(`${javaScript}: a blueprint in JavaScript declares no 'Options' type to build a schema from (declare it in a .d.ts that package.json 'types' names)`);
  }
  throw new NoOptionsSchemaError(`${source}: not found${declarations ? '' : ' (nor declarations named by package.json \'types\')'}`);
}

/** A program over the blueprint's entry, with `bluesynth` resolved to this framework's own types. */
function createProgram(tsc: typeof import('typescript'), dir: string, entry: string, isBlueprintFile: (file: string) => boolean): ts.Program {
  // From source (tests), the framework's types are its TypeScript; from lib/, its declaration files.
  const fromSource = __filename.endsWith('.ts');
  const frameworkTypes = path.join(FRAMEWORK_ROOT, fromSource ? 'src' : 'lib');
  // The framework and the SDK's packages resolve to the few types an Options interface uses; projen
  // and constructs to nothing. Parsing projen's declarations would take most of the build's time.
  const view = [path.join(frameworkTypes, 'schema', fromSource ? 'framework-types.ts' : 'framework-types.d.ts')];
  const nothing = [path.join(frameworkTypes, 'schema', fromSource ? 'no-types.ts' : 'no-types.d.ts')];
  const aliases = pathAliases(dir);
  const options: ts.CompilerOptions = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    target: tsc.ScriptTarget.ES2022,
    module: tsc.ModuleKind.CommonJS,
    moduleResolution: tsc.ModuleResolutionKind.Node10,
    // The smallest standard library with the utility types (Partial, Record, Pick): no DOM to parse.
    lib: ['lib.es5.d.ts'],
    types: [],
    baseUrl: aliases?.baseUrl ?? dir,
    paths: {
      // The blueprint's own aliases (an Options imported through `@/...`), where they do not name the framework's.
      ...Object.fromEntries((aliases?.patterns ?? []).map(([pattern, targets]) => [pattern, targets.map(target => path.resolve(aliases!.base, target))])),
      'bluesynth': view,
      'bluesynth/*': [path.join(frameworkTypes, '*')],
      '@amazon-codecatalyst/*': view,
      'projen': nothing,
      'projen/*': nothing,
      'constructs': nothing,
    },
  };
  const host = tsc.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!isBlueprintFile(fileName) || !/\.tsx?$/.test(fileName)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const text = tsc.sys.readFile(fileName);
    if (text === undefined) return undefined;
    const rewritten = escapeInlineAtSigns(text).replace(/@hidden\b/g, `@${HIDDEN_TAG_ALIAS}`);
    return tsc.createSourceFile(fileName, rewritten, languageVersion, true);
  };
  return tsc.createProgram([entry], options, host);
}

/**
 * Writes every `@` inside a line of a doc comment (`/** ... *\/`) as {@link AT_SIGN_ALIAS}, so that TypeScript 5
 * reads the tags the SDK's TypeScript 4.9 reads: those that begin a line (after its `*`, or the opening
 * `/**`). An inline tag (`{@link X}`) is left alone: both versions read it as one. Code, strings and other
 * comments are not touched: they are matched too, and kept, so that a glob such as `'src/**'` never reads as
 * the start of a doc comment.
 */
function escapeInlineAtSigns(text: string): string {
  return text.replace(
    /\/\*\*\/|\/\*\*[\s\S]*?\*\/|\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g,
    match => (match.startsWith('/**') && match !== '/**/' ? escapeDocComment(match) : match),
  );
}

function escapeDocComment(comment: string): string {
  return comment
    .split('\n')
    .map(line => {
      const start = /^\s*(?:\/\*\*|\*(?!\/))?\s*/.exec(line)![0].length;
      return line.slice(0, start + 1) + line.slice(start + 1).replace(/(?<!\{)@/g, AT_SIGN_ALIAS);
    })
    .join('\n');
}

/** The declaration of the `Options` type the entry exports, following re-exports. */
function findOptions(tsc: typeof import('typescript'), checker: ts.TypeChecker, source: ts.SourceFile, entry: string, inputs: string[] | undefined): ts.Node {
  const module = checker.getSymbolAtLocation(source);
  let symbol = module && checker.getExportsOfModule(module).find(s => s.getName() === 'Options');
  if (symbol && symbol.flags & tsc.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.declarations?.find(d => tsc.isInterfaceDeclaration(d) || tsc.isTypeAliasDeclaration(d));
  if (!declaration) throw noOptionsExported(entry, inputs);
  return declaration;
}

function noOptionsExported(entry: string, inputs: string[] | undefined): NoOptionsSchemaError {
  return new NoOptionsSchemaError(`${entry}: exports no 'Options' interface or type`, inputs);
}

/**
 * Completes what the generator cannot know: `pattern` for plain string options whose `@validationRegex`
 * a standard validator understands, and the text of `@inlinePolicy` / `@trustPolicy` files (relative to src/,
 * as the SDK reads them). Returns the policy files it read.
 */
function finishSchema(schema: JsonSchema, dir: string, warnings: string[]): string[] {
  const read: string[] = [];
  walkSchema(schema, node => {
    const regex = node['x-validationRegex'];
    if (typeof regex === 'string' && node.type === 'string' && node.pattern === undefined) {
      const { source, flags } = parseValidationRegex(regex);
      try {
        new RegExp(source, flags);
        if (!flags) node.pattern = source;
      } catch (error) {
        // Said now, at the tag, rather than first as every value of the option refused by validation.
        warnings.push(`@validationRegex ${regex}${node.title ? ` (on '${node.title}')` : ''}: ${(error as Error).message}; every value of the option is refused until it is fixed`);
      }
    }
    for (const tag of ['inlinePolicy', 'trustPolicy']) {
      const file = node[`x-${tag}`];
      // A published package ships no src/: its policy files are not there to read (its ast.json holds them).
      if (typeof file !== 'string' || file === '' || !fs.existsSync(path.join(dir, 'src'))) continue;
      const absolute = path.resolve(dir, 'src', file);
      read.push(absolute);
      try {
        node[`x-${tag}Document`] = JSON.parse(fs.readFileSync(absolute, 'utf8'));
      } catch (error) {
        warnings.push(`@${tag} ${file}: cannot read ${absolute} (${(error as Error).message})`);
      }
    }
  });
  return read;
}

/** A parser whose nested annotated types are merged into one (inner annotations first, outer win). */
function flattened(tsj: typeof TJS, parser: TJS.NodeParser): TJS.NodeParser {
  return {
    createType(node, context, reference) {
      const type = parser.createType(node, context, reference);
      if (!(type instanceof tsj.AnnotatedType)) return type;
      const inner = type.getType();
      if (!(inner instanceof tsj.AnnotatedType)) return type;
      return new tsj.AnnotatedType(inner.getType(), { ...inner.getAnnotations(), ...type.getAnnotations() }, type.isNullable() || inner.isNullable());
    },
  };
}

function isInside(file: string, dir: string): boolean {
  return !!pathInside(dir, file);
}
