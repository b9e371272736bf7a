import type ts from 'typescript';
import type { Annotations, AnnotationsReader } from 'ts-json-schema-generator';
import { ANNOTATION_PREFIX, JSON_SCHEMA_TAGS, TagValueKind, WIZARD_TAGS, WIZARD_TYPE_NAMES } from './tags';
import { nearestName } from '../nearest-name';

/**
 * `@hidden` removes a property in ts-json-schema-generator, but means "not shown in the wizard" in a
 * blueprint. The blueprint's sources are read with the tag renamed to this, and it is renamed back here.
 */
export const HIDDEN_TAG_ALIAS = 'wizardHiddenTag';

/**
 * An `@` inside a line of a doc comment is text to the SDK's TypeScript (4.9 starts a tag only at the
 * beginning of a line), but starts a tag for TypeScript 5 when a space comes before it: `@requires
 * @scope/name` would read as a second tag named `scope`, and a description that mentions `@hidden` would end
 * there and hide the option. The builder writes such an `@` as this character (one of Unicode's private use,
 * which no doc comment means), and it is turned back here, in descriptions and in tag texts.
 */
export const AT_SIGN_ALIAS = '\uE040';

/** `text` with every {@link AT_SIGN_ALIAS} turned back into the `@` the blueprint wrote. */
export function restoreAtSigns(text: string): string {
  return text.split(AT_SIGN_ALIAS).join('@');
}

/**
 * The text of doc-comment parts as a reader sees it: an inline `{@link X}` (or `@linkcode`, `@linkplain`) is
 * its label, the text after `|` or else the name, as editors and TypeDoc render it. TypeScript's own
 * `displayPartsToString` keeps the braces and runs a label into the name (`{@link Xthe label}`), which the
 * preview's form showed as it was.
 */
export function docText(parts: readonly ts.SymbolDisplayPart[] | undefined): string {
  let text = '';
  let label: string | undefined;
  for (const part of parts ?? []) {
    if (part.kind === 'link') {
      // `{@link ` opens a link and `}` closes it; the label is written once the link has closed.
      if (label !== undefined && part.text === '}') text += label;
      label = part.text === '}' ? undefined : '';
    } else if (part.kind === 'linkName' || part.kind === 'linkText') {
      label = part.kind === 'linkText' ? part.text.trim() : part.text;
    } else {
      text += part.text;
    }
  }
  return text;
}

/**
 * Reads the doc comment and every JSDoc tag of a declaration in the blueprint's own files: the text is
 * the `description`, each tag becomes `x-<tag>` (repeated tags a list), and the tags that have a standard
 * keyword set it too. Declarations of the framework contribute their description only, so that the
 * framework's own doc tags (`@default none`) never read as option values.
 */
export class WizardAnnotationsReader implements AnnotationsReader {
  /** A tag that is one letter or two off a tag the wizard reads (`@displayname`, `@colapsed`), where it is written. */
  readonly misspeltTags = new Set<string>();

  constructor(
    private readonly ts: typeof import('typescript'),
    private readonly checker: ts.TypeChecker,
    private readonly isBlueprintFile: (fileName: string) => boolean,
    /** How a warning names the blueprint's file. */
    private readonly fileName: (fileName: string) => string = fileName => fileName,
  ) {}

  getAnnotations(node: ts.Node): Annotations | undefined {
    const symbol: ts.Symbol | undefined = (node as any).symbol ?? (node as any).name?.symbol;
    if (!symbol) return undefined;
    const annotations: Annotations = {};
    const description = restoreAtSigns(docText(symbol.getDocumentationComment(this.checker))).trim();
    if (description) annotations.description = description;
    if (this.isBlueprintFile(node.getSourceFile().fileName)) {
      const tags = new Map<string, string[]>();
      for (const tag of symbol.getJsDocTags(this.checker)) {
        const name = tag.name === HIDDEN_TAG_ALIAS ? 'hidden' : tag.name;
        const text = restoreAtSigns(docText(tag.text)).trim();
        tags.set(name, [...(tags.get(name) ?? []), text]);
      }
      for (const [name, texts] of tags) Object.assign(annotations, annotationsOfTag(name, texts));
      for (const name of tags.keys()) {
        const meant = misspeltTag(name);
        if (!meant) continue;
        const file = node.getSourceFile();
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        this.misspeltTags.add(`${this.fileName(file.fileName)}:${line}: ${symbol.getName()}: @${name} is not a tag the wizard reads (kept as x-${name}); did you mean @${meant}?`);
      }
    } else {
      // A wizard type reached through a mapped type (`Partial<T>` in an environment) rather than by its name.
      const kind = WIZARD_TYPE_NAMES[symbol.getName()];
      if (kind && kind !== 'ParentOptions' && (this.ts.isTypeAliasDeclaration(node) || this.ts.isInterfaceDeclaration(node))) {
        annotations['x-wizardType'] = kind;
      }
    }
    return Object.keys(annotations).length ? annotations : undefined;
  }
}

