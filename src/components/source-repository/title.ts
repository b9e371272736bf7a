import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../../blueprint/errors';

/** Characters the SDK drops from a repository title (a repository name may not contain them). */
const DROPPED = /[!?@#$%^&*()+={}[\]|\\/><~`'";: ]/g;

/** The SDK caps a repository title at this many characters. */
export const MAX_TITLE_LENGTH = 100;

/**
 * Cleans a repository title the way the SDK does: drops the characters a repository name may not
 * contain and caps the length. Unlike the SDK, a title with nothing valid left (or only dots, which
 * would name the bundle's own folders) is an error rather than a folder named '' or '..'.
 */
export function cleanRepositoryTitle(title: string): string {
  const cleaned = String(title).replace(DROPPED, '').substring(0, MAX_TITLE_LENGTH);
  if (cleaned === '' || /^\.+$/.test(cleaned)) {
    throw new BlueprintSynthesisError({
      message: `SourceRepository: title '${title}' has no valid characters left after cleaning (got '${cleaned}')`,
      type: BlueprintSynthesisErrorTypes.ValidationError,
    });
  }
  return cleaned;
}
