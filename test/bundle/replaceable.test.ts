import * as fs from 'fs';
import * as path from 'path';
import { refuseFileInTheWay, refuseToReplace } from '../../src/bundle/replaceable';
import { ensureWritableFolder } from '../../src/bundle/writable';
import { InputError } from '../../src/errors';
import { tempDir, writeTree } from '../util';

describe('refuseToReplace', () => {
  test('nothing there, an empty folder and a bundle (src/ or options.json) may be replaced', () => {
    const dir = tempDir();
    writeTree(dir, { 'a/options.json': '{}', 'b/src/app/x.txt': 'x' });
    fs.mkdirSync(path.join(dir, 'empty'));
    for (const folder of ['none', 'empty', 'a', 'b', 'below/none']) expect(() => refuseToReplace(path.join(dir, folder), folder)).not.toThrow();
  });

  test('a file, a folder of other files, the working folder and a path below a file are refused as input errors naming the label', () => {
    const dir = tempDir();
    writeTree(dir, { 'afile': 'x', 'notes/mine.txt': 'mine' });
    const refused = (folder: string) => {
      try {
        refuseToReplace(folder, `'label'`);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      throw new Error(`${folder} was not refused`);
    };
    expect(refused(path.join(dir, 'afile'))).toBe("'label' is a file: it would be replaced by a folder");
    expect(refused(path.join(dir, 'notes'))).toBe("'label' holds files and is not a bundle (no src/ or options.json): it would be replaced as a whole; give a new or empty folder");
    expect(refused(process.cwd())).toBe("'label' is the working folder or holds it: it is replaced as a whole");
    expect(refused(path.join(dir, 'afile', 'sub'))).toBe(`'label': '${path.join(dir, 'afile')}' is a file, not a folder`);
  });
});

describe('a file where an output folder goes', () => {
  test('refuseFileInTheWay and ensureWritableFolder name it, for the folder and any folder below it', () => {
    const dir = tempDir();
    writeTree(dir, { 'afile': 'x' });
    expect(() => refuseFileInTheWay(path.join(dir, 'afile'), '--outdir x')).toThrow(new InputError('--outdir x is a file, not a folder'));
    expect(() => refuseFileInTheWay(path.join(dir, 'afile/a/b'), '--outdir x')).toThrow(new InputError(`--outdir x: '${path.join(dir, 'afile')}' is a file, not a folder`));
    expect(() => refuseFileInTheWay(path.join(dir, 'new/a/b'), '--outdir x')).not.toThrow();
    expect(() => ensureWritableFolder(path.join(dir, 'afile/out'), 'afile/out')).toThrow(new InputError(`'afile/out': '${path.join(dir, 'afile')}' is a file, not a folder`));
    expect(fs.readFileSync(path.join(dir, 'afile'), 'utf8')).toBe('x');
  });
});
