import { Component } from 'projen/lib/component';
import type { Blueprint } from '../../blueprint/blueprint';
import { DEFAULT_FILE_MODE } from '../../bundle/file-map';
import { FolderSink } from '../../bundle/sink';

/**
 * A dynamic section of the wizard, described at synthesis time: the blueprint gives the inputs (a list of
 * `DynamicKVInput`s, the SDK's `KVSchema`) under an identifier, and an option typed
 * `OptionsSchemaDefinition<'identifier', KVSchema>` receives what the user filled in.
 *
 * Writes the schema as compact JSON to `<context.wizardOptionsPath>/<identifier>` (the bundle's `options/`
 * folder unless `WIZARD_OPTIONS_ABS` says otherwise), where the SDK writes it.
 *
 * @example new OptionsSchema(this, 'deployment', [{ key: 'region', value: 'us-west-2', displayType: 'region' }]);
 */
// The element type is structural (not `DynamicKVInput`) because the wizard types live in the schema layer, above this one.
export class OptionsSchema<T extends readonly object[]> extends Component {
  /**
   * @param blueprint the blueprint the section belongs to
   * @param identifier the section's name, a file name inside the wizard options folder
   * @param schema the section's inputs
   */
  constructor(protected readonly blueprint: Blueprint, protected readonly identifier: string, protected readonly schema: T) {
    super(blueprint);
  }

  /** Writes the schema file. */
  override synthesize(): void {
    // The folder is the bundle's options/ by default, but WIZARD_OPTIONS_ABS may name another: a sink of its own,
    // which also refuses an identifier that would climb out of it.
    const folder = new FolderSink(this.blueprint.context.wizardOptionsPath, { what: `OptionsSchema '${this.identifier}'` });
    folder.write(this.identifier, { buffer: Buffer.from(JSON.stringify(this.schema)), mode: DEFAULT_FILE_MODE });
  }
}
