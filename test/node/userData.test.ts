import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpyFile } from '../../src/node/npyFile.js';
import { loadUserDataset } from '../../src/node/userData.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tempDir } from '../cli/harness.js';

describe('user data for losslab train --dataset', () => {
  const dir = tempDir('user');

  it('CSV: "label" column by default, string labels numbered in sorted order (LabelEncoder), quoted fields', () => {
    writeFileSync(join(dir, 'a.csv'), 'x1,label,x2\n1.5,dog,2\n"3",cat,4e-1\n-1,dog,0\n');
    const d = loadUserDataset(join(dir, 'a.csv'));
    expect(d.features).toBe(2);
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(d.y)).toEqual([1, 0, 1]);
    expect(Array.from(d.x)).toEqual([1.5, 2, 3, Math.fround(0.4), -1, 0]);
  });

  it('CSV: the last column without a "label" column; integer labels are class indices; --label-column', () => {
    writeFileSync(join(dir, 'b.csv'), 'f,g,target\n0,1,2\n1,0,0\n');
    expect(Array.from(loadUserDataset(join(dir, 'b.csv')).y)).toEqual([2, 0]);
    expect(Array.from(loadUserDataset(join(dir, 'b.csv'), { labelColumn: 'f' }).y)).toEqual([0, 1]);
    expect(() => loadUserDataset(join(dir, 'b.csv'), { labelColumn: 'nope' })).toThrow(
      /argument '--label-column' is "nope", but .*b\.csv must have that column \(its columns are "f", "g", "target"\)/,
    );
  });

  it('CSV errors name the file, row and column', () => {
    writeFileSync(join(dir, 'c.csv'), 'a,label\n1,0\n,1\n');
    expect(() => loadUserDataset(join(dir, 'c.csv'))).toThrow(/c\.csv' is row 2 \(line 3\), column "a" = "", but feature cells must be finite numbers/);
    writeFileSync(join(dir, 'd.csv'), 'a,label\n1,0\n2\n');
    expect(() => loadUserDataset(join(dir, 'd.csv'))).toThrow(/row 2 \(line 3\) with 1 fields, but every row must have as many fields as the header \(2\)/);
    writeFileSync(join(dir, 'e.csv'), 'a,label\n1,\n');
    expect(() => loadUserDataset(join(dir, 'e.csv'))).toThrow(/every row needs a label/);
  });

  it('.npy pairs: X_train.npy finds y_train.npy; a folder with X.npy and y.npy; integer features become float32', () => {
    writeNpyFile(join(dir, 'X_train.npy'), new Tensor(Int32Array.of(1, 2, 3, 4, 5, 6), [3, 2]));
    writeNpyFile(join(dir, 'y_train.npy'), new Tensor(Int32Array.of(0, 2, 1), [3]));
    const d = loadUserDataset(join(dir, 'X_train.npy'));
    expect(d.numClasses).toBe(3);
    expect(d.x).toBeInstanceOf(Float32Array);
    const sub = join(dir, 'pair');
    writeNpyFile(join(sub, 'X.npy'), new Tensor(Float32Array.of(1, 2), [1, 2]));
    writeNpyFile(join(sub, 'y.npy'), new Tensor(Int32Array.of(0), [1]));
    expect(loadUserDataset(sub).n).toBe(1);
    writeNpyFile(join(dir, 'feat.npy'), new Tensor(Float32Array.of(1, 2), [1, 2]));
    expect(() => loadUserDataset(join(dir, 'feat.npy'))).toThrow(/the labels file cannot be guessed.*Pass --labels y\.npy/);
    writeNpyFile(join(dir, 'yf.npy'), new Tensor(Float64Array.of(0.5), [1]));
    expect(() => loadUserDataset(join(dir, 'feat.npy'), { labels: join(dir, 'yf.npy') })).toThrow(
      /yf\.npy' is 0\.5 at row 0, but labels must be class indices/,
    );
  });
});
