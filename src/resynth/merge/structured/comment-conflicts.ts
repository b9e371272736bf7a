/**
 * Comments are not part of a parsed value, so the merge of values cannot see them conflict. Where the
 * line merge conflicts because one side changed only comment lines (commented code out, wrote a note)
 * and the other side changed values on those lines, the comment is very likely about those values (a
 * service commented out on one side while the other updated it): taking the values and keeping the
 * comment beside them would silently undo what the first side meant, so the line merge's conflict stands.
 */
import { createScanner, SyntaxKind } from 'jsonc-parser';
import { MergeConflict } from '../types';
import { StructuredFormat } from './format';

/**
 * Whether a conflict hunk of the line merge is comments (and blank lines) only on one side and holds
 * value lines on the other. (The hunk's ancestor lines are not compared: in git's default style they are
 * the region the hunk was refined from, not the hunk's own.)
 */
export function isCommentConflict(conflict: MergeConflict, format: StructuredFormat): boolean {
  const onlyComments = (lines: readonly string[]) => lines.some(line => isComment(line, format)) && valueLines(lines, format).length === 0;
  return (onlyComments(conflict.existing) && valueLines(conflict.proposed, format).length > 0)
    || (onlyComments(conflict.proposed) && valueLines(conflict.existing, format).length > 0);
}

/** The three sides of a file as decoded text. */
interface SideTexts {
  readonly ancestor: string;
  readonly existing: string;
  readonly proposed: string;
}

/**
 * The checks of a conflict hunk that compare its lines with the whole sides (a hunk's own ancestor lines are not
 * known in git's default style), with what they read of the sides worked out once per file: they run for every
 * hunk, and a file may have thousands (worked out per hunk, a 16,000-line YAML file with 2,000 conflicts took a
 * minute before its merge began).
 */
export interface CommentHunkChecks {
  /**
   * Whether a conflict hunk of the line merge holds no value line on either side, and on both a comment line of
   * that side's own (not in the ancestor, blanks around it aside): both sides wrote their own notes at one place
   * (in bitnami/charts' values.yaml, each branch a commented-out option above the same key). The merge of values
   * sees no change there and would keep the existing side's lines, dropping the proposed side's comments without
   * a trace. (Where one side only removed comment lines, or only re-spaced them, the other side's stay, as a
   * comment the existing side wrote always does.)
   */
  commentsOnly(conflict: MergeConflict): boolean;
  /**
   * Whether a conflict hunk of the line merge holds the same value lines on both sides (their comments aside) and on
   * both a comment of that side's own, a whole line or the end of a value line the ancestor does not have: both
   * sides wrote notes at one place beside values neither changed there (appwrite's docker-compose.yml: one branch
   * ended `command:` with a note, the other added a commented-out command below it). The merge of values keeps the
   * existing side's lines there, dropping the proposed side's note, as {@link commentsOnly} says of notes alone.
   */
  notesBesideValues(conflict: MergeConflict): boolean;
  /**
   * The line (trimmed) of a conflict hunk of the line merge with which one side commented out a value line of the
   * ancestor (`user: root` made `#user: root`: that side's text has fewer such value lines than the ancestor) that
   * the other side changed or removed in the hunk (renamed `remote_user: root`), if there is one: the comment is
   * about that value (the side meant it gone), so taking the other side's change beside it would put back what it
   * turned off. (A hunk of comments only on that side is {@link isCommentConflict}'s.)
   */
  commentedOutLine(conflict: MergeConflict): string | undefined;
  /**
   * The value line (trimmed) of a conflict hunk of the line merge on which one side only added or changed the
   * comment at its end (`image: node:18 # pinned: 20 breaks our addon`) while the other side changed that
   * value or removed the line, if there is one: the comment is about the value, so it counts as a change of
   * that member, and taking the other side's value beside it (or removing it with the member) would undo what
   * it says.
   */
  trailingCommentLine(conflict: MergeConflict): string | undefined;
}

