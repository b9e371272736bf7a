/**
 * Types a blueprint uses in its `Options` interface to ask the wizard for a particular input. At run
 * time each is plain JSON (a string, a list); the type parameter only tells the wizard what to show.
 * The shapes are the CodeCatalyst SDK's, so that ported blueprints compile unchanged.
 */

/**
 * A picker of an existing CodeCatalyst resource; the value is the resource's name.
 * @example repository: Selector<SourceRepository>
 */
// The parameter only tells the wizard what to offer; the tuple check keeps it "used" without changing the type.
export type Selector<T> = [T] extends [unknown] ? string : string;

/**
 * A choice of several values.
 * @example colours: MultiSelect<'red' | 'green' | 'blue'>  // ['red', 'blue']
 * The choices may also be a tuple, as in the SDK's own example: `MultiSelect<['red', 'green', 'blue']>`.
 */
export type MultiSelect<T> = T[] | string[] | number[];

/** What a {@link Tuple} may hold. */
export type SupportedTupleType = string | number;

/** A pair of values, for example a key and its value; a default given in JSON arrives as a plain list. */
export type Tuple<T extends [SupportedTupleType, SupportedTupleType]> = T | SupportedTupleType[];

/** The AWS regions the wizard offers; `'*'` allows any region. */
export type AWS_REGIONS =
  | 'af-south-1'
  | 'ap-east-1'
  | 'ap-northeast-1'
  | 'ap-northeast-2'
  | 'ap-northeast-3'
  | 'ap-south-1'
  | 'ap-south-2'
  | 'ap-southeast-1'
  | 'ap-southeast-2'
  | 'ap-southeast-3'
  | 'ap-southeast-4'
  | 'ca-central-1'
  | 'cn-north-1'
  | 'cn-northwest-1'
  | 'eu-central-1'
  | 'eu-central-2'
  | 'eu-north-1'
  | 'eu-south-1'
  | 'eu-south-2'
  | 'eu-west-1'
  | 'eu-west-2'
  | 'eu-west-3'
  | 'me-central-1'
  | 'me-south-1'
  | 'sa-east-1'
  | 'us-east-1'
  | 'us-east-2'
  | 'us-west-1'
  | 'us-west-2'
  | '*';

/**
 * A region picker limited to the listed regions; the value is the region's code.
 * @example region: Region<['us-east-1', 'us-west-2']>
 */
export type Region<T extends AWS_REGIONS[]> = T | string;

/** The value types a dynamic key-value element may hold. */
export type SupportedDynamic = Tuple<[SupportedTupleType, SupportedTupleType]> | string | number;

/** A value with display hints for the wizard, given in the blueprint's defaults. */
export type SimpleDynamicElement<Element extends SupportedDynamic> = {
  /** The value. */
  element: Element;
  /** The user cannot remove it. @default false */
  required?: boolean;
  /** Text shown with it. @default none */
  description?: string;
  /** A pattern the key must match. @default none */
  keyRegex?: string;
  /** A pattern the value must match. @default none */
  valueRegex?: string;
};

/** How the wizard shows a {@link DynamicKVInput}. */
export type DISPLAY_COMPONENT_TYPE = 'string' | 'number' | 'checkbox' | 'dropdown' | 'textarea' | 'label' | 'region' | 'environment';

/** A role an `environment` input asks the user to connect. */
export type RoleInput = {
  /** The role's key. */
  name: string;
  /** A readable name. @default the name */
  displayName?: string;
  /** A description. @default none */
  description?: string;
  /** The capabilities the role needs, shown to the user. */
  capabilities: string[];
  /** The trust policy the role needs, shown to the user. @default none */
  trustPolicy?: string;
  /** The inline policy the role needs, shown to the user. @default none */
  inlinePolicy?: string;
};

/** An account connection an `environment` input asks the user for. */
export type AccountConnectionInput = {
  /** The connection's key. */
  name: string;
  /** A description. @default none */
  description?: string;
  /** The roles it needs. @default none */
  roles?: RoleInput[];
};

/** One input of a dynamic wizard section ({@link KVSchema}): a key, its value, and how to show it. */
export type DynamicKVInput = {
  /** The key the value is stored under. */
  key: string;
  /** The value (the default, until the user changes it). */
  value: string | number | boolean | string[] | any | null;
  /** The kind of input. @default 'string' */
  displayType?: DISPLAY_COMPONENT_TYPE | string;
  /** The choices of a `dropdown` (or of a `region` input). @default none */
  possibleValues?: string[];
  /** The user may leave it empty. @default false */
  optional?: boolean;
  /** Several choices may be picked (`dropdown` and `region`). @default false */
  multiselect?: boolean;
  /** The label shown. @default the key */
  displayName?: string;
  /** Text shown with it. @default none */
  description?: string;
  /** A pattern a `string` input must match. @default none */
  validationRegex?: string;
  /** Shown when the input does not match `validationRegex`. @default none */
  validationMessage?: string;
  /** Shown in an empty input. @default none */
  placeholderText?: string;
  /** Number of random digits the wizard appends to the value. @default none */
  defaultEntropy?: number;
  /** Hidden from the user. @default false */
  hidden?: boolean;
  /** Collapsed at first. @default false */
  collapsed?: boolean;
  /** Settings of an `environment` input. @default none */
  environmentOptions?: {
    /** The account connections it asks for. @default none */
    accountConnections?: AccountConnectionInput[];
    /** Show the environment's name input. @default false */
    showName?: boolean;
    /** Show the name read-only. @default false */
    readOnlyName?: boolean;
    /** Show the environment type picker. @default false */
    showEnvironmentType?: boolean;
  };
};

/** A dynamic wizard section: a list of inputs. */
export type KVSchema = DynamicKVInput[];

/** Every kind of dynamic wizard section. */
export type OptionsSchemaType = KVSchema;

/**
 * An option whose wizard section is described at synthesis time by a schema with the given identifier;
 * its value is whatever the section returns, undefined until the user has filled it in.
 */
export type OptionsSchemaDefinition<Identifier extends string, SchemaType extends OptionsSchemaType, ReturnType extends any = any> =
  [Identifier, SchemaType] extends [string, OptionsSchemaType] ? ReturnType | undefined : ReturnType | undefined;
