import { crossEntropy } from '../functional/crossEntropy.js';
import { softmax } from '../functional/softmax.js';
import { type NestedArray, tensor } from '../tensor/tensor.js';

/**
 * The same code in NumPy, PyTorch and losslab, side by side, for softmax (one vector, a batch), the
 * stable version and cross-entropy. This file is the one source of the snippets: the explanations
 * show these lines, `scripts/golden_snippets.py` executes the NumPy and PyTorch ones (it reads them
 * from the compiled dist/explain/snippets.js) and records what they print in
 * test/golden/snippets.json, and test/explain/snippets.test.ts runs the losslab lines and holds all
 * three outputs to `snippetOutputs`, the numbers the explanations quote.
 */
export type SnippetId = 'softmax-vector' | 'softmax-batch' | 'softmax-stable' | 'cross-entropy';
export type SnippetLanguage = 'numpy' | 'pytorch' | 'losslab';
export const SNIPPET_LANGUAGES: readonly SnippetLanguage[] = ['numpy', 'pytorch', 'losslab'];

/** One snippet in the three libraries, as lines of code. */
export interface CodeSnippet {
  readonly id: SnippetId;
  readonly numpy: readonly string[];
  readonly pytorch: readonly string[];
  readonly losslab: readonly string[];
}

export const SNIPPETS: readonly CodeSnippet[] = [
  {
    id: 'softmax-vector',
    numpy: ['import numpy as np', '', 'z = np.array([2.0, 1.0, 0.1])', 'p = np.exp(z) / np.exp(z).sum()', 'print(p.tolist())'],
    pytorch: ['import torch', '', 'z = torch.tensor([2.0, 1.0, 0.1], dtype=torch.float64)', 'p = torch.softmax(z, dim=0)', 'print(p.tolist())'],
    losslab: [
      "import { softmax, tensor } from 'losslab';",
      '',
      "const z = tensor([2, 1, 0.1], { dtype: 'float64' });",
      'const p = softmax(z, 0);',
      'console.log(p.toArray());',
    ],
  },
  {
    id: 'softmax-batch',
    numpy: [
      'import numpy as np',
      '',
      'z = np.array([[2.0, 1.0, 0.1], [0.5, -1.0, 3.0]])',
      'p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)',
      'print(p.tolist())',
    ],
    pytorch: [
      'import torch',
      '',
      'z = torch.tensor([[2.0, 1.0, 0.1], [0.5, -1.0, 3.0]], dtype=torch.float64)',
      'p = torch.softmax(z, dim=1)',
      'print(p.tolist())',
    ],
    losslab: [
      "import { softmax, tensor } from 'losslab';",
      '',
      "const z = tensor([[2, 1, 0.1], [0.5, -1, 3]], { dtype: 'float64' });",
      'const p = softmax(z, 1);',
      'console.log(p.toArray());',
    ],
  },
  {
    id: 'softmax-stable',
    numpy: ['import numpy as np', '', 'z = np.array([1000.0, 999.0, 998.0])', 'e = np.exp(z - z.max())', 'p = e / e.sum()', 'print(p.tolist())'],
    pytorch: [
      'import torch',
      '',
      'z = torch.tensor([1000.0, 999.0, 998.0], dtype=torch.float64)',
      'p = torch.softmax(z, dim=0)  # subtracts the max inside',
      'print(p.tolist())',
    ],
    losslab: [
      "import { softmax, tensor } from 'losslab';",
      '',
      "const z = tensor([1000, 999, 998], { dtype: 'float64' });",
      'const p = softmax(z, 0); // subtracts the max inside',
      'console.log(p.toArray());',
    ],
  },
  {
    id: 'cross-entropy',
    numpy: [
      'import numpy as np',
      '',
      'z = np.array([[2.0, 1.0, 0.1], [0.5, -1.0, 3.0]])',
      'y = np.array([0, 2])',
      'm = z.max(axis=1, keepdims=True)',
      'log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))',
      'loss = -log_p[np.arange(len(y)), y].mean()',
      'grad = (np.exp(log_p) - np.eye(3)[y]) / len(y)',
      'print(loss)',
      'print(grad.tolist())',
    ],
    pytorch: [
      'import torch',
      'import torch.nn.functional as F',
      '',
      'z = torch.tensor([[2.0, 1.0, 0.1], [0.5, -1.0, 3.0]], dtype=torch.float64, requires_grad=True)',
      'y = torch.tensor([0, 2])',
      'loss = F.cross_entropy(z, y)',
      'loss.backward()',
      'print(loss.item())',
      'print(z.grad.tolist())',
    ],
    losslab: [
      "import { crossEntropy, tensor } from 'losslab';",
      '',
      "const z = tensor([[2, 1, 0.1], [0.5, -1, 3]], { dtype: 'float64', requiresGrad: true });",
      "const y = tensor([0, 2], { dtype: 'int32' });",
      'const loss = crossEntropy(z, y);',
      'loss.backward();',
      'console.log(loss.item());',
      'console.log(z.grad?.toArray());',
    ],
  },
];

/** A snippet's code in one library, as one string. */
export function snippetCode(snippet: CodeSnippet, language: SnippetLanguage): string {
  return snippet[language].join('\n');
}

/**
 * What a snippet prints, one value per print line, computed by losslab with the calls of its losslab
 * version (test/explain/snippets.test.ts runs that version's text and checks it prints the same).
 */
export function snippetOutputs(id: SnippetId): readonly (number | NestedArray)[] {
  switch (id) {
    case 'softmax-vector':
      return [softmax(tensor([2, 1, 0.1], { dtype: 'float64' }), 0).toArray()];
    case 'softmax-batch':
      return [
        softmax(
          tensor(
            [
              [2, 1, 0.1],
              [0.5, -1, 3],
            ],
            { dtype: 'float64' },
          ),
          1,
        ).toArray(),
      ];
    case 'softmax-stable':
      return [softmax(tensor([1000, 999, 998], { dtype: 'float64' }), 0).toArray()];
    case 'cross-entropy': {
      const z = tensor(
        [
          [2, 1, 0.1],
          [0.5, -1, 3],
        ],
        { dtype: 'float64', requiresGrad: true },
      );
      const loss = crossEntropy(z, tensor([0, 2], { dtype: 'int32' }));
      loss.backward();
      if (!z.grad) throw new Error('crossEntropy recorded no gradient');
      return [loss.item(), z.grad.toArray()];
    }
  }
}
