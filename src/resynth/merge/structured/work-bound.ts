/**
 * A bound on the structure work one file may cost. Almost all of that work is parsing (the three sides, the
 * editors' re-parses between structural edits, the check of each edited text), so parsing is what is counted:
 * characters parsed, a YAML character weighted as the several JSON characters it costs. Counting work rather
 * than timing it keeps the outcome the same on a loaded machine as on an idle one; the bound is set so that
 * the work under it takes a fraction of a second (bench/RESULTS.md, "Large-file merge").
 */
import { StructuredFormat } from './format';

/** What one character costs to parse, relative to JSON (the `yaml` package parses about 3.5 times slower than jsonc-parser). */
const COST_PER_CHARACTER: Record<StructuredFormat, number> = { json: 1, yaml: 4 };

/** The default bound: about half a second of parsing on the shared 2-CPU machine the benchmark ran on, at a load of 10. */
export const DEFAULT_STRUCTURE_WORK_BOUND = 4_000_000;

/** The structure work of a file passed its bound: the line merge's result stands. */
export class StructureWorkExceeded extends Error {
  constructor(readonly bound: number) {
    super(`the structured merge of this file would parse more than ${bound.toLocaleString('en-US')} characters' worth of text (JSON, a YAML character counting ${COST_PER_CHARACTER.yaml}), the bound that keeps one file's structure work to a fraction of a second`);
    this.name = 'StructureWorkExceeded';
  }
}

/** Counts the parsing done for one file and stops it at the bound. */
export class StructureWorkBudget {
  private spent = 0;

  constructor(private readonly format: StructuredFormat, private readonly bound: number = DEFAULT_STRUCTURE_WORK_BOUND) {}

  /** Counts parsing `text`, before it is parsed; throws {@link StructureWorkExceeded} when that would pass the bound. */
  public charge(text: string): void {
    this.spent += text.length * COST_PER_CHARACTER[this.format];
    if (this.spent > this.bound) throw new StructureWorkExceeded(this.bound);
  }
}
