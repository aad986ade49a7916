import { crossEntropy } from '../../functional/crossEntropy.js';
import { pointwiseLosses } from '../../functional/losses.js';
import { softmax } from '../../functional/softmax.js';
import { tensor } from '../../tensor/tensor.js';
import type { Command } from '../command.js';

const fmt = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const row = (values: ArrayLike<number>, digits = 4): string => Array.from(values, (v) => fmt(v, digits)).join('  ');

/**
 * A short guided tour in the terminal: every number below is computed by losslab as it prints.
 * It shows the three ideas the lab is built around and points to the commands that go deeper.
 */
export const command: Command = {
  name: 'tour',
  summary: 'a guided tour of losslab in the terminal',
  usage: 'tour',
  options: {},
  async run(_args, io) {
    const out: string[] = [];
    out.push('losslab tour — every number here is computed by the library as you read it.\n');

    // 1. Softmax, cross-entropy and the gradient softmax(z) − y.
    const logits = tensor([[2, 1, 0.1]], { dtype: 'float64', requiresGrad: true });
    const p = softmax(logits.detach());
    const loss = crossEntropy(logits, tensor([0], { dtype: 'int32' }));
    loss.backward();
    out.push('1. Softmax turns logits into probabilities; cross-entropy scores the true class.');
    out.push(`   logits z        ${row(logits.data)}`);
    out.push(`   softmax(z)      ${row(p.data)}   (sum ${fmt(p.data.reduce((a, b) => a + b, 0))})`);
    out.push(`   cross-entropy   ${fmt(loss.item())} = −log p₀ for true class 0`);
    out.push(`   gradient        ${row(logits.grad?.data ?? [])} = softmax(z) − onehot(0)\n`);

    // 2. The max-subtraction trick.
    const big = [1000, 999, 998];
    const naive = big.map((v) => Math.exp(v));
    const naiveSum = naive.reduce((a, b) => a + b, 0);
    const stable = softmax(tensor([big], { dtype: 'float64' }));
    out.push('2. Why subtract the maximum: exp overflows long before the probabilities do.');
    out.push(`   logits          ${big.join('  ')}`);
    out.push(`   naive exp(z)/Σ  ${naive.map((v) => fmt(v / naiveSum)).join('  ')}   (exp(1000) = ${Math.exp(1000)})`);
    out.push(`   stable softmax  ${row(stable.data)}   (exp(z − max z) never exceeds 1)\n`);

    // 3. A loss is a negative log-likelihood.
    const l2 = pointwiseLosses.l2;
    out.push('3. L2 loss ½(y − y′)² is the negative log of a Gaussian likelihood (σ = 1), up to a constant.');
    out.push('   y′      loss     gradient  likelihood p(y=0 | y′)');
    for (const yHat of [-2, -1, 0, 1, 2]) {
      out.push(
        `   ${fmt(yHat, 1).padStart(4)}   ${fmt(l2.value(0, yHat, {})).padStart(6)}   ${fmt(l2.gradient(0, yHat, {})).padStart(7)}   ${fmt(l2.density(0, yHat, {}))}`,
      );
    }
    out.push('\nNext:');
    out.push('   npm start                           the web lab (loss explorer, softmax playground, training, validation lab)');
    out.push('   losslab plot l2 --out l2.svg        the d2l loss / likelihood / gradient figure (also .png, .csv; --lang zh)');
    out.push('   losslab explain softmax             the derivation, with every number computed');
    out.push('   losslab train --epochs 10           softmax regression on Fashion-MNIST');
    out.push('   losslab split data.csv --strategy group --group user');
    out.push('   losslab shift train.csv valid.csv   is my validation set like my training set?');
    io.stdout(`${out.join('\n')}\n`);
    return 0;
  },
};
