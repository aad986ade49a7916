import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadUserDomainDataset } from '../../src/node/domainData.js';
import { writeNpyFile } from '../../src/node/npyFile.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tempDir } from '../cli/harness.js';

describe('user data with domains for losslab adapt', () => {
  const dir = tempDir('domains');

  it('CSV: --domain and --label columns, the rest are features; domains numbered in sorted order', async () => {
    writeFileSync(join(dir, 'a.csv'), 'x1,site,y,x2\n1,b,cat,2\n3,a,dog,4\n5,c,,6\n7,10,cat,8\n');
    const d = await loadUserDomainDataset(join(dir, 'a.csv'), { domain: 'site', label: 'y', targetDomains: ['c'], testDomains: ['a'] });
    expect(d.domainNames).toEqual(['10', 'a', 'b', 'c']);
    expect(Array.from(d.domains)).toEqual([2, 1, 3, 0]);
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(d.y)).toEqual([0, 1, 0, 0]);
    expect(Array.from(d.labelled)).toEqual([1, 1, 0, 1]);
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(d.targetDomains).toEqual([3]);
    expect(d.defaultTestDomains).toEqual([1]);
  });

  it('CSV: a missing label outside a target domain, an unknown domain value and a missing column are clear errors', async () => {
    writeFileSync(join(dir, 'b.csv'), 'x,d,label\n1,u,0\n2,v,\n');
    await expect(loadUserDomainDataset(join(dir, 'b.csv'), { domain: 'd' })).rejects.toThrow(
      /losslab adapt: argument '--label' is missing at row 2 \(domain "v"\), but only rows of a --target-domain may lack a label/,
    );
    await expect(loadUserDomainDataset(join(dir, 'b.csv'), { domain: 'd', targetDomains: ['w'] })).rejects.toThrow(
      /argument '--target-domain' is "w", but it must name a domain of the data \("u", "v"\)/,
    );
    await expect(loadUserDomainDataset(join(dir, 'b.csv'), { domain: 'site' })).rejects.toThrow(
      /argument '--domain' is "site", but b\.csv must have that column/,
    );
  });

  it('.npy: --domain and --label are column indices of X, removed from the features', async () => {
    const X = new Tensor(Float64Array.from([0.5, 1, 7, 0, 1.5, 0, 8, 1, 2.5, 1, 7, 1]), [3, 4]);
    writeNpyFile(join(dir, 'X.npy'), X);
    const d = await loadUserDomainDataset(join(dir, 'X.npy'), { domain: '2', label: '3' });
    expect(d.features).toBe(2);
    expect(Array.from(d.x)).toEqual([0.5, 1, 1.5, 0, 2.5, 1]);
    expect(d.domainNames).toEqual(['7', '8']);
    expect(Array.from(d.y)).toEqual([0, 1, 1]);
    await expect(loadUserDomainDataset(join(dir, 'X.npy'), { domain: '4' })).rejects.toThrow(/for a .npy file it must be a column index in \[0, 3\]/);
  });
});
