/**
 * The JSDoc tags a blueprint's `Options` interface uses to tell the wizard how to show an option, and how
 * each becomes part of the options schema. Every tag, known or not, is kept as an `x-<tag>` annotation;
 * some also set a standard JSON Schema keyword. Plain data, so that reading a schema never loads TypeScript.
 */

/** How a tag's text is read. */
export type TagValueKind =
  /** Free text; surrounding quotes (`'Name'`, `"Name"`) are removed. */
  | 'text'
  /** Text kept verbatim (a regular expression, a path). */
  | 'raw'
  /** A flag: no text or `true` is `true`, `false` is `false`. */
  | 'flag'
  /** A number; no text is `true`. */
  | 'number';

/** One wizard tag. */
export interface WizardTag {
  /** How its text is read. */
  readonly kind: TagValueKind;
  /** The standard JSON Schema keyword it also sets, if any. */
  readonly keyword?: 'title' | 'readOnly' | 'pattern';
  /** What the wizard does with it, for the documentation. */
  readonly doc: string;
}

/** The wizard tags the SDK documents, by name. */
export const WIZARD_TAGS: Readonly<Record<string, WizardTag>> = {
  displayName: { kind: 'text', keyword: 'title', doc: 'the label shown instead of the property name' },
  validationRegex: { kind: 'raw', keyword: 'pattern', doc: 'a regular expression every string value must match (`/body/flags` or a bare body)' },
  validationMessage: { kind: 'text', doc: 'the message shown when a value does not match `@validationRegex`' },
  hidden: { kind: 'flag', doc: 'the option is not shown; its value comes from the defaults' },
  collapsed: { kind: 'flag', doc: 'the section starts collapsed (`@collapsed false`: expanded)' },
  readOnly: { kind: 'flag', keyword: 'readOnly', doc: 'shown but cannot be changed' },
  placeholder: { kind: 'text', doc: 'text shown in an empty input' },
  textArea: { kind: 'number', doc: 'a multi-line input; the number is its height in rows' },
  defaultEntropy: { kind: 'number', doc: 'this many random digits are appended to the default value when a project is made' },
  showName: { kind: 'flag', doc: 'an environment input shows the environment name' },
  showEnvironmentType: { kind: 'flag', doc: 'an environment input shows the environment type' },
  inlinePolicy: { kind: 'raw', doc: 'a role input shows this IAM policy (a JSON file, relative to src/)' },
  trustPolicy: { kind: 'raw', doc: 'a role input shows this trust policy (a JSON file, relative to src/)' },
  requires: { kind: 'raw', doc: 'another blueprint this one needs (may be repeated)' },
  filter: { kind: 'raw', doc: 'a selector offers only the resources whose name matches this regular expression' },
  button: { kind: 'flag', doc: 'a boolean shown as a button' },
};

/** Tags whose text is a standard JSON Schema keyword's value (read as JSON5 where it parses). */
export const JSON_SCHEMA_TAGS: ReadonlySet<string> = new Set([
  'title', 'description', 'default', 'examples', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'deprecated',
  'writeOnly', 'pattern',
]);

/** The kinds of wizard input a type of the SDK asks for, as `x-wizardType` names them. */
export type WizardType =
  | 'Selector'
  | 'MultiSelect'
  | 'Tuple'
  | 'Region'
  | 'KVSchema'
  | 'DynamicKVInput'
  | 'OptionsSchema'
  | 'EnvironmentDefinition'
  | 'AccountConnection'
  | 'Role'
  | 'SecretDefinition';

/** The SDK's wizard types by the name a blueprint refers to them, and what each becomes. */
export const WIZARD_TYPE_NAMES: Readonly<Record<string, WizardType | 'ParentOptions'>> = {
  Selector: 'Selector',
  MultiSelect: 'MultiSelect',
  Tuple: 'Tuple',
  Region: 'Region',
  KVSchema: 'KVSchema',
  DynamicKVInput: 'DynamicKVInput',
  OptionsSchemaDefinition: 'OptionsSchema',
  EnvironmentDefinition: 'EnvironmentDefinition',
  AccountConnection: 'AccountConnection',
  Role: 'Role',
  SecretDefinition: 'SecretDefinition',
  // What every blueprint's Options extends: `outdir` and `parent` are set by the framework, not the wizard.
  ParentOptions: 'ParentOptions',
  Options: 'ParentOptions',
};

/** The prefix of every annotation the framework adds to JSON Schema. */
export const ANNOTATION_PREFIX = 'x-';

/**
 * A `@validationRegex` as a RegExp: `/body/flags` or a bare body. A body in slashes with flags the SDK
 * would not understand still gets them here; the SDK strips one leading and one trailing slash only.
 */
export function parseValidationRegex(text: string): { source: string; flags: string } {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(text.trim());
  return match ? { source: match[1], flags: match[2] } : { source: text.trim(), flags: '' };
}