/** {@link CommentHunkChecks} of a file whose sides are `texts`. */
export function commentHunkChecks(texts: SideTexts, format: StructuredFormat): CommentHunkChecks {
  const ancestorLines = new Set(texts.ancestor.split(/\r?\n/).map(line => line.trim()));

  // In JSONC the comma after a member is no part of it.
  const plain = (line: string) => (format === 'json' ? line.trim().replace(/,$/, '') : line.trim());
  const valueCounts = (text: string) => {
    const counts = new Map<string, number>();
    for (const line of text.split(/\r?\n/)) if (line.trim() !== '' && !isComment(line, format)) counts.set(plain(line), (counts.get(plain(line)) ?? 0) + 1);
    return counts;
  };
  const values = { ancestor: valueCounts(texts.ancestor), existing: valueCounts(texts.existing), proposed: valueCounts(texts.proposed) };

  // Lines compared with the blanks before their comment as one: a formatter's spacing (yamllint's two blanks
  // before `#`) is no new comment about the value.
  // In JSONC the comma is no part of the value or of the comment, wherever it stands: after the value
  // (`"n": 1, // note`), after a block comment (`"n": 1 /* note */,`), or not at all after the last member.
  const valueOf = (line: string) => format === 'json' ? withoutTrailingComment(line, format).replace(/\s*,$/, '') : withoutTrailingComment(line, format);
  const spaced = (line: string) => {
    const trimmed = line.trim();
    const value = withoutTrailingComment(trimmed, format);
    if (value === trimmed) return format === 'json' ? valueOf(trimmed) : trimmed;
    const comment = trimmed.slice(value.length).trim();
    return format === 'json' ? `${valueOf(trimmed)} ${comment.replace(/^,\s*/, '').replace(/\s*,$/, '')}` : `${value} ${comment}`;
  };
  const spacedAncestorLines = new Set(texts.ancestor.split(/\r?\n/).map(spaced));
  const spacedAncestorValues = new Set([...spacedAncestorLines].map(valueOf));

  return {
    commentsOnly(conflict) {
      const ownComment = (line: string) => isComment(line, format) && !ancestorLines.has(decoded(line).trim());
      return [conflict.existing, conflict.proposed].every(lines => valueLines(lines, format).length === 0 && lines.some(ownComment));
    },

    notesBesideValues(conflict) {
      const [existing, proposed] = [conflict.existing.map(decoded), conflict.proposed.map(decoded)];
      const bare = (lines: string[]) => valueLines(lines, format).map(line => valueOf(spaced(line)));
      const [valuesOfExisting, valuesOfProposed] = [bare(existing), bare(proposed)];
      const own = (line: string) => (isComment(line, format)
        ? !ancestorLines.has(line.trim())
        : line.trim() !== '' && withoutTrailingComment(line.trim(), format) !== line.trim() && !spacedAncestorLines.has(spaced(line)));
      return valuesOfExisting.length > 0 && valuesOfExisting.length === valuesOfProposed.length
        && valuesOfExisting.every((value, i) => value === valuesOfProposed[i]) && existing.some(own) && proposed.some(own);
    },

    commentedOutLine(conflict) {
      const sides = [
        { commenting: conflict.existing.map(decoded), whole: values.existing, other: conflict.proposed.map(decoded) },
        { commenting: conflict.proposed.map(decoded), whole: values.proposed, other: conflict.existing.map(decoded) },
      ];
      for (const { commenting, whole, other } of sides) {
        const others = new Set(other.filter(line => !isComment(line, format)).map(plain));
        const found = commenting.find(line => {
          if (!isComment(line, format) || ancestorLines.has(line.trim())) return false;
          const uncommented = plain(line.trim().replace(format === 'json' ? /^\/\/\s*/ : /^#\s*/, ''));
          return uncommented !== '' && (whole.get(uncommented) ?? 0) < (values.ancestor.get(uncommented) ?? 0) && !others.has(uncommented);
        });
        if (found !== undefined) return found.trim();
      }
      return undefined;
    },

    trailingCommentLine(conflict) {
      const commentOnly = (line: string) => {
        const trimmed = spaced(line);
        const value = valueOf(trimmed);
        // A line with no comment on it.
        if (withoutTrailingComment(trimmed, format) === trimmed) return undefined;
        return value !== '' && !spacedAncestorLines.has(trimmed) && spacedAncestorValues.has(value) ? value : undefined;
      };
      const [existing, proposed] = [conflict.existing.map(decoded), conflict.proposed.map(decoded)];
      for (const [commented, other] of [[existing, proposed], [proposed, existing]]) {
        const found = commented.find(line => {
          const value = commentOnly(line);
          if (value === undefined) return false;
          // The other side's version of that line: unchanged, or the same comment, leaves the comment to the merge of values.
          const theirs = other.map(spaced).find(candidate => valueOf(candidate) === value);
          return theirs === undefined || !(spacedAncestorLines.has(theirs) || theirs === spaced(line));
        });
        if (found !== undefined) return found.trim();
      }
      return undefined;
    },
  };
}

/** A hunk's line, a latin1 record of the file's bytes, as the decoded text the sides are. */
function decoded(line: string): string {
  return Buffer.from(line, 'latin1').toString('utf8');
}

/**
 * A trimmed line without the comment at its end (and the blanks before it): `#` after a blank in YAML, `//`
 * or `/*` in JSONC, outside quoted strings.
 */
function withoutTrailingComment(line: string, format: StructuredFormat): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || (c === '\'' && format === 'yaml' && /(^|[\s:[{,-])$/.test(line.slice(0, i)))) {
      quote = c;
    } else if (format === 'yaml' ? c === '#' && (i === 0 || /\s/.test(line[i - 1])) : c === '/' && (line[i + 1] === '/' || line[i + 1] === '*')) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line;
}

function isComment(line: string, format: StructuredFormat): boolean {
  return (format === 'yaml' ? /^#/ : /^(\/\/|\/\*|\*)/).test(line.trim());
}

/** The lines that are neither blank nor comments (`#` in YAML; `//`, `/*`, `*` in JSONC). */
function valueLines(lines: readonly string[], format: StructuredFormat): string[] {
  return lines.filter(line => line.trim() !== '' && !isComment(line, format));
}

/**
 * A whole comment line the existing side wrote (it has more lines like it than the ancestor) that `result`
 * has fewer of than that side added, if any: the structured merge edits the existing text, and an edit that
 * removes an entry takes the comment lines above it along, so one the project's developers wrote about an
 * entry the other side removed would be lost without a trace. (The ancestor's comments may go: the other
 * side's edits decide about them, and the proposed side's comment-only changes are not carried over.)
 */
export function lostCommentLine(format: StructuredFormat, ancestor: string, existing: string, result: string): string | undefined {
  const inAncestor = commentLineCounts(ancestor, format);
  const inResult = commentLineCounts(result, format);
  for (const [line, count] of commentLineCounts(existing, format)) {
    if ((inResult.get(line) ?? 0) < count - (inAncestor.get(line) ?? 0)) return line;
  }
  return undefined;
}

/** How many times each whole comment line (trimmed) occurs in a text. */
function commentLineCounts(text: string, format: StructuredFormat): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (isComment(trimmed, format)) counts.set(trimmed, (counts.get(trimmed) ?? 0) + 1);
  }
  return counts;
}

/**
 * A comment that a side wrote (it has more comments like it than the ancestor: a whole line, the end of a value's
 * line, a block comment over several lines) that `result` has fewer of than that side added, if any. A conflict's
 * markers show each side's lines: where its side is the existing text with that side's value set in place, a
 * comment of that side's own may be missing.
 */
export function lostSideComment(format: StructuredFormat, ancestor: string, side: string, result: string): string | undefined {
  const counts = (text: string) => {
    const found = new Map<string, number>();
    for (const comment of format === 'json' ? jsonComments(text) : yamlComments(text)) found.set(comment, (found.get(comment) ?? 0) + 1);
    return found;
  };
  const [inAncestor, inResult] = [counts(ancestor), counts(result)];
  for (const [comment, count] of counts(side)) {
    if ((inResult.get(comment) ?? 0) < count - (inAncestor.get(comment) ?? 0)) return comment;
  }
  return undefined;
}

/** The comments of a JSONC text, each line of a block comment trimmed (it may be moved to another indentation). */
function jsonComments(text: string): string[] {
  const comments: string[] = [];
  const scanner = createScanner(text, false);
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
      comments.push(scanner.getTokenValue().split(/\r?\n/).map(line => line.trim()).join('\n'));
    }
  }
  return comments;
}

/** The comments of a YAML text: whole comment lines and those at the end of a line, trimmed. */
function yamlComments(text: string): string[] {
  return text.split(/\r?\n/).map(line => {
    const trimmed = line.trim();
    return trimmed.slice(withoutTrailingComment(trimmed, 'yaml').length).trim();
  }).filter(comment => comment !== '');
}