/**
 * Wizard tags written on the entry's exported `Blueprint` class (its doc comment, its constructor, its members) in
 * place of the `Options` interface: the schema is made from `Options` alone, so they change nothing, and the form
 * showed no label with no word. Each is said as `file:line: name: @tag ...`, the file named by `fileName`.
 */
export function wizardTagsOnBlueprint(tsc: typeof import('typescript'), checker: ts.TypeChecker, entry: ts.SourceFile, isBlueprintFile: (fileName: string) => boolean, fileName: (fileName: string) => string): string[] {
  const module = checker.getSymbolAtLocation(entry);
  let symbol = module && checker.getExportsOfModule(module).find(s => s.getName() === 'Blueprint');
  if (symbol && symbol.flags & tsc.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.declarations?.find(tsc.isClassDeclaration);
  // A class the blueprint imports from elsewhere (a package's) is not its author's to move tags from.
  if (!declaration || !isBlueprintFile(declaration.getSourceFile().fileName)) return [];
  const found: string[] = [];
  for (const node of [declaration, ...declaration.members]) {
    const wizardTags = tsc.getJSDocTags(node).filter(tag => WIZARD_TAGS[tag.tagName.text === HIDDEN_TAG_ALIAS ? 'hidden' : tag.tagName.text]);
    if (wizardTags.length === 0) continue;
    const tags = [...new Set(wizardTags.map(tag => (tag.tagName.text === HIDDEN_TAG_ALIAS ? 'hidden' : tag.tagName.text)))];
    const file = node.getSourceFile();
    // The line of the first tag, where the author looks to move it.
    const line = file.getLineAndCharacterOfPosition(wizardTags[0].getStart(file)).line + 1;
    const name = tsc.isConstructorDeclaration(node) ? 'constructor' : node.name && tsc.isIdentifier(node.name) ? node.name.text : 'Blueprint';
    const what = node === declaration ? 'the Blueprint class' : `Blueprint's ${name}`;
    found.push(`${fileName(file.fileName)}:${line}: ${tags.map(tag => `@${tag}`).join(', ')} on ${what} ${tags.length > 1 ? 'are' : 'is'} ignored: ` +
      'the wizard reads its tags from the Options interface, on each option\'s own doc comment');
  }
  return found;
}

/** Tags of TSDoc and JSDoc that document the code: never taken for a misspelt wizard tag (`@example` is not `@examples`). */
const DOC_TAGS = new Set([
  'example', 'remarks', 'see', 'since', 'param', 'returns', 'return', 'throws', 'internal', 'public', 'private', 'protected',
  'beta', 'alpha', 'experimental', 'privateRemarks', 'defaultValue', 'typeParam', 'override', 'virtual', 'sealed',
  'eventProperty', 'packageDocumentation', 'inheritDoc', 'label', 'decorator', 'todo', 'type', 'author', 'version',
]);

/**
 * The wizard tag or JSON Schema keyword a tag most likely meant, when it is neither but differs from one in case
 * alone, or is one's unique prefix or within two edits of one (see {@link nearestName}); else undefined. Any other
 * tag is the author's own and stays an annotation without a word.
 */
export function misspeltTag(name: string): string | undefined {
  if (WIZARD_TAGS[name] || JSON_SCHEMA_TAGS.has(name) || DOC_TAGS.has(name) || name === HIDDEN_TAG_ALIAS) return undefined;
  const known = [...Object.keys(WIZARD_TAGS), ...JSON_SCHEMA_TAGS];
  return known.find(tag => tag.toLowerCase() === name.toLowerCase()) ?? nearestName(name, known);
}

/** The schema keywords and annotations one tag (given once or more) contributes. */
export function annotationsOfTag(name: string, texts: string[]): Annotations {
  const wizard = WIZARD_TAGS[name];
  const values = texts.map(text => readTagValue(text, wizard?.kind ?? (JSON_SCHEMA_TAGS.has(name) ? 'json' : 'guess')));
  const value = values.length === 1 ? values[0] : values;
  if (!wizard && JSON_SCHEMA_TAGS.has(name)) {
    // `@default` and friends are JSON Schema keywords already; `@example` (singular) is not, so it stays an annotation.
    // `x-default` remembers the doc's default when defaults.json later sets `default`.
    return name === 'default' ? { default: value, 'x-default': value } : { [name]: value };
  }
  const result: Annotations = { [ANNOTATION_PREFIX + name]: value };
  if (wizard?.keyword === 'title' && typeof value === 'string') result.title = value;
  if (wizard?.keyword === 'readOnly' && typeof value === 'boolean') result.readOnly = value;
  return result;
}

function readTagValue(text: string, kind: TagValueKind | 'json' | 'guess'): unknown {
  switch (kind) {
    case 'raw':
      return text;
    case 'text':
      return unquote(text);
    case 'flag':
      return text === '' || text === 'true' ? true : text === 'false' ? false : text;
    case 'number':
      return text === '' ? true : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    case 'json':
      return parseJson(text) ?? unquote(text);
    case 'guess':
      if (text === '') return true;
      if (text === 'true' || text === 'false') return text === 'true';
      if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
      return text;
  }
}

function unquote(text: string): string {
  const match = /^(['"])(.*)\1$/s.exec(text);
  return match ? match[2] : text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
