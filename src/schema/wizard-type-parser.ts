import type ts from 'typescript';
import type * as TJS from 'ts-json-schema-generator';
import { WIZARD_TYPE_NAMES, WizardType } from './tags';

/**
 * A node parser for ts-json-schema-generator that recognises the SDK's wizard types where a blueprint
 * refers to them (`Selector<SourceRepository>`, `Region<['us-east-1']>`, ...) and gives each the schema
 * of its JSON value plus `x-wizardType`, so a wizard knows which input to render. The type arguments of
 * a selector name framework classes, which are never turned into schema.
 */
export class WizardTypeParser implements TJS.SubNodeParser {
  private readonly references: TJS.TypeReferenceNodeParser;

  constructor(
    private readonly ts: typeof import('typescript'),
    private readonly tsj: typeof TJS,
    private readonly checker: ts.TypeChecker,
    private readonly chain: TJS.NodeParser,
    /** True for a file of the framework (or of the SDK), whose declarations are the wizard types. */
    private readonly isFrameworkFile: (fileName: string) => boolean,
  ) {
    this.references = new tsj.TypeReferenceNodeParser(checker, chain);
  }

  supportsNode(node: ts.Node): boolean {
    return this.wizardTypeOf(node) !== undefined;
  }

  createType(node: ts.TypeReferenceNode | ts.ExpressionWithTypeArguments, context: TJS.Context): TJS.BaseType {
    const { tsj } = this;
    const kind = this.wizardTypeOf(node)!;
    const args = node.typeArguments ?? [];
    const annotate = (type: TJS.BaseType, annotations: Record<string, unknown> = {}) =>
      new tsj.AnnotatedType(type, { 'x-wizardType': kind, ...annotations }, false);
    switch (kind) {
      case 'ParentOptions':
        return new tsj.ObjectType('ParentOptions', [], [], false);
      case 'Selector':
        return annotate(new tsj.StringType(), { 'x-selectorOf': args[0]?.getText() });
      case 'MultiSelect': {
        // The SDK's own doc example lists the choices as a tuple (`MultiSelect<['A', 'B']>`), ours as a union.
        const literals = args[0] ? this.literalsOf(args[0], true) : undefined;
        const items = literals
          ? new tsj.UnionType(literals.map(value => new tsj.LiteralType(value)))
          : new tsj.UnionType([new tsj.StringType(), new tsj.NumberType()]);
        return annotate(new tsj.ArrayType(items), literals ? {} : { 'x-selectorOf': args[0]?.getText() });
      }
      case 'Tuple': {
        // The SDK's type is `T | SupportedTupleType[]`: defaults may hold any list of strings and numbers
        // (its own test blueprint has [123, 456] for a [string, number]). The first branch is the pair to show.
        const loose = new tsj.ArrayType(new tsj.UnionType([new tsj.StringType(), new tsj.NumberType()]));
        return annotate(args[0] ? new tsj.UnionType([this.chain.createType(args[0], context), loose]) : loose);
      }
      case 'Region': {
        const regions = (args[0] && this.literalsOf(args[0], true)) ?? ['*'];
        const type = regions.includes('*') ? new tsj.StringType() : new tsj.UnionType(regions.map(value => new tsj.LiteralType(value)));
        return annotate(type, { 'x-regions': regions });
      }
      case 'OptionsSchema': {
        const identifier = args[0] && this.literalsOf(args[0])?.[0];
        return annotate(new tsj.AnyType(), { 'x-optionsSchemaIdentifier': identifier });
      }
      case 'Role': {
        const capabilities = args[0] ? this.literalsOf(args[0], true) : undefined;
        const string = new tsj.StringType();
        const role = new tsj.ObjectType(
          'Role',
          [],
          [
            new tsj.ObjectProperty('capabilities', new tsj.ArrayType(string), false),
            new tsj.ObjectProperty('arn', string, false),
            new tsj.ObjectProperty('name', string, false),
          ],
          true,
        );
        return annotate(role, capabilities ? { 'x-capabilities': capabilities } : {});
      }
      default:
        // KVSchema, DynamicKVInput, environments and secrets: their own declarations are the schema.
        return annotate(this.references.createType(node as ts.TypeReferenceNode, context));
    }
  }

  /** The wizard type a reference names, when it is the framework's (or the SDK's) declaration. */
  private wizardTypeOf(node: ts.Node): WizardType | 'ParentOptions' | undefined {
    const { ts } = this;
    let name: ts.Node;
    if (ts.isTypeReferenceNode(node)) name = node.typeName;
    else if (ts.isExpressionWithTypeArguments(node)) name = node.expression;
    else return undefined;
    let symbol = this.checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const kind = symbol && WIZARD_TYPE_NAMES[symbol.getName()];
    if (!symbol || !kind) return undefined;
    const declaration = symbol.declarations?.[0];
    if (!declaration || !this.isFrameworkFile(declaration.getSourceFile().fileName)) return undefined;
    return kind;
  }

  /**
   * The literal values a type argument lists: `'a' | 'b'`, `1 | 2`, or (with `tuple`) `['a', 'b']`.
   * Undefined when it is anything else.
   */
  private literalsOf(node: ts.TypeNode, tuple = false): Array<string | number> | undefined {
    const { ts } = this;
    const members = tuple && ts.isTupleTypeNode(node) ? node.elements : ts.isUnionTypeNode(node) ? node.types : [node];
    const values: Array<string | number> = [];
    for (const member of members) {
      if (!ts.isLiteralTypeNode(member)) return undefined;
      if (ts.isStringLiteral(member.literal)) values.push(member.literal.text);
      else if (ts.isNumericLiteral(member.literal)) values.push(Number(member.literal.text));
      else return undefined;
    }
    return [...new Set(values)];
  }
}
