import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { losslab, tempDir } from './harness.js';

describe('losslab evaluate', () => {
  let model = '';
  beforeAll(async () => {
    model = tempDir('eval-model');
    const r = await losslab(['train', '--limit', '1000', '--epochs', '1', '--batch-size', '20', '--no-figures', '--out', model]);
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);

  it('prints accuracy, per-class precision/recall and the confusion matrix, agreeing with train', async () => {
    const out = join(tempDir('eval-out'), 'cm.csv');
    const r = await losslab(['evaluate', '--model', model, '--limit', '1000', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const trained = JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8'));
    expect(r.stdout).toContain(`accuracy ${(100 * trained.testAccuracy).toFixed(2)}% on 1000 rows`);
    expect(r.stdout).toMatch(/class\s+precision\s+recall\s+f1\s+support/);
    expect(r.stdout).toMatch(/Ankle boot\s+\d\.\d{4}\s+\d\.\d{4}/);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(model, 'confusion-matrix.csv'), 'utf8'));
  });

  it('a missing or corrupt model gives exit 2 naming the file and the rule', async () => {
    let r = await losslab(['evaluate', '--model', join(model, 'nope')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/losslab evaluate: argument '--model' is ".*nope", but it must be a model folder written by `losslab train --out DIR`/);
    r = await losslab(['evaluate']);
    expect(r.stderr).toMatch(/argument '--model', but it is required/);

    const broken = tempDir('eval-broken');
    mkdirSync(broken, { recursive: true });
    const bin = readFileSync(join(model, 'model.bin'));
    bin[100] ^= 0x55;
    writeFileSync(join(broken, 'model.bin'), bin);
    writeFileSync(join(broken, 'model.json'), readFileSync(join(model, 'model.json')));
    r = await losslab(['evaluate', '--model', broken, '--limit', '10']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/model\.bin' is 31400 bytes with checksum fnv1a32:[0-9a-f]{8}, but the checksum must be fnv1a32:[0-9a-f]{8}: the file is corrupt/);
    rmSync(join(broken, 'model.json'));
    r = await losslab(['evaluate', '--model', broken, '--limit', '10']);
    expect(r.stderr).toMatch(/model\.json", but the model header must exist and be readable/);
  });
});
