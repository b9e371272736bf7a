import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
import defaults from './defaults.json';

/**
 * The options of this blueprint. The wizard shows one input per property: the doc comment is its help
 * text and the tags say how to show and check it (see the README). Every required option needs a value
 * in src/defaults.json.
 */
export interface Options extends ParentOptions {
  /**
   * The name of the source repository to create.
   * @displayName Repository name
   * @validationRegex /^[a-zA-Z0-9_.-]{1,100}$/
   * @validationMessage Use 1 to 100 letters, digits, '.', '_' or '-'.
   */
  repositoryName: string;

  /**
   * One or two sentences on what the project is for. They open the README.
   * @displayName Description
   * @textArea 3
   */
  description: string;

  /**
   * The language of the starter code.
   * @displayName Language
   */
  language: 'typescript' | 'python';

  /**
   * Settings most projects leave alone.
   * @displayName Advanced
   * @collapsed
   */
  advanced?: {
    /**
     * Also generate a CONTRIBUTING.md.
     * @displayName Contributing guide
     */
    contributing?: boolean;
  };
}

/**
 * The blueprint: its constructor turns the options into components, and each component writes files
 * into the bundle when the blueprint is synthesized.
 */
export class Blueprint extends ParentBlueprint {
  constructor(options_: Options) {
    super(options_);
    const options = { ...defaults, ...options_ } as Options;
    // When `blueprint update` brings a project to a new version of this blueprint, a file both sides changed is
    // three-way merged, as `git merge` does, and lines both changed are left as conflicts for the project's
    // developers; JSON and YAML files are merged by their values first (a project that reformatted package.json
    // still takes the new version's dependencies). The SDK's default (`preferProposed`) lets this blueprint's lines
    // win without a word to them. A file can have another strategy: `repository.setResynthStrategies(...)` or the
    // project's `.ownership-file`.
    this.setResynthFallback('structuredMerge');

    const repository = new SourceRepository(this, { title: options.repositoryName });
    // static-assets/ is copied with Mustache substitution: {{{repositoryName}}} becomes the option's value as it
    // is; {{repositoryName}} would escape it for HTML (`&` as `&amp;`), which is wrong in Markdown or code.
    repository.copyStaticFiles({ substitute: { repositoryName: options.repositoryName, description: options.description } });

    if (options.language === 'python') {
      new SourceFile(repository, 'main.py', `print("Hello from ${options.repositoryName}")\n`);
    } else {
      new SourceFile(repository, 'src/main.ts', `console.log('Hello from ${options.repositoryName}');\n`);
    }
    if (options.advanced?.contributing) {
      new SourceFile(repository, 'CONTRIBUTING.md', `# Contributing to ${options.repositoryName}\n\nOpen a pull request.\n`);
    }
  }
}
