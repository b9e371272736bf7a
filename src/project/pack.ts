import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** An object to put in a pack: its id, git type and content (without the loose format's header). */
export interface PackObject {
  readonly id: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly content: Buffer;
}

/** git's pack type numbers. */
const TYPE_CODES = { commit: 1, tree: 2, blob: 3 } as const;

/** The largest offset the 4-byte table holds; larger ones go to the 8-byte table. */
const SMALL_OFFSET_LIMIT = 0x80000000;

/**
 * Writes `objects` into `<objectsDir>/pack/` as one pack and its index (version 2), every object whole
 * (no deltas), in the repository's hash: what `git index-pack` would make of them. The pack is written
 * under a temporary name and renamed, then the index, as git does: git finds a pack by its index, so no
 * reader sees a pack that is not complete. Both read-only, as git leaves them.
 *
 * Why: a loose object is a file of its own, four system calls (create, write, close, rename), and on these
 * disks creating a file costs 0.3 ms; an update of a large repository wrote hundreds.
 */
export function writePack(objectsDir: string, format: 'sha1' | 'sha256', objects: readonly PackObject[]): void {
  const packDir = path.join(objectsDir, 'pack');
  fs.mkdirSync(packDir, { recursive: true });
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(objects.length, 8);
  const parts: Buffer[] = [header];
  const entries: { id: string; offset: number; crc: number }[] = [];
  let offset = header.length;
  for (const { id, type, content } of objects) {
    const head = objectHeader(TYPE_CODES[type], content.length);
    // Level 1, git's own for loose objects: speed first; `git gc` may recompress.
    const data = zlib.deflateSync(content, { level: 1 });
    entries.push({ id, offset, crc: crc32(data, crc32(head)) });
    parts.push(head, data);
    offset += head.length + data.length;
  }
  const packHash = hashOf(format, parts);
  parts.push(packHash);
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const fanout = Buffer.alloc(256 * 4);
  for (let byte = 0, i = 0; byte < 256; byte++) {
    while (i < entries.length && parseInt(entries[i].id.slice(0, 2), 16) <= byte) i++;
    fanout.writeUInt32BE(i, byte * 4);
  }
  const crcs = Buffer.alloc(entries.length * 4);
  const offsets = Buffer.alloc(entries.length * 4);
  const large: Buffer[] = [];
  entries.forEach((entry, i) => {
    crcs.writeUInt32BE(entry.crc, i * 4);
    if (entry.offset < SMALL_OFFSET_LIMIT) {
      offsets.writeUInt32BE(entry.offset, i * 4);
    } else {
      offsets.writeUInt32BE((SMALL_OFFSET_LIMIT | large.length) >>> 0, i * 4);
      const wide = Buffer.alloc(8);
      wide.writeBigUInt64BE(BigInt(entry.offset));
      large.push(wide);
    }
  });
  const idx = [Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]), fanout, ...entries.map(entry => Buffer.from(entry.id, 'hex')), crcs, offsets, ...large, packHash];
  idx.push(hashOf(format, idx));

  const name = path.join(packDir, `pack-${packHash.toString('hex')}`);
  const temp = (suffix: string) => path.join(packDir, `tmp_${suffix}_${process.pid}_${crypto.randomBytes(6).toString('hex')}`);
  const tempPack = temp('pack');
  const tempIdx = temp('idx');
  try {
    writeAll(tempPack, parts);
    writeAll(tempIdx, idx);
    fs.renameSync(tempPack, `${name}.pack`);
    fs.renameSync(tempIdx, `${name}.idx`);
  } finally {
    fs.rmSync(tempPack, { force: true });
    fs.rmSync(tempIdx, { force: true });
  }
}

/** A pack entry's header: the type and the content's size, in git's variable-length encoding. */
function objectHeader(type: number, size: number): Buffer {
  const bytes = [(type << 4) | (size & 0x0f)];
  for (let rest = Math.floor(size / 16); rest > 0; rest = Math.floor(rest / 128)) {
    bytes[bytes.length - 1] |= 0x80;
    bytes.push(rest & 0x7f);
  }
  return Buffer.from(bytes);
}

function hashOf(format: 'sha1' | 'sha256', parts: readonly Buffer[]): Buffer {
  const hash = crypto.createHash(format);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function writeAll(file: string, parts: readonly Buffer[]): void {
  const fd = fs.openSync(file, 'wx', 0o444);
  try {
    fs.writevSync(fd, parts as Buffer[]);
  } finally {
    fs.closeSync(fd);
  }
}

/** CRC-32 (zlib's), continuing from `initial`: Node's own where it has one (20.15 and later). */
function crc32(data: Buffer, initial = 0): number {
  const native = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;
  return native ? native(data, initial) : tableCrc32(data, initial);
}

/** CRC-32 computed here, for a Node without `zlib.crc32`. */
export function tableCrc32(data: Buffer, initial = 0): number {
  let crc = ~initial >>> 0;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)) >>> 0;
  return ~crc >>> 0;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
