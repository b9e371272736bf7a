/**
 * Seeded random JSON/JSONC and YAML documents in the shapes people write by hand and tools leave behind
 * (comments in odd places, trailing commas, `{}` against `{ }`, number and string spellings, anchors, block
 * scalars, several documents, CRLF, a byte order mark, no final newline), and random edits of them by two
 * sides. A document is a tree of nodes, each with a stable id: a node's layout choices are drawn from its id,
 * so the three sides write what they did not change byte for byte alike, and what they changed their own way.
 */
import { seededRandom } from '../random-edits';

/** A scalar as written: its spelling in the file (the value is what the file's parser makes of it). */
export interface ScalarNode { readonly kind: 'scalar'; readonly id: number; readonly text: string }
/** A multi-line YAML string (`|`, `>` with chomping) or, in JSON, a string of several escaped lines. */
export interface BlockNode { readonly kind: 'block'; readonly id: number; readonly header: string; lines: string[] }
/** A YAML alias of an anchored node (`*a1`): never edited, never an anchor's only reader removed first. */
export interface AliasNode { readonly kind: 'alias'; readonly id: number; readonly anchor: string }
export interface MemberNode { key: string; value: TreeNode; readonly id: number }
export interface ObjectNode { readonly kind: 'object'; readonly id: number; members: MemberNode[]; anchor?: string; tag?: string }
export interface ArrayNode { readonly kind: 'array'; readonly id: number; items: TreeNode[]; anchor?: string; tag?: string }
export type TreeNode = ScalarNode | BlockNode | AliasNode | ObjectNode | ArrayNode;

/** A generated file: its tree (a YAML stream: one object per document) and the file-wide layout. */
export interface FuzzDocument {
  readonly format: 'json' | 'yaml';
  readonly seed: number;
  /** JSONC: comments and (where `trailingCommas`) trailing commas. */
  readonly jsonc: boolean;
  readonly trailingCommas: boolean;
  readonly indent: string;
  readonly eol: '\n' | '\r\n';
  readonly bom: boolean;
  readonly finalNewline: boolean;
  /** YAML: a block sequence under a key is indented (`key:\n  - x`) or not (`key:\n- x`). */
  readonly indentSequences: boolean;
  /** YAML: several documents separated by `---`. */
  readonly stream: boolean;
  roots: ObjectNode[];
}

