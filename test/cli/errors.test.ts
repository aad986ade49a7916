import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomState } from '../../src/tensor/random.js';
import { losslab, tempDir } from './harness.js';

/** A CSV of predictions with a planted weak segment: errors 40 % for region = north AND age ≥ 60, else 8 %. */
function plantedCsv(path: string, n: number, seed: number): void {
  const rs = new RandomState(seed);
  const lines = ['age,region,plan,y,yhat,p'];
  for (let i = 0; i < n; i++) {
    const age = 18 + Math.floor(rs.randomSample() * 62);
    const region = ['north', 'south', 'east', 'west'][Math.floor(rs.randomSample() * 4)];
    const plan = ['basic', 'plus'][Math.floor(rs.randomSample() * 2)];
    const y = ['cat', 'dog', 'bird'][i % 3];
    const wrong = rs.randomSample() < (region === 'north' && age >= 60 ? 0.4 : 0.08);
    const yhat = wrong ? ['dog', 'bird', 'cat'][i % 3] : y;
    lines.push(`${age},${region},${plan},${y},${yhat},${(0.5 + 0.5 * rs.randomSample()).toFixed(4)}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('losslab errors DATA.csv', () => {
  const dir = tempDir('errors');
  const csv = join(dir, 'preds.csv');
  plantedCsv(csv, 3000, 1);

  it('finds the planted slice, prints confusions and confident mistakes, writes JSON', async () => {
    const out = join(dir, 'errors.json');
    const r = await losslab(['errors', csv, '--label', 'y', '--pred', 'yhat', '--confidence', 'p', '--json', out]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const first = lines.findIndex((l) => l.startsWith('slices where'));
    expect(lines[first + 1]).toMatch(/^ {2}age ≥ 6\d AND region = north: \d+ rows, error \d+\.\d% \[/);
    expect(r.stdout).toMatch(/cat predicted as dog: \d+/);
    expect(r.stdout).toMatch(/most confidently wrong rows:\n {2}row \d+: \w+ predicted as \w+ with confidence 0\.9\d\d/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.schema).toBe('losslab.errors/1');
    expect(json.slices.features).toEqual(['age', 'region', 'plan']);
    expect(json.slices.slices[0].pvalueAdjusted).toBeLessThan(0.05);
  });

  it('user mistakes exit 2 with one message', async () => {
    let r = await losslab(['errors', csv, '--pred', 'yhat']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/losslab errors: argument '--label', but it is required/);
    r = await losslab(['errors', csv, '--label', 'y', '--pred', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/argument '--pred' is "nope", but preds\.csv has no such column/);
    r = await losslab(['errors', '--model', dir, '--label', 'y']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/argument '--label', but with --model the labels, predictions and confidences come from the model/);
  });
});

describe('losslab errors --model (a trained Fashion-MNIST model)', () => {
  let model = '';
  beforeAll(async () => {
    model = tempDir('errors-model');
    const r = await losslab(['train', '--limit', '2000', '--epochs', '1', '--batch-size', '20', '--no-figures', '--out', model]);
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);

  it('slices over the class and image features (ink, brightness, position), confusions between classes', async () => {
    const r = await losslab(['errors', '--model', model, '--limit', '2000', '--min-support', '40']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/on 7 features/);
    expect(r.stdout).toMatch(/ {2}class = (Shirt|Pullover|Coat|T-shirt\/top)[: ]/);
    expect(r.stdout).toMatch(/(Shirt|Coat|Pullover|T-shirt\/top) predicted as (Shirt|Coat|Pullover|T-shirt\/top): \d+/);
  });
});
