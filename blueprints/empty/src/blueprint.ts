import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
import defaults from './defaults.json';

/**
 * The options of the empty blueprint.
 */
export interface Options extends ParentOptions {
  /**
   * The name of the repository to create.
   * @displayName Repository name
   * @validationRegex /^[a-zA-Z0-9_.-]{1,100}$/
   * @validationMessage Use 1-100 letters, digits, '.', '_' or '-'.
   */
  repositoryName: string;

  /**
   * One line that says what the project is for.
   * @displayName Description
   */
  description?: string;
}

/**
 * The smallest useful blueprint: one source repository holding a README.
 */
export class Blueprint extends ParentBlueprint {
  constructor(options_: Options) {
    super(options_);
    const options: Options = { ...defaults, ...options_ };
    const repository = new SourceRepository(this, { title: options.repositoryName });
    new SourceFile(repository, 'README.md', `# ${options.repositoryName}\n\n${options.description ?? ''}\n`);
  }
}
