import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../../blueprint/errors';

/** Characters the SDK drops from a repository title (a repository name may not contain them). */
const BAD_REPOSITORY_CHARACTERS = ['!', '?', '@', '#', '$', '%', '^', '&', '*', '(', ')', '+', '=', '{', '}', '[', ']', '|', '\\', '/', '>', '<', '~', '`', "'", '"', ';', ':', ' '];

/** The SDK caps a repository title at this many characters. */
export const MAX_TITLE_LENGTH = 100;

/** How {@link makeValidFolder} cleans a name. */
export interface MakeValidFolderOptions {
  /**
   * Accepted for the SDK's signature; the SDK ignores it too.
   * @default undefined
   */
  readonly separator?: string;
  /**
   * The length the cleaned name is cut to.
   * @default 100
   */
  readonly maxlength?: number;
  /**
   * The characters dropped from the name.
   * @default the characters a repository name may not contain
   */
  readonly invalidChars?: string[];
}

/**
 * The SDK's `makeValidFolder`: drops the characters a repository name may not contain (or `invalidChars`) and
 * cuts the rest to `maxlength`. Blueprints call it on titles and folder names of their own (the SDK's web-app
 * blueprint does); unlike {@link cleanRepositoryTitle} it never fails, and may return ''.
 */
export function makeValidFolder(name: string, options: MakeValidFolderOptions = {}): string {
  const { maxlength = MAX_TITLE_LENGTH, invalidChars = BAD_REPOSITORY_CHARACTERS } = options;
  if (invalidChars.length === 0) return name.substring(0, maxlength);
  // Every character escaped, so that ']', '^', '-' or '\\' in a custom list mean themselves inside the class.
  const dropped = new RegExp(`[${invalidChars.map(char => char.replace(/[\\\]^-]/g, '\\$&')).join('')}]`, 'g');
  return name.replace(dropped, '').substring(0, maxlength);
}

/**
 * Cleans a repository title the way the SDK does: drops the characters a repository name may not
 * contain and caps the length. Unlike the SDK, a title with nothing valid left (or only dots, which
 * would name the bundle's own folders) is an error rather than a folder named '' or '..', and so is none at all
 * (`undefined`, `null`), which the SDK fails on with a TypeError.
 */
export function cleanRepositoryTitle(title: string): string {
  if (title === undefined || title === null) {
    // String(title) made a repository named 'undefined' without a word (the SDK fails on it with a TypeError);
    // the usual cause is a required option the defaults leave out, which validation only warns of.
    throw new BlueprintSynthesisError({
      message: `SourceRepository: title is ${title}: give the repository a name (an option the title is read from may be missing from src/defaults.json)`,
      type: BlueprintSynthesisErrorTypes.ValidationError,
    });
  }
  const cleaned = makeValidFolder(String(title));
  if (cleaned === '' || /^\.+$/.test(cleaned)) {
    throw new BlueprintSynthesisError({
      message: `SourceRepository: title '${title}' has no valid characters left after cleaning (got '${cleaned}')`,
      type: BlueprintSynthesisErrorTypes.ValidationError,
    });
  }
  return cleaned;
}
