import { makeBlueprint, tempDir } from '../util';

/** A blueprint whose Options use every kind of type and every wizard tag. */
export const KITCHEN_SINK = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, Selector, MultiSelect, Tuple, Region, KVSchema,
  DynamicKVInput, OptionsSchemaDefinition, SourceRepository } from 'bluesynth';
import { AccountConnection, EnvironmentDefinition, Role } from 'bluesynth/components/environment';
import { SecretDefinition } from 'bluesynth/components/secret/definition';

type Runtime = 'nodejs' | 'python';

/** A nested section. */
interface Database {
  /**
   * The engine.
   * @displayName Engine
   */
  engine: 'postgres' | 'mysql';
  /** Its size in GB. */
  sizeGb?: number;
}

/**
 * What the wizard asks.
 * @requires @example/other-blueprint
 * @requires @example/third-blueprint
 */
export interface Options extends ParentOptions {
  /**
   * The repository to create.
   * @displayName 'Repository name'
   * @validationRegex /^[a-z][a-z0-9-]{1,30}$/
   * @validationMessage Lower-case letters, digits and dashes.
   * @placeholder my-repo
   * @defaultEntropy 5
   * @someTeamTag reviewed by platform
   */
  repositoryName: string;
  /** @validationRegex /^[A-Z]+$/i */
  caseless?: string;
  /** @validationRegex .* */
  bare?: string;
  /** @hidden */
  hiddenFlag?: boolean;
  /** @hidden true */
  hiddenString?: string;
  /** @readOnly */
  fixed?: string;
  /** @textArea 15 */
  notes?: string;
  /** @button */
  rebuild?: boolean;
  /**
   * Explicit description.
   * @description Overrides the text.
   */
  described?: string;
  /** @default 3 */
  replicas?: number;
  count: number;
  enabled: boolean;
  runtime: Runtime;
  tags: string[];
  pair: [string, number];
  /** @collapsed false */
  database: Database;
  /** @collapsed */
  inline: { a: string; b?: boolean };
  /** @filter /^web-/ */
  repository: Selector<SourceRepository>;
  colours: MultiSelect<'red' | 'green'>;
  /** The SDK's own example writes the choices as a tuple. */
  sizes?: MultiSelect<['S', 'M', 'L']>;
  /** Sized as {@link Database} is, see {@link Database | the database} or {@link https://example.com/db}. */
  linked?: string;
  repositories: MultiSelect<SourceRepository>;
  mapping: Tuple<[string, number]>;
  mappings: Tuple<[string, string]>[];
  region: Region<['us-east-1', 'eu-west-1']>;
  anyRegion: Region<['*']>;
  kv: KVSchema;
  inputs: DynamicKVInput[];
  dynamic: OptionsSchemaDefinition<'myDynamicSection', KVSchema>;
  /**
   * Where it deploys.
   * @showName true
   * @showEnvironmentType
   */
  environment: EnvironmentDefinition<{
    /**
     * The account.
     * @displayName AWS account
     */
    account: AccountConnection<{
      /**
       * The deploy role.
       * @inlinePolicy ./policies/inline.json
       * @trustPolicy ./policies/trust.json
       */
      deployRole: Role<['CodeCatalyst', 'CloudFormation']>;
    }>;
  }>;
  secret: SecretDefinition;
}

export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
  }
}
`;

/** The kitchen-sink blueprint in a fresh folder, with defaults that satisfy it. */
export function kitchenSink(defaults: Record<string, unknown> = KITCHEN_SINK_DEFAULTS, extra: Record<string, string> = {}): string {
  return makeBlueprint(tempDir(), KITCHEN_SINK, {
    'src/defaults.json': JSON.stringify(defaults, null, 2),
    'src/policies/inline.json': '{ "Version": "2012-10-17", "Statement": [] }',
    'src/policies/trust.json': '{ "Version": "2012-10-17" }',
    ...extra,
  });
}

export const KITCHEN_SINK_DEFAULTS = {
  repositoryName: 'web-app',
  count: 2,
  enabled: true,
  runtime: 'nodejs',
  tags: ['a'],
  pair: ['x', 1],
  database: { engine: 'postgres' },
  inline: { a: 'x' },
  repository: 'web-main',
  colours: ['red'],
  repositories: [],
  mapping: ['k', 1],
  mappings: [['a', 'b']],
  region: 'us-east-1',
  anyRegion: 'ap-south-2',
  kv: [],
  inputs: [],
  dynamic: null,
  environment: { name: 'prod', environmentType: 'PRODUCTION' },
  secret: { name: 'token' },
};
