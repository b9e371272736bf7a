import { readTriple } from './lib/merge-corpus';
import { mergeStructured, structuredFormatOf, parseStructured } from '../src/resynth/merge/structured';
const corpus = '/tmp/bluesynth-bench/merge-quality/corpus';
const [folder, ...keys] = process.argv.slice(2);
const v = readTriple(corpus, folder);
const format = structuredFormatOf(folder)!;
const r = mergeStructured(v.ancestor ?? Buffer.alloc(0), v.existing!, v.proposed!, { format, policies: [] });
const get = (b: Buffer | undefined) => { if (!b) return undefined; let x: any = parseStructured(format, b.toString('utf8')); for (const k of keys) x = x?.[k]; return JSON.stringify(x); };
for (const [n, b] of [['ancestor', v.ancestor], ['existing', v.existing], ['proposed', v.proposed], ['human', v.human], ['ours', r.buffer]] as const) console.log(n.padEnd(9), get(b as Buffer));