export type Random = () => number;
const pick = <T>(rand: Random, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const chance = (rand: Random, p: number) => rand() < p;

/** A number from 0 to 1 drawn from a node's id and the file's seed: the same on every side. */
function hashed(seed: number, id: number, salt: number): number {
  return seededRandom((seed * 7919) ^ (id * 104729) ^ (salt * 1299709))();
}

const JSON_NUMBERS = ['0', '1', '42', '-1', '1.0', '1e3', '-0', '2.50', '1E-2', '-1.5e+2', '0.1', '123456789'];
const JSON_STRINGS = ['"x"', '"y"', '"a b"', '"Café"', '"Caf\\u00e9"', '"\\ud83d\\ude00"', '"😀"', '"tab\\there"', '"quote \\" in"', '"back\\\\slash"', '"/path/\\/x"', '""', '"日本語"', '"\\u2028"', '"1.2.3"', '"^1.0.0"'];
const JSON_LITERALS = ['true', 'false', 'null'];
const YAML_SCALARS = ['0', '1', '42', '-1', '1.0', '1e3', '-0', '0x1F', '0o17', '.inf', '~', 'null', 'true', 'false', 'x', 'y', 'a b', 'Café',
  '"Caf\\u00e9"', "'it''s'", '"tab\\there"', '"1.2.3"', "'^1.0.0'", '日本語', 'node:18', '2024-01-01', '"quoted # not a comment"', 'a#b', "''", '""',
  '!Ref Bucket', '!!str 123', '!GetAtt Role.Arn', 'yes', 'on'];
const KEYS = ['a', 'b', 'c', 'd', 'e', 'name', 'version', 'run', 'image', 'clé', '日本', 'a b', '$ref', '503', 'x-y', '__proto__', 'constructor', 'with"quote', ''];

/** Where one side's edits went, and the other's: the containers each edited, and objects each only added a member to. */
export interface Claims { mine: Set<number>; theirs: Set<number>; touched: Set<number>; theirsTouched: Set<number> }

/** Generation and editing of documents, from one seed. */
export class FuzzGenerator {
  private nextId = 1;
  private anchors: string[] = [];
  /** Aliases only while the ancestor is generated: an edit could put one before its anchor. */
  private generating = true;
  readonly rand: Random;

  constructor(readonly seed: number) {
    this.rand = seededRandom(seed);
  }

  /** A random document: the ancestor. */
  document(format: 'json' | 'yaml'): FuzzDocument {
    const rand = this.rand;
    const jsonc = format === 'json' && chance(rand, 0.7);
    const stream = format === 'yaml' && chance(rand, 0.25);
    const roots = Array.from({ length: stream ? 2 + Math.floor(rand() * 2) : 1 }, () => this.object(format, 0, 3 + Math.floor(rand() * 5)));
    if (format === 'json' && chance(rand, 0.05)) {
      // Very deep nesting: a chain of objects a hundred deep, with a member at the bottom.
      let node: ObjectNode = this.object(format, 99, 2);
      for (let depth = 0; depth < 100; depth++) node = { kind: 'object', id: this.nextId++, members: [{ key: 'deep', value: node, id: this.nextId++ }] };
      roots[0].members.push({ key: 'deep', value: node, id: this.nextId++ });
    }
    this.generating = false;
    return {
      format, seed: this.seed, jsonc, stream, roots,
      trailingCommas: jsonc && chance(rand, 0.4),
      indent: format === 'json' ? pick(rand, ['  ', '    ', '\t']) : pick(rand, ['  ', '    ']),
      eol: chance(rand, 0.2) ? '\r\n' : '\n',
      bom: chance(rand, 0.1),
      finalNewline: chance(rand, 0.85),
      indentSequences: chance(rand, 0.5),
    };
  }

  /** A new node id. */
  id(): number {
    return this.nextId++;
  }

  scalar(format: 'json' | 'yaml'): ScalarNode {
    const rand = this.rand;
    const text = format === 'json'
      ? pick(rand, [...JSON_NUMBERS, ...JSON_STRINGS, ...JSON_LITERALS])
      : chance(rand, 0.03) ? `"${'long line '.repeat(20)}${Math.floor(rand() * 100)}"` : pick(rand, YAML_SCALARS);
    return { kind: 'scalar', id: this.nextId++, text: chance(rand, 0.15) ? (format === 'json' ? `"s${this.nextId}"` : `s${this.nextId}`) : text };
  }

  block(format: 'json' | 'yaml'): BlockNode {
    const rand = this.rand;
    const lines = Array.from({ length: 2 + Math.floor(rand() * 4) }, (_, i) => `${pick(rand, ['echo', 'npm run', 'make'])} step${i} ${Math.floor(rand() * 9)}`);
    return { kind: 'block', id: this.nextId++, header: format === 'json' ? '' : pick(rand, ['|', '|-', '|+', '>', '>-', '|2']), lines };
  }

  value(format: 'json' | 'yaml', depth: number): TreeNode {
    const rand = this.rand;
    const r = rand();
    if (depth < 3 && r < 0.2) return this.object(format, depth + 1, Math.floor(rand() * 4));
    if (depth < 3 && r < 0.38) return this.array(format, depth + 1, Math.floor(rand() * 4));
    if (format === 'yaml' && r < 0.46) return this.block(format);
    if (format === 'yaml' && r < 0.5 && this.generating && this.anchors.length) return { kind: 'alias', id: this.nextId++, anchor: pick(rand, this.anchors) };
    return this.scalar(format);
  }

  object(format: 'json' | 'yaml', depth: number, size: number): ObjectNode {
    const members: MemberNode[] = [];
    const used = new Set<string>();
    // A merge key comes first, so it may read only anchors written before this mapping.
    const earlier = this.anchors.slice();
    for (let i = 0; i < size; i++) {
      const key = this.freshKey(used);
      members.push({ key, value: this.value(format, depth), id: this.nextId++ });
    }
    if (format === 'yaml' && this.generating && depth > 0 && earlier.length && chance(this.rand, 0.15)) {
      // A merge key: the parser reads it as a key like any other (YAML 1.2), whose value reads the anchor.
      members.unshift({ key: '<<', value: { kind: 'alias', id: this.nextId++, anchor: pick(this.rand, earlier) }, id: this.nextId++ });
    }
    const node: ObjectNode = { kind: 'object', id: this.nextId++, members };
    if (format === 'yaml' && depth > 0 && chance(this.rand, 0.1)) {
      node.anchor = `a${node.id}`;
      this.anchors.push(node.anchor);
    }
    return node;
  }

  array(format: 'json' | 'yaml', depth: number, size: number): ArrayNode {
    const rand = this.rand;
    // Arrays of objects named by `name` (workflow steps) or of scalars.
    const named = chance(rand, 0.4);
    const items: TreeNode[] = Array.from({ length: size }, (_, i) => named ? this.namedObject(format, depth, i) : this.scalar(format));
    const node: ArrayNode = { kind: 'array', id: this.nextId++, items };
    if (format === 'yaml' && chance(rand, 0.05)) node.tag = '!Seq';
    return node;
  }

  namedObject(format: 'json' | 'yaml', depth: number, i: number): ObjectNode {
    const rest = this.object(format, depth + 1, Math.floor(this.rand() * 3));
    rest.members = rest.members.filter(member => member.key !== 'name');
    rest.members.unshift({ key: 'name', value: { kind: 'scalar', id: this.nextId++, text: format === 'json' ? `"step ${this.nextId}-${i}"` : `step ${this.nextId}-${i}` }, id: this.nextId++ });
    return rest;
  }

  freshKey(used: Set<string>): string {
    for (let tries = 0; tries < 5; tries++) {
      const key = chance(this.rand, 0.6) ? `k${this.nextId++}` : pick(this.rand, KEYS);
      if (!used.has(key)) {
        used.add(key);
        return key;
      }
    }
    const key = `k${this.nextId++}`;
    used.add(key);
    return key;
  }

  /** Every container in the tree with its parent chain of ids (for telling nested edits apart). */
  containers(doc: FuzzDocument): { node: ObjectNode | ArrayNode; ancestry: number[] }[] {
    const found: { node: ObjectNode | ArrayNode; ancestry: number[] }[] = [];
    const walk = (node: TreeNode, ancestry: number[]) => {
      if (node.kind === 'object') {
        found.push({ node, ancestry });
        node.members.forEach(member => walk(member.value, [...ancestry, node.id]));
      } else if (node.kind === 'array') {
        found.push({ node, ancestry });
        node.items.forEach(item => walk(item, [...ancestry, node.id]));
      }
    };
    doc.roots.forEach(root => walk(root, []));
    return found;
  }

  /**
   * Applies random edits to a copy of the document; with `claims`, only where the other side's edits are not:
   * a container the other side edited (its id in `theirs`), one inside it or holding one, is refused. With
   * `neighbours`, more edits, and members with new keys also go into objects the other side edited (`touched`:
   * they do not overlap its edits by value, but sit on the lines next to them, where git's merge conflicts).
   */
  edit(ancestor: FuzzDocument, claims?: Claims, neighbours = false): FuzzDocument {
    const doc = structuredClone(ancestor);
    const rand = this.rand;
    const count = neighbours ? 2 + Math.floor(rand() * 4) : 1 + Math.floor(rand() * 3);
    for (let n = 0; n < count; n++) {
      const all = this.containers(doc);
      if (claims && neighbours && chance(rand, 0.4)) {
        const objects = all.filter(({ node, ancestry }) => node.kind === 'object' && !ancestry.some(id => claims.theirs.has(id)));
        if (objects.length) {
          const { node } = pick(rand, objects);
          const members = (node as ObjectNode).members;
          members.splice(Math.floor(rand() * (members.length + 1)), 0, { key: `k${this.nextId++}`, value: this.value(doc.format, 2), id: this.nextId++ });
          claims.touched.add(node.id);
          continue;
        }
      }
      const taken = claims && new Set([...claims.theirs, ...claims.theirsTouched]);
      const candidates = all.filter(({ node, ancestry }) => !claims || !taken
        || (!claims.theirs.has(node.id) && !ancestry.some(id => claims.theirs.has(id)) && !this.under(doc, node, taken)));
      if (candidates.length === 0) break;
      const { node } = pick(rand, candidates);
      claims?.mine.add(node.id);
      this.editContainer(doc, node);
    }
    if (doc.stream && chance(rand, 0.1)) doc.roots.push(this.object(doc.format, 0, 2));
    return doc;
  }

  /** Whether a container holds (at any depth) a node whose id is in `ids`. */
  private under(doc: FuzzDocument, node: TreeNode, ids: Set<number>): boolean {
    if (node.kind === 'object') return node.members.some(member => ids.has(member.value.id) || this.under(doc, member.value, ids));
    if (node.kind === 'array') return node.items.some(item => ids.has(item.id) || this.under(doc, item, ids));
    return false;
  }

  private editContainer(doc: FuzzDocument, node: ObjectNode | ArrayNode): void {
    const rand = this.rand;
    const format = doc.format;
    const r = rand();
    const anchored = (value: TreeNode) => (value.kind === 'object' || value.kind === 'array') && value.anchor !== undefined
      || this.under(doc, value, new Set(this.anchorIds(doc)));
    if (node.kind === 'object') {
      const editable = node.members.filter(member => !anchored(member.value) && member.key !== 'name');
      if (r < 0.3 && editable.length) {
        const member = pick(rand, editable);
        if (member.value.kind === 'block' && chance(rand, 0.7)) this.editLines(member.value);
        else member.value = this.value(format, 2);
      } else if (r < 0.5 && editable.length) {
        node.members.splice(node.members.indexOf(pick(rand, editable)), 1);
      } else {
        const key = this.freshKey(new Set(node.members.map(member => member.key)));
        node.members.splice(Math.floor(rand() * (node.members.length + 1)), 0, { key, value: this.value(format, 2), id: this.nextId++ });
      }
    } else {
      const editable = node.items.filter(item => !anchored(item));
      const named = node.items.some(item => item.kind === 'object' && item.members[0]?.key === 'name');
      const fresh = () => named ? this.namedObject(format, 2, this.nextId) : this.scalar(format);
      if (r < 0.3 && editable.length) {
        const item = pick(rand, editable);
        const at = node.items.indexOf(item);
        if (item.kind === 'object' && item.members.length) {
          // A step changed inside: a member added or a value replaced.
          const inner = item.members.filter(member => member.key !== 'name');
          if (inner.length && chance(rand, 0.5)) pick(rand, inner).value = this.scalar(format);
          else item.members.push({ key: this.freshKey(new Set(item.members.map(member => member.key))), value: this.scalar(format), id: this.nextId++ });
        } else {
          node.items[at] = fresh();
        }
      } else if (r < 0.5 && editable.length) {
        node.items.splice(node.items.indexOf(pick(rand, editable)), 1);
      } else {
        node.items.splice(Math.floor(rand() * (node.items.length + 1)), 0, fresh());
      }
    }
  }

  private editLines(block: BlockNode): void {
    const rand = this.rand;
    const at = Math.floor(rand() * block.lines.length);
    if (chance(rand, 0.5)) block.lines[at] = `${block.lines[at]} --changed${this.nextId++}`;
    else block.lines.splice(at, 0, `echo inserted${this.nextId++}`);
  }

  private anchorIds(doc: FuzzDocument): number[] {
    return this.containers(doc).filter(({ node }) => node.anchor !== undefined).map(({ node }) => node.id);
  }
}

/** Writes a document as its format's text, bytes and all (BOM, line ends, final newline). */
export function render(doc: FuzzDocument): Buffer {
  const lines = doc.format === 'json' ? renderJson(doc) : renderYaml(doc);
  let text = lines.join(doc.eol);
  if (doc.finalNewline) text += doc.eol;
  return Buffer.from((doc.bom ? '\uFEFF' : '') + text, 'utf8');
}

// ---------------------------------------------------------------------------------------------- JSON

function jsonKey(doc: FuzzDocument, member: MemberNode): string {
  const key = JSON.stringify(member.key);
  // Some keys are written with an escape: the same key to a parser.
  return hashed(doc.seed, member.id, 1) < 0.2 ? key.replace(/é/g, '\\u00e9').replace(/^"a"$/, '"\\u0061"') : key;
}

/** Whether a node is written on one line: scalars, and small collections of scalars some files inline. */
function jsonInline(doc: FuzzDocument, node: TreeNode): boolean {
  if (node.kind === 'object' && node.members.length === 0) return hashed(doc.seed, node.id, 2) < 0.8;
  if (node.kind === 'array' && node.items.length === 0) return hashed(doc.seed, node.id, 2) < 0.8;
  if (node.kind === 'object') return node.members.every(m => m.value.kind === 'scalar') && hashed(doc.seed, node.id, 3) < 0.3;
  if (node.kind === 'array') return node.items.every(i => i.kind === 'scalar') && hashed(doc.seed, node.id, 3) < 0.4;
  return true;
}

function jsonInlineText(doc: FuzzDocument, node: TreeNode): string {
  if (node.kind === 'scalar') return node.text;
  if (node.kind === 'block') return JSON.stringify(`${node.lines.join('\n')}\n`);
  if (node.kind === 'alias') return '"alias"';
  const empty = hashed(doc.seed, node.id, 4) < 0.5 ? '' : ' ';
  if (node.kind === 'object') {
    if (node.members.length === 0) return `{${empty}}`;
    return `{ ${node.members.map(m => `${jsonKey(doc, m)}: ${jsonInlineText(doc, m.value)}`).join(', ')} }`;
  }
  if (node.items.length === 0) return `[${empty}]`;
  return `[${node.items.map(i => jsonInlineText(doc, i)).join(', ')}]`;
}

function renderJson(doc: FuzzDocument): string[] {
  const out: string[] = [];
  if (doc.jsonc && hashed(doc.seed, 0, 5) < 0.3) out.push('// The file\'s own comment.');
  const root = doc.roots[0];
  const lines = jsonValueLines(doc, root, '');
  out.push(...lines);
  return out;
}

/** The lines of a value: the first without its indentation (it follows a key), the others with it. */
function jsonValueLines(doc: FuzzDocument, node: TreeNode, indent: string): string[] {
  if (jsonInline(doc, node)) return [jsonInlineText(doc, node)];
  const inner = indent + doc.indent;
  const entries: { lines: string[]; id: number }[] = node.kind === 'object'
    ? node.members.map(member => {
      const value = jsonValueLines(doc, member.value, inner);
      return { lines: [`${inner}${jsonKey(doc, member)}: ${value[0]}`, ...value.slice(1)], id: member.id };
    })
    : (node as ArrayNode).items.map(item => {
      const value = jsonValueLines(doc, item, inner);
      return { lines: [`${inner}${value[0]}`, ...value.slice(1)], id: item.id };
    });
  const out = [node.kind === 'object' ? '{' : '['];
  entries.forEach((entry, i) => {
    const last = i === entries.length - 1;
    const lines = [...entry.lines];
    const h = hashed(doc.seed, entry.id, 6);
    if (doc.jsonc && h < 0.12) out.push(`${inner}// about ${entry.id}`);
    else if (doc.jsonc && h < 0.18) out.push(`${inner}/* block about ${entry.id} */`);
    else if (doc.jsonc && h < 0.2) out.push(`${inner}/*`, `${inner}   several lines about ${entry.id}`, `${inner}*/`);
    const comma = !last || doc.trailingCommas ? ',' : '';
    const t = hashed(doc.seed, entry.id, 7);
    if (doc.jsonc && t < 0.1) lines[lines.length - 1] += ` /* before the comma ${entry.id} */${comma}`;
    else if (doc.jsonc && t < 0.2) lines[lines.length - 1] += `${comma} // after ${entry.id}`;
    else lines[lines.length - 1] += comma;
    out.push(...lines);
  });
  if (doc.jsonc && hashed(doc.seed, node.id, 8) < 0.15) out.push(`${inner}// after the last of ${node.id}`);
  out.push(`${indent}${node.kind === 'object' ? '}' : ']'}`);
  return out;
}

// ---------------------------------------------------------------------------------------------- YAML

function yamlKey(doc: FuzzDocument, member: MemberNode): string {
  const key = member.key;
  const plain = /^[A-Za-z_$][\w$-]*$/.test(key) || /^[\u00c0-\u9fff]+$/.test(key);
  const h = hashed(doc.seed, member.id, 9);
  if (key === '<<') return key;
  if (key === '' || key === '503' || key.includes('"') || key.includes(' ') || !plain) return JSON.stringify(key);
  if (h < 0.1) return JSON.stringify(key);
  if (h < 0.2) return `'${key}'`;
  return key;
}

/** A scalar inside a flow collection: as it is written elsewhere (none of the spellings ends a flow entry). */
function flowScalar(node: ScalarNode): string {
  return node.text;
}

function yamlFlow(doc: FuzzDocument, node: TreeNode): boolean {
  if (node.kind === 'object' && node.members.length === 0) return true;
  if (node.kind === 'array' && node.items.length === 0) return true;
  // Decided by the node alone, so that an entry added or removed does not rewrite the collection.
  if (node.kind === 'object') return !node.anchor && node.members.every(m => m.value.kind === 'scalar') && hashed(doc.seed, node.id, 10) < 0.3;
  if (node.kind === 'array') return node.items.every(i => i.kind === 'scalar') && hashed(doc.seed, node.id, 10) < 0.4;
  return false;
}

function yamlFlowText(doc: FuzzDocument, node: ObjectNode | ArrayNode): string {
  const tag = node.tag ? `${node.tag} ` : '';
  const spaced = hashed(doc.seed, node.id, 11) < 0.5;
  if (node.kind === 'object') {
    if (node.members.length === 0) return `${tag}{${spaced ? ' ' : ''}}`;
    return `${tag}{${spaced ? ' ' : ''}${node.members.map(m => `${yamlKey(doc, m)}: ${flowScalar(m.value as ScalarNode)}`).join(', ')}${spaced ? ' ' : ''}}`;
  }
  if (node.items.length === 0) return `${tag}[${spaced ? ' ' : ''}]`;
  return `${tag}[${node.items.map(i => flowScalar(i as ScalarNode)).join(', ')}]`;
}

function renderYaml(doc: FuzzDocument): string[] {
  const out: string[] = [];
  if (hashed(doc.seed, 0, 12) < 0.3) out.push('# The file\'s own comment.');
  doc.roots.forEach((root, i) => {
    if (doc.stream && (i > 0 || hashed(doc.seed, 0, 13) < 0.5)) out.push(`--- ${hashed(doc.seed, root.id, 14) < 0.3 ? `# document ${root.id}` : ''}`.trimEnd());
    out.push(...yamlMappingLines(doc, root, ''));
  });
  return out;
}

function yamlMappingLines(doc: FuzzDocument, node: ObjectNode, indent: string): string[] {
  const out: string[] = [];
  node.members.forEach(member => {
    const h = hashed(doc.seed, member.id, 15);
    if (h < 0.12) out.push(`${indent}# about ${member.id}`);
    const key = `${indent}${yamlKey(doc, member)}:`;
    out.push(...yamlEntryLines(doc, member.value, key, indent, true));
  });
  if (hashed(doc.seed, node.id, 16) < 0.1 && node.members.length) out.push(`${indent}${doc.indent}# after the last of ${node.id}`);
  return out;
}

/** The lines of one entry: `head` is `key:` or `-`, the value after it or nested below. */
function yamlEntryLines(doc: FuzzDocument, value: TreeNode, head: string, indent: string, underKey: boolean): string[] {
  const trailing = hashed(doc.seed, value.id, 17) < 0.12 ? `  # note ${value.id}` : '';
  const inner = indent + doc.indent;
  if (value.kind === 'scalar') {
    const empty = value.text === '~' && hashed(doc.seed, value.id, 18) < 0.5;
    return [`${head}${empty ? '' : ` ${value.text}`}${trailing}`];
  }
  if (value.kind === 'alias') return [`${head} *${value.anchor}`];
  if (value.kind === 'block') return [`${head} ${value.header}`, ...value.lines.map(line => `${inner}${line}`)];
  if (yamlFlow(doc, value)) return [`${head} ${yamlFlowText(doc, value)}${trailing}`];
  const props = [value.tag, value.anchor ? `&${value.anchor}` : undefined].filter(Boolean).join(' ');
  const opener = `${head}${props ? ` ${props}` : ''}`;
  if (value.kind === 'object') {
    // An item of a sequence that is a mapping begins on the dash's line (`- name: x`), sometimes below it.
    if (!underKey && !props && hashed(doc.seed, value.id, 19) < 0.85) {
      const lines = yamlMappingLines(doc, value, inner);
      const first = lines.findIndex(line => !line.trimStart().startsWith('#'));
      if (first === 0) return [`${head}${' '.repeat(doc.indent.length - 1)}${lines[0].trimStart()}`, ...lines.slice(1)];
    }
    return [opener, ...yamlMappingLines(doc, value, inner)];
  }
  const itemIndent = underKey && !doc.indentSequences ? indent : inner;
  const out = [opener];
  value.items.forEach(item => {
    if (hashed(doc.seed, item.id, 21) < 0.1) out.push(`${itemIndent}# about item ${item.id}`);
    out.push(...yamlEntryLines(doc, item, `${itemIndent}-`, itemIndent, false));
  });
  return out;
}

// ---------------------------------------------------------------------------------------------- cases

/** One generated merge: the three documents and their bytes. */
export interface Case {
  readonly seed: number;
  readonly format: 'json' | 'yaml';
  readonly overlapping: boolean;
  readonly docs: Record<'ancestor' | 'existing' | 'proposed', FuzzDocument>;
  readonly buffers: Record<'ancestor' | 'existing' | 'proposed', Buffer>;
}

/** The case a seed generates: a document and each side's edits (apart from the other's, or anywhere). */
export function fuzzCase(seed: number): Case {
  const generator = new FuzzGenerator(seed);
  const format: 'json' | 'yaml' = seed % 2 === 0 ? 'json' : 'yaml';
  const overlapping = seed % 3 === 0;
  const ancestor = generator.document(format);
  const [mine, theirs, touched, theirsTouched] = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()];
  const claims = { existing: { mine, theirs, touched, theirsTouched }, proposed: { mine: theirs, theirs: mine, touched: theirsTouched, theirsTouched: touched } };
  // Seeds past 1200 also put edits next to the other side's (the first 1200 are as the fuzzer first ran them).
  const neighbours = seed > 1200;
  const existing = generator.edit(ancestor, overlapping ? undefined : claims.existing, neighbours);
  const proposed = generator.edit(ancestor, overlapping ? undefined : claims.proposed, neighbours);
  const docs = { ancestor, existing, proposed };
  return { seed, format, overlapping, docs, buffers: { ancestor: render(ancestor), existing: render(existing), proposed: render(proposed) } };
}
