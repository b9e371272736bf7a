/**
 * The environment types a blueprint declares in its `Options`; the wizard fills them in with the
 * environment, accounts and roles the user picks. The shapes are the SDK's.
 */

/** An IAM role of a connected account. */
export interface Role<Capabilities extends any[]> {
  /** What the role must be able to do, for example `['CodeCatalyst', 'CloudFormation']`. */
  capabilities: Capabilities | any[]; // `any[]`: a tuple type alone does not accept the wizard's plain arrays
  /** The role's ARN, for example `arn:aws:iam::123456789012:role/deploy`. */
  arn: string;
  /** A readable name. */
  name: string;
}

/** An AWS account connected to an environment; every key besides `id` and `name` is one of its roles. */
export type AccountConnection<T extends { [key: string]: Role<any> }> = Partial<T> & {
  /** The account's number. */
  id: string;
  /** A readable name. */
  name: string;
};

/** An environment; every key besides `name`, `environmentType` and `description` is an account connection. */
export type EnvironmentDefinition<T extends { [key: string]: AccountConnection<any> }> = Partial<T> & {
  /** The environment's name. */
  name: string;
  /** `DEVELOPMENT` or `PRODUCTION`. */
  environmentType: 'DEVELOPMENT' | 'PRODUCTION' | string;
  /** A description. @default the name */
  description?: string;
};
