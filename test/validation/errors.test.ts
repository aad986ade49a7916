import { describe, expect, it } from 'vitest';
import { LosslabError } from '../../src/errors.js';
import {
  GroupKFold,
  KFold,
  LeaveOneGroupOut,
  ShuffleSplit,
  StratifiedGroupShuffleSplit,
  StratifiedKFold,
  StratifiedShuffleSplit,
  TimeSeriesSplit,
  trainTestSplit,
} from '../../src/validation/index.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(LosslabError);
    return (error as LosslabError).message;
  }
  throw new Error('expected a LosslabError');
}

describe('errors name the value, the rule and the fix (scikit-learn wording)', () => {
  it('nSplits < 2', () => {
    expect(message(() => new KFold({ nSplits: 1 }))).toBe(
      "KFold: argument 'nSplits' is 1, but k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, got n_splits=1. Use nSplits >= 2.",
    );
  });

  it('randomState while shuffle is off', () => {
    expect(message(() => new StratifiedKFold({ randomState: 0 }))).toBe(
      "StratifiedKFold: argument 'randomState' is 0, but setting a random_state has no effect since shuffle is False. You should leave random_state to its default (None), or set shuffle=True.",
    );
  });

  it('more splits than samples or groups', () => {
    expect(message(() => [...new KFold({ nSplits: 6 }).split({ n: 5 })])).toMatch(/n_splits=6 greater than the number of samples: n_samples=5/);
    expect(message(() => [...new GroupKFold({ nSplits: 3 }).split({ n: 4 }, null, [1, 1, 2, 2])])).toMatch(
      /n_splits=3 greater than the number of groups: 2\. Use fewer folds/,
    );
  });

  it('a class smaller than nSplits warns; every class smaller fails', () => {
    const warnings: string[] = [];
    [...new StratifiedKFold({ nSplits: 3, onWarning: (m) => warnings.push(m) }).split({ n: 8 }, [0, 0, 0, 0, 0, 0, 1, 1])];
    expect(warnings).toEqual(['The least populated class in y has only 2 members, which is less than n_splits=3.']);
    expect(message(() => [...new StratifiedKFold({ nSplits: 3 }).split({ n: 4 }, [0, 0, 1, 1])])).toMatch(
      /n_splits=3 cannot be greater than the number of members in each class/,
    );
  });

  it('TimeSeriesSplit: gap too large names the gap', () => {
    expect(message(() => [...new TimeSeriesSplit({ nSplits: 3, testSize: 3, gap: 2 }).split({ n: 10 })])).toBe(
      "TimeSeriesSplit.split: argument 'gap' is 2, but too many splits=3 for number of samples=10 with test_size=3 and gap=2: the first training set would be empty. Reduce nSplits, testSize or gap.",
    );
  });

  it('missing groups, missing labels, continuous targets, NaN labels', () => {
    expect(message(() => [...new GroupKFold({ nSplits: 2 }).split({ n: 3 })])).toMatch(/'groups' parameter should not be None/);
    expect(message(() => [...new StratifiedKFold().split({ n: 3 })])).toMatch(/needs the class labels y/);
    expect(message(() => [...new StratifiedKFold({ nSplits: 2 }).split({ n: 4 }, [0.5, 1, 1, 0])])).toMatch(/'continuous'/);
    expect(message(() => [...new LeaveOneGroupOut().split({ n: 3 }, null, [1, Number.NaN, 2])])).toMatch(/NaN at \[1\]/);
    expect(message(() => [...new GroupKFold({ nSplits: 2 }).split({ n: 3 }, null, [1, 2])])).toMatch(/one entry per sample \(3\)/);
  });

  it('shuffle-split sizes', () => {
    expect(message(() => [...new ShuffleSplit({ testSize: 20 }).split({ n: 20 })])).toMatch(
      /test_size=20 should be either positive and smaller than the number of samples 20/,
    );
    expect(message(() => trainTestSplit({ n: 10 }, { testSize: 0.95 }))).toMatch(/train set would be empty/);
    expect(message(() => trainTestSplit({ n: 10 }, { shuffle: false, stratify: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1] }))).toMatch(/not implemented for shuffle=False/);
    expect(message(() => [...new StratifiedShuffleSplit().split({ n: 5 }, [0, 0, 1, 1, 2])])).toMatch(/only 1 member/);
    expect(message(() => [...new StratifiedGroupShuffleSplit().split({ n: 3 }, [0, 1, 0], [1, 1, 1])])).toMatch(/at least 2 groups/);
  });
});
