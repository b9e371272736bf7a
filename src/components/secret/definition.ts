/**
 * A secret the project needs: the wizard asks the user for its value, and a workflow reads it as
 * `${Secrets.<name>}`.
 */
export type SecretDefinition = {
  /** The secret's name: 3 to 255 letters and digits, joined by single `-` or `_`. */
  name: string;
  /** A description, up to 1,000 characters. @default none */
  description?: string;
};
