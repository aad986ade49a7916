import { domainPageEn } from './domainPage.en.js';

/**
 * The English message catalogue: every label of losslab's figures, every derivation text of
 * `losslab explain` and of the web lab. Templates take named parameters in braces, `{target}`,
 * filled by `t(lang, key, params)`; numbers are computed by the library and formatted by the caller.
 * `zh.ts` must have exactly these keys (a missing or extra key is a compile error), so the two
 * languages cannot drift apart. Markdown is allowed in the `explain.*` texts; `$…$` is inline TeX.
 * One catalogue for the library, the command line and the web lab (its pages' keys come last).
 */
export const en = {
  // ---- Web lab: the domain-shift page (its own file, spread in) ----
  ...domainPageEn,
  // ---- Figures: regression losses (the d2l "L2 loss" figure) ----
  'figure.axis.prediction': 'prediction y′ (target y = {target})',
  'figure.axis.value': 'value of each curve',
  'figure.legend.curves': 'curves',
  'figure.curve.loss': 'loss l(y, y′)',
  'figure.curve.likelihood': 'likelihood exp(−l), scaled as in d2l',
  'figure.curve.gradient': 'gradient ∂l/∂y′',
  'figure.title.regression': '{name}: {formula}',
  'figure.subtitle.regression': 'blue: loss · green: likelihood (10 × exp(−l) normalised over the plotted range) · orange: gradient',

  'loss.l2.name': 'L2 loss',
  'loss.mse.name': 'squared error (MSELoss)',
  'loss.l1.name': 'L1 loss',
  'loss.huber.name': 'Huber loss (δ = {delta})',
  'loss.smooth-l1.name': 'smooth L1 loss (β = {beta})',
  'loss.gaussian-nll.name': 'Gaussian NLL loss (σ = {sigma})',
  'loss.poisson-nll.name': 'Poisson NLL loss',
  'loss.soft-margin.name': 'soft margin loss',
  'loss.cross-entropy.name': 'cross-entropy',
  'loss.bce.name': 'binary cross-entropy with logits',

  // ---- Figures: classification losses against the logit of the true class ----
  'figure.axis.logitTrue': 'logit z of the true class {target} (other logits {others})',
  'figure.axis.bce': 'logit z of class 1 (target y = {target})',
  'figure.curve.classLoss': 'loss −log p',
  'figure.curve.bce.loss': 'loss l(y, z) (−log p when y = 1)',
  'figure.curve.probability': 'likelihood p, the probability of the true class',
  'figure.curve.classLikelihood': 'likelihood P(y = c) = p',
  'figure.curve.probabilityGradient': 'gradient ∂l/∂p = −1/p',
  'figure.axis.probabilityTrue': 'probability p = softmax(z)_c of the true class',
  'figure.curve.bce.probability': 'probability p = σ(z) of class 1',
  'figure.curve.classGradient': 'gradient ∂l/∂z = p − 1',
  'figure.curve.bce.gradient': 'gradient ∂l/∂z = σ(z) − y',
  'figure.title.crossEntropy': 'cross-entropy: l = −log softmax(z)_c = logsumexp(z) − z_c',
  'figure.title.crossEntropyProbability': 'cross-entropy against the probability of the true class: l = −log p',
  'figure.title.bce': 'binary cross-entropy: l = −y log σ(z) − (1 − y) log(1 − σ(z))',
  'figure.title.soft-margin': 'soft margin loss: l = log(1 + e^(−y·z)), y ∈ {−1, 1}',
  'figure.axis.soft-margin': 'score z (target y = {target})',
  'figure.curve.soft-margin.loss': 'loss l(y, z) = log(1 + e^(−y·z))',
  'figure.curve.soft-margin.probability': 'probability σ(z) of y = 1',
  'figure.curve.soft-margin.gradient': 'gradient ∂l/∂z = −y·σ(−y·z)',

  // ---- Figures: softmax ----
  'figure.title.softmax': 'softmax: p_i = exp(z_i / T) / Σ_j exp(z_j / T), T = {temperature}',
  'figure.title.softmaxNaive': 'softmax without the max trick: exp overflows above {float32} (float32) and {float64} (float64)',
  'figure.axis.class': 'class',
  'figure.axis.logit': 'logit z',
  'figure.axis.probability': 'probability',
  'figure.axis.exp': 'exp(z)',
  'figure.legend.method': 'how it is computed',
  'figure.method.stable': 'stable (max subtracted)',
  'figure.method.naive64': 'naive, float64',
  'figure.method.naive32': 'naive, float32',
  'figure.threshold.float32': 'float32: exp overflows above z = {value}',
  'figure.threshold.float64': 'float64: exp overflows above z = {value}',

  // ---- Explanations: common ----
  'explain.title.loss': 'Where the {name} comes from: likelihood, negative log-likelihood and gradient',
  'explain.title.softmax': 'Softmax: from logits to probabilities, cross-entropy and a stable computation',
  'explain.title.crossEntropy': 'Cross-entropy: information, likelihood and its gradient',

  // ---- Explanations: regression losses ----
  'explain.loss.heading.loss': 'The loss',
  'explain.loss.heading.likelihood': 'The likelihood behind it',
  'explain.loss.heading.nll': 'Negative log-likelihood: why minimising it is minimising the loss',
  'explain.loss.heading.gradient': 'The gradient, by the chain rule',
  'explain.loss.heading.figure': 'Reading the figure',

  'explain.loss.l2.intro':
    'The L2 loss (d2l `squared_loss`; PyTorch `0.5 * nn.MSELoss(reduction="none")`) compares a prediction y′ with a target y by half the squared difference. At y = {target} and y′ = {prediction} it is {value}.',
  'explain.loss.mse.intro':
    'The squared error (PyTorch `nn.MSELoss`, here per element, without the mean) is the squared difference, twice the L2 loss. At y = {target} and y′ = {prediction} it is {value}.',
  'explain.loss.l1.intro': 'The L1 loss (PyTorch `nn.L1Loss`) is the absolute difference. At y = {target} and y′ = {prediction} it is {value}.',
  'explain.loss.huber.intro':
    'The Huber loss (PyTorch `nn.HuberLoss(delta={delta})`) is quadratic for errors up to δ and linear beyond, so one outlier cannot dominate. At y = {target} and y′ = {prediction} it is {value}.',
  'explain.loss.smooth-l1.intro':
    'The smooth L1 loss (PyTorch `nn.SmoothL1Loss(beta={beta})`) is the Huber loss divided by β: quadratic below β, then |y − y′| − β/2. At y = {target} and y′ = {prediction} it is {value}.',
  'explain.loss.gaussian-nll.intro':
    'The Gaussian NLL loss (PyTorch `nn.GaussianNLLLoss`, `full=False`) takes a predicted mean y′ and a variance σ²; here σ = {sigma}. At y = {target} and y′ = {prediction} it is {value}.',

  'explain.loss.l2.likelihood':
    'Assume the target is the prediction plus Gaussian noise, y = y′ + ε with ε ~ N(0, σ²). Then the probability density of observing y is the normal density below. With σ = 1, at y = {target} and y′ = {prediction}, it is {density}.',
  'explain.loss.mse.likelihood':
    'The squared error is the L2 loss of a Gaussian noise model with variance σ² = ½: y = y′ + ε, ε ~ N(0, ½). At y = {target} and y′ = {prediction} the density is {density}.',
  'explain.loss.l1.likelihood':
    "Assume Laplace noise instead: y = y′ + ε with density ½ exp(−|ε|). Its tails are heavier than the Gaussian's, so large errors are less surprising. At y = {target} and y′ = {prediction} the density is {density}.",
  'explain.loss.huber.likelihood':
    'The Huber loss is the negative log of a density that is Gaussian in the middle and Laplace-like in the tails: p(y | y′) = exp(−l(y, y′)) / Z, where Z makes it integrate to one. At y = {target} and y′ = {prediction} the density is {density}.',
  'explain.loss.smooth-l1.likelihood':
    'Like Huber, smooth L1 is the negative log of a density exp(−l(y, y′)) / Z: Gaussian-shaped near the target, exponential tails. At y = {target} and y′ = {prediction} the density is {density}.',
  'explain.loss.gaussian-nll.likelihood':
    'The model predicts both a mean y′ and a variance σ² of Gaussian noise, y ~ N(y′, σ²). At y = {target}, y′ = {prediction} and σ = {sigma} the density is {density}.',

  'explain.loss.nll':
    'Training maximises the likelihood of the targets, which is the same as minimising the negative log-likelihood −log p(y | y′). Taking the logarithm turns the density into a sum: a constant that does not depend on y′, plus the loss. Here the constant is {constant}, and −log p = {nll} = {constant} + {value}. A constant does not move the minimum, so it is dropped: {minimiser}',
  'explain.loss.l2.minimiser':
    'minimising the negative log-likelihood is least squares. σ only rescales the loss by 1/σ² and adds ½ log(2πσ²) (for σ = 1 that is ½ log 2π = {constant}); neither changes where the minimum is, so the L2 loss takes σ = 1.',
  'explain.loss.mse.minimiser': 'minimising the negative log-likelihood is least squares, as for the L2 loss; σ² = ½ only sets the scale.',
  'explain.loss.l1.minimiser':
    'minimising it is least absolute deviations, whose minimiser over a data set is the median instead of the mean. The dropped constant is log 2 = {constant}.',
  'explain.loss.huber.minimiser':
    'minimising it behaves like least squares for small errors and like least absolute deviations for errors beyond δ. The dropped constant is log Z = {constant}.',
  'explain.loss.smooth-l1.minimiser':
    'minimising it behaves like least squares for errors below β and like least absolute deviations beyond. The dropped constant is log Z = {constant}.',
  'explain.loss.gaussian-nll.minimiser':
    'PyTorch drops ½ log 2π = {constant} unless `full=True`. Unlike the L2 loss, the variance is kept, because the model learns it: a larger σ² makes errors cheaper but pays ½ log σ².',

  'explain.loss.l2.gradient':
    'Write u = y − y′, so l = ½u². The chain rule gives ∂l/∂y′ = (∂l/∂u)(∂u/∂y′) = u · (−1) = y′ − y. At y′ = {prediction} the gradient is {gradient}. It is zero exactly at y′ = y and grows linearly with the error, so large errors (outliers) pull hardest.',
  'explain.loss.mse.gradient': 'With u = y − y′ and l = u², ∂l/∂y′ = 2u · (−1) = 2(y′ − y). At y′ = {prediction} the gradient is {gradient}.',
  'explain.loss.l1.gradient':
    'With u = y − y′ and l = |u|, ∂l/∂y′ = sign(u) · (−1) = sign(y′ − y): always ±1, however large the error, which makes L1 robust to outliers. At y′ = y it is not differentiable; PyTorch uses 0 there. At y′ = {prediction} the gradient is {gradient}.',
  'explain.loss.huber.gradient':
    'With u = y′ − y: for |u| ≤ δ the loss is ½u² and the gradient is u; beyond, the loss is δ(|u| − δ/2) and the gradient is δ · sign(u). So the gradient is u clipped to [−δ, δ]. At y′ = {prediction} it is {gradient}.',
  'explain.loss.smooth-l1.gradient':
    'With u = y′ − y: for |u| < β the gradient is u / β, beyond it is sign(u). So the gradient is u / β clipped to [−1, 1]. At y′ = {prediction} it is {gradient}.',
  'explain.loss.gaussian-nll.gradient':
    'With u = y′ − y, l = ½(log σ² + u²/σ²), so ∂l/∂y′ = u / σ²: the L2 gradient divided by the variance. At y′ = {prediction} the gradient is {gradient}.',
  'explain.loss.poisson-nll.intro':
    'The Poisson NLL loss (PyTorch `nn.PoissonNLLLoss(log_input={logInput}, full={full})`) scores a prediction y′ against an observed count y, the number of events in a fixed window. The prediction sets the rate of events, λ = {rate}. At y = {target} and y′ = {prediction} the loss is {value}.',
  'explain.loss.poisson-nll.likelihood':
    'Counts of independent events at a constant rate λ follow a Poisson distribution: P(y | λ) = λ^y e^(−λ) / y!. It is a probability of the count, not a density. At y = {target} and y′ = {prediction} it is {density}.',
  'explain.loss.poisson-nll.minimiser':
    "here the constant is log y! (or, with `full=True`, only the error of Stirling's approximation of it), so the loss keeps λ − y log λ. Its minimum over λ is at λ = y: the best rate is the observed count, and over a data set the mean count.",
  'explain.loss.poisson-nll.gradient':
    'With λ = {rate}, the chain rule gives ∂l/∂y′ = (1 − y/λ) · ∂λ/∂y′, which is λ − y when y′ = log λ and 1 − y/λ when y′ = λ. At y′ = {prediction} the gradient is {gradient}; it is zero where the rate equals the count.',
  'explain.loss.poisson-nll.figure':
    '`{command}` draws three curves against the x axis, the prediction y′, with the count fixed at y = {target}; the y axis is the value of each curve. Blue is the loss, orange its gradient, zero where λ = y. Green is the Poisson likelihood of y as a function of the prediction, exp(−l) scaled as d2l scales it: normalised over the plotted range [{from}, {to}] and multiplied by 10. On this range its peak is {peak}.',

  'explain.loss.figure':
    '`{command}` draws three curves against the x axis, the prediction y′, with the target fixed at y = {target}; the y axis is the value of each curve. Blue is the loss l(y, y′). Orange is its gradient ∂l/∂y′, the slope of the blue curve, zero where the loss is smallest. Green is the likelihood exp(−l), scaled as d2l scales it: divided by its sum over the plotted grid of {points} points and multiplied by {multiplier}, which is 10 × the density normalised over the plotted range [{from}, {to}]. It peaks at y′ = y, where the loss is smallest; on this range the peak is {peak}.',

  // ---- Explanations: binary cross-entropy ----
  'explain.title.bce': 'Where binary cross-entropy comes from: the Bernoulli likelihood, its negative log and its gradient',
  'explain.loss.bce.intro':
    "Binary cross-entropy with logits (PyTorch `F.binary_cross_entropy_with_logits`, `nn.BCEWithLogitsLoss`) scores a logit z, any real number, against a target y ∈ {0, 1}. The model's probability of class 1 is p = σ(z) = 1 / (1 + e^(−z)). At y = {target} and z = {logit}: p = {probability} and the loss is {value}.",
  'explain.loss.bce.likelihood':
    'A binary label is a coin flip: y ~ Bernoulli(p), so P(y | z) = p^y (1 − p)^(1 − y), which is p when y = 1 and 1 − p when y = 0. At z = {logit} and y = {target} it is {likelihood}.',
  'explain.loss.bce.nll':
    'Its negative log is the loss itself, with no constant to drop: −log P(y | z) = −y log p − (1 − y) log(1 − p) = {nll}. Minimising it is maximum likelihood for a logistic model. PyTorch evaluates it as max(z, 0) − z·y + log(1 + e^(−|z|)), which never takes the log of 0 and never overflows.',
  'explain.loss.bce.gradient':
    'With p = σ(z), dp/dz = p(1 − p). The chain rule gives ∂l/∂z = (−y/p + (1 − y)/(1 − p)) · p(1 − p) = p − y. At z = {logit} the gradient is {gradient}: the same "prediction minus target" form as the gradient of softmax cross-entropy and of the L2 loss.',
  'explain.loss.bce.figure':
    '`{command}` draws three curves against the logit z of class 1, with the target fixed at y = {target}: blue is the loss, green the probability p = σ(z), orange the gradient σ(z) − y. For y = 1 they are −log p, p and p − 1: as z grows the loss falls to 0 and so does the gradient.',
  'explain.title.soft-margin': 'Where the soft margin loss comes from: the logistic likelihood, its negative log and its gradient',
  'explain.loss.soft-margin.intro':
    'The soft margin loss (PyTorch `nn.SoftMarginLoss`) scores a real score z against a label y ∈ {−1, 1} by log(1 + e^(−y·z)): small when the margin y·z is large and positive, growing linearly when it is negative. It is logistic regression with ±1 labels. At y = {target} and z = {logit} the loss is {value}.',
  'explain.loss.soft-margin.likelihood':
    'The logistic model says P(y = 1 | z) = σ(z) = {probability} and P(y = −1 | z) = σ(−z); with ±1 labels both are P(y | z) = σ(y·z). At z = {logit} and y = {target} it is {likelihood}.',
  'explain.loss.soft-margin.nll':
    "Its negative log is the loss itself: −log σ(y·z) = log(1 + e^(−y·z)) = {nll}, with no constant to drop, so minimising it is maximum likelihood for the logistic model. losslab evaluates it as softplus(−y·z), which never overflows; PyTorch's log1p(exp(−y·z)) becomes infinite for margins below about −88 in float32.",
  'explain.loss.soft-margin.gradient':
    'With m = y·z and dσ(m)/dm = σ(m)(1 − σ(m)), the chain rule gives ∂l/∂z = −y·σ(−y·z): the probability of the wrong label, signed by y. At z = {logit} it is {gradient}; it fades to 0 as the margin grows and tends to −y as the margin becomes very negative.',
  'explain.loss.soft-margin.figure':
    '`{command}` draws three curves against the score z, with the label fixed at y = {target}: blue is the loss, green the probability σ(z) of y = 1, orange the gradient −y·σ(−y·z). For y = 1 they are −log σ(z), σ(z) and σ(z) − 1, the binary cross-entropy curves: the two losses are one model written with labels ±1 and 0/1.',

  // ---- Explanations: softmax and cross-entropy ----
  'explain.softmax.heading.construction': 'Two steps: exponentiate, then normalise',
  'explain.softmax.heading.soft': 'Why "soft" max',
  'explain.softmax.heading.crossEntropy': 'Cross-entropy, from information theory',
  'explain.softmax.heading.logSoftmax': 'Computing it: log-softmax',
  'explain.softmax.heading.gradient': 'The gradient: ŷ − y',
  'explain.softmax.heading.stable': 'The max-subtraction trick',

  'explain.softmax.construction':
    'A classifier outputs one real number per class, the logits o. To read them as probabilities they must be non-negative and sum to one. Softmax (PyTorch `torch.softmax(o, dim=-1)`) does it in two steps: exp makes every value positive and keeps the order, then dividing by the sum makes them add up to one. For logits {logits}: exp gives {exps}, their sum is {sum}, and the probabilities are {probs}.',
  'explain.softmax.soft':
    'The hard maximum, argmax, puts all probability on the largest logit: a one-hot vector whose derivative is zero almost everywhere, so it cannot be trained by gradients. Softmax is a smooth, differentiable version of it: the largest logit gets the largest probability, but every class keeps some. Dividing the logits by a temperature T shows the link: with T = {lowT} the probabilities are {lowProbs} (almost argmax), with T = {highT} they are {highProbs} (almost uniform).',
  'explain.softmax.crossEntropy':
    'In information theory, coding outcomes of a distribution y with a code built for another distribution ŷ costs on average H(y, ŷ) = −Σ y_i log ŷ_i nats: the cross-entropy. It equals the entropy H(y) plus the Kullback–Leibler divergence KL(y ‖ ŷ), so it is smallest when ŷ = y. When the label is one class c, y is one-hot and the cross-entropy is −log ŷ_c: the negative log-likelihood of the true class. For logits {logits} and class c = {target} it is {loss} (PyTorch `F.cross_entropy`).',
  'explain.softmax.logSoftmax':
    'Never compute log(softmax(o)) in two steps: the probability can underflow to 0 and its log to −Infinity. Instead write −log ŷ_c = log Σ_j exp(o_j) − o_c = logsumexp(o) − o_c, which PyTorch does in `F.cross_entropy` (log-softmax, then NLL). For logits {logits}, logsumexp is {lse} and the loss for class {target} is {lse} − {logitTarget} = {loss}.',
  'explain.softmax.gradient':
    "Differentiate l = log Σ_j exp(o_j) − o_c with respect to o_i. The first term gives exp(o_i) / Σ_j exp(o_j) = ŷ_i; the second gives −1 when i = c and 0 otherwise. So ∂l/∂o_i = ŷ_i − y_i. For the true class (i = c) it is ŷ_c − 1 < 0: gradient descent raises its logit. For every other class (i ≠ c) it is ŷ_i > 0: their logits are lowered, more for the more probable wrong classes. For logits {logits} and class {target} the gradient (by the library's backward pass) is {gradient}.",
  'explain.softmax.stable':
    'Softmax does not change when the same number is subtracted from every logit: multiply the numerator and the denominator by exp(−m). Taking m = max(o) makes every exponent ≤ 0, so exp never overflows and the largest term is exactly 1. Without it, exp overflows to Infinity above z = {float64} in float64 (z = {float32} in float32). For logits {bigLogits} in float64, exp(o) is {naiveExps}, and the naive softmax Infinity / Infinity gives {naive}. Subtracting the maximum gives {shifted}, and the stable softmax is {stable}.',
  // ---- Explanations: the questions a learner asks (src/explain/questions.ts; numbers computed) ----
  'explain.question.which-loss.heading': "Is this softmax regression's loss?",
  'explain.question.which-loss.text':
    "No. The {name} is a regression loss: it compares a real-valued prediction y′ with a real-valued target y, as linear regression does, and its figure plots the loss, the likelihood and the gradient against y′. Softmax regression is a classifier: it outputs logits z, turns them into probabilities ŷ = softmax(z), and is trained with cross-entropy, l = −log p, where p = ŷ_c is the probability of the true class c. Cross-entropy has its own three curves. Against the logit z_c of the true class they are the loss −log p, the likelihood p and the gradient p − 1 (`{logitCommand}`); against the probability p itself they are −log p, p and the gradient −1/p (`{probabilityCommand}`). For example, if y′ = {logit} were the true class's logit of a three-class classifier whose other logits are 0, then p = {probability}, the loss would be {ceLoss}, ∂l/∂z_c = {ceGradLogit} and ∂l/∂p = {ceGradProbability}.",
  'explain.question.half.heading': 'Why the ½ in ½(y − y′)²?',
  'explain.question.half.text':
    "The ½ is there for the gradient. Differentiating the square brings down a factor 2, and the ½ cancels it, so ∂l/∂y′ = y′ − y: the gradient is simply the error. At y = {target} and y′ = {prediction}: with the ½ the loss is {value} and the gradient {gradient}; without it, l = (y − y′)² (PyTorch's `nn.MSELoss` per element), the loss is {valueNoHalf} and the gradient {gradientNoHalf}, twice as large. The ½ moves neither the minimum nor the direction of the gradient: it only rescales the loss, which gradient descent absorbs into the learning rate (a step η on (y − y′)² is a step 2η on ½(y − y′)²). It is also exactly what the Gaussian likelihood with σ = 1 gives: −log p(y | y′) = ½(y − y′)² + ½ log 2π.",
  'explain.question.data.heading': 'What is the "data" in log P(data | y′)?',
  'explain.question.data.text':
    'The data are the training targets y_1, …, y_N, and the likelihood is the probability (density) of observing all of them given the predictions y′_1, …, y′_N. The model assumes the targets are independent given their predictions: each y_i depends on its own y′_i only, with its own noise. Then the joint density is the product of the per-sample densities, its log is the sum of their logs, and the negative log-likelihood divided by N is the mean loss plus the dropped constant. For a batch of N = {n} with targets y = {targets} and predictions y′ = {predictions}: the densities p(y_i | y′_i) are {densities}; their product, P(data | y′), is {product}; its log, {logProduct}, is the sum of the logs, {sumLogs}. The losses are {losses}, and −(1/N) Σ log p(y_i | y′_i) = {meanNll} = the mean loss {meanLoss} + {constant}. So minimising the mean loss over a batch maximises the likelihood of the batch. The sum is also what a computer can work with: a product of thousands of densities underflows to 0, while the sum of their logs stays finite. Independence is an assumption: when samples are not independent (several rows of one user, neighbouring times), the product counts the same evidence more than once, which is the non-IID worry of the validation lab.',
  'explain.question.quotient-rule.heading': 'ŷ − y by the quotient rule',
  'explain.question.quotient-rule.jacobian':
    "Most textbooks reach ŷ − y another way: differentiate the probability ŷ_c = exp(z_c) / S, with S = Σ_j exp(z_j), by the quotient rule. For i = c both the numerator and the denominator depend on z_c, which gives ∂ŷ_c/∂z_c = ŷ_c(1 − ŷ_c); for i ≠ c only the denominator does, which gives ∂ŷ_c/∂z_i = −ŷ_c ŷ_i. Over all classes these derivatives form the softmax Jacobian J = diag(ŷ) − ŷŷᵀ. For ŷ = {probs} it is (computed by the library's softmax backward pass, one row per class):",
  'explain.question.quotient-rule.combine':
    "The loss l = −log ŷ_c depends on the probabilities only through ŷ_c, with ∂l/∂ŷ_c = −1/ŷ_c = {outer}. The chain rule multiplies it with row c = {target} of J, {row}, whose diagonal entry is ŷ_c(1 − ŷ_c) = {diagonal}. At i = c this gives −(1/ŷ_c) · ŷ_c(1 − ŷ_c) = ŷ_c − 1; at i ≠ c it gives −(1/ŷ_c) · (−ŷ_c ŷ_i) = ŷ_i. The two cases together are ŷ_i − y_i with the one-hot y: {viaQuotient}. The log-sum-exp route gives the same through the library's cross-entropy backward pass: {viaLogSumExp}. That route is shorter and is how the library computes it; the quotient rule shows where the two cases come from.",
  'explain.question.information.heading': 'Self-information and entropy, before cross-entropy',
  'explain.question.information.text':
    "Cross-entropy is built from two simpler quantities. The self-information of an outcome x, I(x) = −log P(x), measures how surprising it is, in nats (natural logarithm; divide by log 2 for bits): a sure outcome carries none, a fair coin flip log 2 = {coin} nats, which is one bit, and rarer outcomes carry more. For ŷ = {probs}, the information of each class is {information} nats ({informationBits} bits). The entropy H(p) = Σ_i p_i I(i) is the expected surprise: for ŷ it is {entropy} nats, below the largest possible over {classes} classes, the uniform distribution's log C = {uniform}. A one-hot label has entropy 0, so its cross-entropy with ŷ is all Kullback–Leibler divergence and equals the self-information of the true class: I(c = {target}) = −log ŷ_c = {crossEntropy}, the loss below.",
  'explain.question.logits.heading': 'CrossEntropyLoss takes logits: passing probabilities by mistake',
  'explain.question.logits.text':
    "PyTorch's `nn.CrossEntropyLoss` and `F.cross_entropy`, like losslab's `crossEntropy`, take logits: they apply log-softmax themselves. Passing softmax outputs instead applies softmax twice, a classic mistake that raises no error. For logits {logits} and class {target}, the right call gives the loss {loss} and the gradient ŷ − y = {gradient}. Passed ŷ = {probs} instead, it computes −log softmax(ŷ)_c = {mistakenLoss}, and the gradient that reaches the logits through both softmaxes is {mistakenGradient}: smaller, because each softmax Jacobian shrinks it. Worse, the mistaken loss cannot reach 0: probabilities lie in [0, 1], so even a perfectly confident one-hot ŷ gives log(1 + (C − 1)/e) = {floor} for C = {classes}.",
  'explain.question.logits.training':
    "What it does to training, actually run: gradient descent (the library's `SGD`, lr = {lr}) on the logits themselves, once with the right loss and once with the mistake. The probability of the true class {target} after {steps} steps is {right} the right way and {mistaken} with probabilities passed by mistake. After {last} steps the real cross-entropy is {rightLoss} one way and {mistakenLoss} the other. `losslab loss cross-entropy` warns when every row of its input looks like probabilities.",
  'explain.question.same-code.heading': 'The same code in NumPy, PyTorch and losslab',
  'explain.question.same-code.intro':
    "The same computations in the three libraries. losslab follows PyTorch's names and semantics: `softmax(z, dim)` is `torch.softmax`, `crossEntropy(input, target)` is `F.cross_entropy` (the mean over the batch); NumPy has no softmax, so it is written out. The NumPy and PyTorch snippets are run by `scripts/golden_snippets.py`, and a test compares what they print with what losslab computes.",
  'explain.snippet.softmax-vector': 'Softmax of one vector:',
  'explain.snippet.softmax-batch': 'A batch: softmax along each row (NumPy axis 1, PyTorch and losslab dim 1):',
  'explain.snippet.softmax-stable': 'The stable version: subtract the maximum before exp (exp of these logits overflows):',
  'explain.snippet.cross-entropy': "Cross-entropy of a batch with class indices, and its gradient (the mean's 1/N included):",
  'explain.snippet.prints': 'All three print: {output}',

  // ---- losslab tour (src/explain/tour.ts) ----
  'tour.intro': 'losslab tour — every number here is computed by the library as you read it.',
  'tour.softmax.title': 'Softmax turns logits into probabilities; cross-entropy scores the true class.',
  'tour.softmax.logits': 'logits z',
  'tour.softmax.probabilities': 'softmax(z)',
  'tour.softmax.sum': '(sum {sum})',
  'tour.softmax.crossEntropy': 'cross-entropy',
  'tour.softmax.lossNote': '= −log p{sub} for true class {c}',
  'tour.softmax.gradient': 'gradient',
  'tour.softmax.gradientNote': '= softmax(z) − onehot({c})',
  'tour.stable.title': 'Why subtract the maximum: exp overflows long before the probabilities do.',
  'tour.stable.logits': 'logits',
  'tour.stable.naive': 'naive exp(z)/Σ',
  'tour.stable.naiveNote': '(exp({zmax}) = {expmax})',
  'tour.stable.stable': 'stable softmax',
  'tour.stable.stableNote': '(exp(z − max z) never exceeds {one})',
  'tour.l2.title': 'L2 loss ½(y − y′)² is the negative log of a Gaussian likelihood (σ = {sigma}), up to a constant.',
  'tour.l2.header': 'y′      loss     gradient  likelihood p(y={target} | y′)',
  'tour.questions': 'Questions a learner asks, answered with numbers (in full: losslab explain l2, losslab explain softmax, and the web lab):',
  'tour.question.which-loss':
    "Is the L2 figure softmax regression's loss? No: it is the regression loss. Softmax regression is trained with cross-entropy, whose own curves are (other logits {others}):",
  'tour.whichLoss.commands': 'draw them: {logitCommand}, {probabilityCommand}',
  'tour.question.half':
    'Why the ½ in ½(y − y′)²? At y = {target}, y′ = {prediction} the gradient is {gradient} with it and {gradientNoHalf} without: the ½ cancels the factor that differentiating the square brings down.',
  'tour.question.data':
    'The "data" in log P(data | y′) are the targets, assumed independent: for y = {targets} and y′ = {predictions}, P(data | y′) = Π p(y_i | y′_i) = {product}, log P = Σ log p = {sumLogs}, and −(1/N) log P = {meanNll} = mean L2 loss {meanLoss} + {constant}.',
  'tour.question.quotient-rule': 'ŷ − y by the quotient rule: for z = {logits} the softmax Jacobian diag(ŷ) − ŷŷᵀ is',
  'tour.quotient.combine': '−(1/ŷ_c) × row {target} = {viaQuotient} = ŷ − y, as the log-sum-exp route gives: {viaLogSumExp}',
  'tour.question.information':
    'Self-information I = −log ŷ = {information} nats for ŷ = {probs}; entropy H(ŷ) = {entropy}, at most log C = {uniform}; the cross-entropy of class {target} is its self-information, {crossEntropy}.',
  'tour.question.logits':
    'CrossEntropyLoss takes logits. Passing softmax(z) by mistake gives the loss {mistakenLoss} (right: {loss}) and the gradient {mistakenGradient} (right: {gradient}); it can never fall below {floor}.',
  'tour.logits.training': 'p(class {target}) after {steps} SGD steps (lr {lr}): right {right}, mistaken {mistaken}',
  'tour.question.same-code':
    'The same code in NumPy, PyTorch and losslab, side by side and tested against each other (losslab explain softmax). Softmax of one vector prints {output} in all three:',
  'tour.next': 'Next:',
  'tour.next.start': 'the web lab (loss explorer, softmax playground, training, validation lab)',
  'tour.next.plot': 'the d2l loss / likelihood / gradient figure (also .png, .csv; --lang zh)',
  'tour.next.explain': 'the derivation, with every number computed',
  'tour.next.train': 'softmax regression on Fashion-MNIST',
  'tour.next.shift': 'is my validation set like my training set?',
  'tour.next.explainL2': 'why ½, what the data is, the L2 figure vs cross-entropy',
  'tour.next.explainCrossEntropy': 'the gradient two ways, probabilities passed by mistake, NumPy / PyTorch / losslab side by side',

  // ---- Command-line warnings ----
  'warning.crossEntropyProbabilities':
    "{fn}: warning: every row of --input lies in [0, 1] and sums to 1, so it looks like probabilities (softmax outputs). Cross-entropy takes logits: it applies log-softmax itself, as PyTorch's CrossEntropyLoss does, so probabilities get softmax applied twice (losslab explain cross-entropy shows what that does). Pass the logits, or log-probabilities to 'losslab loss nll'.",

  // ---- Shift report: advice tied to the evidence (src/shift/advice.ts) ----
  'shift.advice.group.text':
    'Split by group: use GroupKFold or StratifiedGroupKFold with groups = "{group}" (losslab split --group {group}), so no {group} appears on both sides.',
  'shift.advice.group.evidence': '{shared} of {total} validation groups also occur in training, covering {fraction} of validation rows.',
  'shift.advice.timeOverlap.text': 'Split by time: train on the past, validate on the future (TimeSeriesSplit, or PurgedKFold with a gap) ordered by "{time}".',
  'shift.advice.timeOverlap.evidence': 'The time ranges overlap: {fraction} of validation rows are not later than the last training time.',
  'shift.advice.timeOrdered.text':
    'The split already respects time (validation comes after training); any shift found below is drift over time, which a deployed model will face too.',
  'shift.advice.timeOrdered.evidence': 'Every validation time is later than every training time.',
  'shift.advice.duplicates.text':
    'Remove validation rows that duplicate training rows (or split by the entity they come from); they inflate validation scores.',
  'shift.advice.duplicates.evidence':
    '{exact} exact ({exactFraction}) and {near} near duplicates (same cell of a {resolution}-SD grid) of training rows in the validation set.',
  'shift.advice.within.text':
    'Remove repeated rows inside a set before cross-validating on it: copies of one example can land on both sides of a fold, and they count twice in a score.',
  'shift.advice.within.evidence': '{train} repeated rows in the training set ({trainFraction}), {valid} in the validation set ({validFraction}).',
  'shift.advice.labels.text':
    'Class proportions differ: stratify on "{label}" (StratifiedKFold) when you resample, and report per-class metrics; if deployment has the validation proportions, reweight classes by q(y)/p(y).',
  'shift.advice.labels.evidence': "Chi-square = {statistic} (dof {dof}), p = {p}, Cramér's V = {v}.",
  'shift.advice.bbse.text':
    'Black-box shift estimation of the validation label distribution (valid if only p(y) changed): use its weights w = q(y)/p(y) to reweight the training loss or recalibrate.',
  'shift.advice.weighting.usable':
    'Importance weighting is reasonable: weight training rows by the domain classifier odds p/(1 − p) (covariate shift correction); check results with and without weights.',
  'shift.advice.weighting.unusable':
    'Importance weighting would leave too few effective rows to trust: prefer collecting training data like the validation set, or re-splitting, over reweighting.',
  'shift.advice.weighting.evidence':
    'Domain classifier AUC {auc} [{lo}, {hi}]; Kish effective sample size of the weights {ess} of {rows} training rows ({fraction}).',
  'shift.advice.features.text': 'Inspect {names}: how they were collected, their units and time of measurement.',
  'shift.advice.features.item': '{name}: {measure} = {value}, BH p = {p}',
  'shift.advice.features.drivers': 'domain classifier drivers: {drivers}',
  'shift.advice.none.text': 'No evidence that the sets differ: a random (k-fold) split is appropriate.',
  'shift.advice.none.textStratified': 'No evidence that the sets differ: a (stratified on "{label}") random k-fold split is appropriate.',
  'shift.advice.none.evidence': 'No test rejected at α = {alpha} (split across feature tests, MMD and the domain classifier); domain classifier AUC {auc}.',

  // ---- Cross-validation folds figure (losslab split --figure, the validation lab) ----
  'figure.folds.title': 'Cross-validation folds',
  'figure.folds.axis': 'sample index',
  'figure.folds.axisBinned': 'sample index (bins of {width})',
  'figure.folds.set': 'set',
  'figure.folds.train': 'train',
  'figure.folds.test': 'test',
  'figure.folds.unused': 'unused',
  'figure.folds.split': 'split {index}',
  'figure.folds.class': 'class',
  'figure.folds.group': 'group',
  'figure.folds.classGroup': 'class / group',
  'figure.folds.from': 'from',
  'figure.folds.to': 'to (exclusive)',

  // ---- Training report figures (losslab train, the Train page) ----
  'report.curve.title': 'Training curves',
  'report.curve.subtitle': 'train loss, train accuracy and test accuracy per epoch (d2l animator)',
  'report.curve.epoch': 'epoch',
  'report.curve.value': 'value',
  'report.curve.series': 'series',
  'report.curve.trainLoss': 'train loss',
  'report.curve.trainAccuracy': 'train acc',
  'report.curve.testAccuracy': 'test acc',
  'report.confusion.title': 'Confusion matrix (test set)',
  'report.confusion.subtitle': 'rows: true class, columns: predicted class; colour: fraction of the true class',
  'report.confusion.trueClass': 'true class',
  'report.confusion.predicted': 'predicted class',
  'report.confusion.count': 'count',
  'report.confusion.fraction': 'fraction of row',

  // ======== Web lab (pages, controls, help texts; `$…$` is TeX typeset with KaTeX) ========
  // ---- Shell ----
  'shell.otherLanguage': '中文',
  'shell.switchLanguageLabel': 'Switch the language to Chinese (切换到中文)',
  'shell.skipToContent': 'Skip to the page content',
  'shell.navLabel': 'Pages of the lab',
  'shell.footer': 'losslab runs every number on this page in your browser with its own TypeScript numerics. Works offline.',
  'nav.loss': 'Loss explorer',
  'nav.softmax': 'Softmax playground',
  'nav.train': 'Train',
  'nav.validation': 'Validation lab',

  // ---- Loss explorer ----
  'loss.heading': 'Loss explorer: loss, likelihood and gradient',
  'loss.lede':
    'Every regression loss is the negative log of a likelihood. Pick a loss, move the target and the parameters, and hover over the chart (or use the probe slider) to read the three curves.',
  'loss.controlsLabel': 'Loss and parameters',
  'loss.chartLabel': 'Loss (blue), likelihood (green) and gradient (orange) against the prediction',
  'loss.chooseLoss': 'Loss',
  'loss.target': 'Target y',
  'loss.targetProbability': 'Target y (a probability)',
  'loss.targetCount': 'Target y (a count)',
  'loss.targetSign': 'Target y (−1 or 1)',
  'loss.logInput': 'The prediction is the log of the rate (log_input)',
  'loss.full': "Add Stirling's term (full)",
  'loss.delta': 'Huber δ (delta)',
  'loss.beta': 'Smooth L1 β (beta)',
  'loss.sigma': 'Gaussian σ (standard deviation)',
  'loss.probe': 'Probe: prediction y′',
  'loss.probeLogit': 'Probe: logit z',
  'loss.hoverHint': 'Hover over the chart or move the probe to read the values at one point.',
  'loss.crossEntropyLink':
    "Softmax regression's loss is cross-entropy, not this one: see cross-entropy's own curves, against the logit and against the probability →",
  'loss.explain.title': '{name}: questions a learner asks',
  'loss.explain.likelihoodQ': 'What is the likelihood?',
  'loss.explain.gradientQ': 'How is the gradient derived?',
  'loss.explain.axesQ': 'What does each axis mean?',
  'loss.likelihood.bce':
    'Binary cross-entropy is the negative log-likelihood of a Bernoulli model: the logit z gives the probability p = σ(z) of class 1, and the target y (0, 1, or a soft label in between) is observed with probability p^y (1 − p)^(1 − y) = exp(−l). At z = {logit} and y = {target} that likelihood is {likelihood}. PyTorch computes the loss from the logit (`nn.BCEWithLogitsLoss`), never from σ(z), so it stays finite for large |z|.',
  'loss.gradient.bce':
    'Use σ′(z) = σ(z)(1 − σ(z)) and the chain rule on both terms: the factors cancel and ∂l/∂z = σ(z) − y, the predicted probability minus the target. At z = {logit} it is {gradient}. It is bounded by 1 in size, so a confident mistake gives a strong but finite push.',
  'loss.axes.density':
    'The horizontal axis is the prediction y′ while the target stays at y = {target}. The vertical axis is the value of each curve: blue is the loss l(y, y′); orange is its gradient ∂l/∂y′, the slope of the blue curve, zero where the loss is smallest; green is the likelihood exp(−l), normalised over the plotted range and multiplied by 10 as d2l scales it, so it can share the axis. It peaks at y′ = y.',
  'loss.axes.bce':
    'The horizontal axis is the logit z of class 1 while the target stays at y = {target}. The vertical axis is the value of each curve: blue is the loss, green is the probability σ(z) of class 1, orange is the gradient σ(z) − y, which tends to −y on the far left and to 1 − y on the far right.',
  'loss.axes.soft-margin':
    'The horizontal axis is the score z while the label stays at y = {target}. The vertical axis is the value of each curve: blue is the loss, green is the probability σ(z) of y = 1, orange is the gradient −y·σ(−y·z), which tends to −y on the side of wrong margins and to 0 on the side of right ones.',
  'loss.axes.poisson-nll':
    'The horizontal axis is the prediction y′ (the rate or its log) while the observed count stays at y = {target}. The vertical axis is the value of each curve: blue is the loss, orange its gradient, zero where the rate equals the count; green is the Poisson likelihood exp(−l), normalised over the plotted range and multiplied by 10 as d2l scales it, so it peaks where the rate equals the count.',

  // ---- Softmax playground ----
  'softmax.heading': 'Softmax playground',
  'softmax.lede':
    'Change the logits, the temperature and the true class: the probabilities ŷ, the cross-entropy and its gradient ŷ − y update as you type. Then switch off the stable computation and make the logits large.',
  'softmax.controlsLabel': 'Logits and settings',
  'softmax.logitsLegend': 'Logits z',
  'softmax.logitLabel': 'Logit z{i}',
  'softmax.addClass': 'Add a class',
  'softmax.removeClass': 'Remove a class',
  'softmax.largeLogits': 'Try large logits (100, 99, …)',
  'softmax.resetLogits': 'Reset the logits',
  'softmax.temperature': 'Temperature T',
  'softmax.trueClass': 'True class c',
  'softmax.classOption': 'class {i}',
  'softmax.dtype': 'Number type',
  'softmax.stableSwitch': 'Stable: subtract the max before exp (off = naive exp(z) / Σ exp(z))',
  'softmax.mistakeSwitch': 'Pass probabilities by mistake: cross-entropy of softmax(z) instead of the logits z (softmax applied twice)',
  'softmax.crossEntropyMistaken': 'cross-entropy of softmax(z), the mistake = {value} (right: {right})',
  'softmax.gradTitleMistaken': 'gradient of the mistaken loss, through both softmaxes',
  'softmax.mistakeNote':
    'Probabilities passed by mistake: the loss and the gradient shown are those of `crossEntropy(softmax(z / T))`, softmax applied twice. The loss cannot fall below {floor} however confident the model, and the gradient is smaller than ŷ − y.',
  'softmax.curves.heading': "Cross-entropy's own curves",
  'softmax.curves.help':
    "Softmax regression's counterpart of the L2 figure, for the true class c = {target}: blue is the loss −log p, green the likelihood p (the probability of the true class), orange the gradient. Left: against the true class's logit z_c, the other logits as set above ({others}), where the gradient is p − 1. Right: against p itself, where the gradient is −1/p.",
  'softmax.curves.logitLabel': 'Line chart of cross-entropy, its likelihood and its gradient against the logit of the true class',
  'softmax.curves.probabilityLabel': 'Line chart of cross-entropy, its likelihood and its gradient against the probability of the true class',
  'softmax.probChartLabel': 'Bar chart of the probabilities per class',
  'softmax.gradChartLabel': 'Bar chart of the gradient ŷ − y per class',
  'softmax.probTitle': 'probabilities ŷ = softmax(z / T)',
  'softmax.gradTitle': 'gradient of the cross-entropy ŷ − y',
  'softmax.axis.class': 'class',
  'softmax.col.class': 'class',
  'softmax.tableCaption': 'The numbers behind the bars (✓ marks the true class)',
  'softmax.crossEntropy': 'cross-entropy −log ŷ_c = {value}',
  'softmax.sum': 'Σ ŷ = {value}',
  'softmax.overflowWarning':
    'Overflow: exp(z) exceeded the largest {dtype} number, so the naive softmax gives Infinity / Infinity = NaN. Switch on the stable computation.',
  'softmax.explain.trickExample':
    'Now, in {dtype}: the largest logit is {zmax}, so the naive exp gives up to {expmax}; the naive ŷ of class {c} is {naive}, the stable one is {stable}. The cross-entropy shown is {ce}.',

  // ---- Train ----
  'train.heading': 'Train a classifier on Fashion-MNIST',
  'train.lede':
    'Softmax regression (one linear layer and softmax, d2l chapter 4), a small MLP or the convolutional LeNet-5 (d2l chapter 7), trained with minibatch SGD in a Web Worker in your browser, on Fashion-MNIST served by the lab itself.',
  'train.controlsLabel': 'Model and hyperparameters',
  'train.model': 'Model',
  'train.model.softmax': 'softmax regression',
  'train.model.mlp': 'MLP (one hidden layer, ReLU)',
  'train.model.cnn': 'LeNet-5 (convolutional network)',
  'train.hidden': 'Hidden units (MLP)',
  'train.lr': 'Learning rate',
  'train.batchSize': 'Batch size',
  'train.epochs': 'Epochs',
  'train.optimizer': 'Optimizer',
  'train.momentum': 'Momentum (SGD)',
  'train.weightDecay': 'Weight decay',
  'train.trainSize': 'Training images (a subset is faster)',
  'train.seed': 'Seed',
  'train.start': 'Start',
  'train.pause': 'Pause',
  'train.resume': 'Resume',
  'train.reset': 'Reset',
  'train.step': 'training step',
  'train.status.idle': 'Ready. Press Start to load the data and train.',
  'train.status.loading': 'Loading Fashion-MNIST from the lab server…',
  'train.status.training': 'Training: epoch {epoch} of {epochs}, batch {batch} of {batches}.',
  'train.status.paused': 'Paused after epoch {epoch}, batch {batch}. Press Resume to go on.',
  'train.status.done': 'Done. Epochs trained: {epochs}; test accuracy {accuracy}.',
  'train.status.error': 'Training stopped: {message}',
  'train.metrics.caption': 'Per-epoch results',
  'train.col.epoch': 'epoch',
  'train.col.trainLoss': 'train loss',
  'train.col.trainAccuracy': 'train accuracy',
  'train.col.testAccuracy': 'test accuracy',
  'train.col.seconds': 'seconds',
  'train.curvesTitle': 'training curves',
  'train.curvesLabel': 'Line chart of the loss and accuracy per epoch',
  'train.axis.epoch': 'epoch',
  'train.axis.value': 'value',
  'train.series.trainLoss': 'train loss',
  'train.series.trainAccuracy': 'train accuracy',
  'train.series.testAccuracy': 'test accuracy',
  'train.templates': 'The ten weight templates',
  'train.templatesHelp':
    'Each class has one row of weights, 784 numbers, shown as a 28 × 28 image: red pixels push towards the class, blue ones away from it. For the MLP, the product of the two layers is shown; for LeNet-5, the gradient of each class score with respect to the pixels at the average training image.',
  'train.confusion': 'Confusion matrix (test set)',
  'train.confusionHelp': 'Row: the true class; column: the predicted class. The diagonal counts correct predictions.',
  'train.confusion.true': 'true',
  'train.confusion.predicted': 'predicted',
  'train.slices': 'Where the errors concentrate (test set)',
  'train.slicesHelp':
    'Slices of the test images by true class and simple image features (ink: share of non-blank pixels; brightness; centre_row, centre_col: centre of mass; height, width: extent) whose error rate is significantly higher than elsewhere (Fisher exact test, Benjamini–Hochberg at 5 %), best SliceLine score first — as losslab errors --model.',
  'train.slices.none': 'No slice has a significantly higher error rate than the rest.',
  'train.slices.class': 'class',
  'train.slices.col.slice': 'slice',
  'train.slices.col.rows': 'rows',
  'train.slices.col.errorRate': 'error rate [95% CI]',
  'train.slices.col.elsewhere': 'elsewhere',
  'train.wrong': 'Most confidently wrong test images',
  'train.wrongItem': 'true: {truth} · predicted: {predicted} ({confidence})',
  'train.noResults': 'Results appear here after the first epoch.',

  // ---- Validation lab ----
  'validation.heading': 'Validation lab: splits and distribution shift',
  'validation.lede':
    'Load a CSV file (or a built-in demo with a known shift), choose a split strategy and see which rows land in which fold; then compare a training and a validation set and read the shift report.',
  'validation.dataLegend': 'Data',
  'validation.loadFile': 'CSV file',
  'validation.demo': 'Built-in demo',
  'validation.demo.none': '(load a file instead)',
  'validation.demo.covariate': 'covariate shift (x moves, labels follow)',
  'validation.demo.label': 'label shift (class mix changes)',
  'validation.demo.group': 'groups (several rows per user)',
  'validation.demo.time': 'time series (drift over time)',
  'validation.summary': '{rows} rows, {columns} columns: {names}',
  'validation.kind.numeric': 'numeric',
  'validation.kind.categorical': 'categorical',
  'validation.splitLegend': 'Split',
  'validation.strategy': 'Strategy',
  'validation.folds': 'Folds (n_splits)',
  'validation.labelColumn': 'Label column',
  'validation.groupColumn': 'Group column',
  'validation.timeColumn': 'Time column (rows are sorted by it)',
  'validation.noColumn': '(none)',
  'validation.shuffle': 'Shuffle (random_state = seed)',
  'validation.seed': 'Seed',
  'validation.foldsTitle': 'Fold membership per row',
  'validation.foldsLabel': 'Chart: for every fold, which rows are in training and which in the test fold',
  'validation.foldTable.caption': 'Fold sizes',
  'validation.col.fold': 'fold',
  'validation.col.train': 'train rows',
  'validation.col.test': 'test rows',
  'validation.col.testClasses': 'test class mix',
  'validation.col.testGroups': 'test groups',
  'validation.shiftLegend': 'Shift diagnostics',
  'validation.shiftHelp':
    'Compare the training part with the validation part: the last {percent}% of the rows (in file order) are the validation set, as a time-based hold-out would make them.',
  'validation.validFraction': 'Validation share (%)',
  'validation.runShift': 'Run the shift diagnostics',
  'validation.embeddingTitle': 'Embedding of the rows (2-D), coloured by set',
  'validation.embeddingLabel': 'Scatter plot of a two-dimensional embedding of training and validation rows',
  'validation.embeddingMethod': 'Embedding',
  'validation.embeddingProgress': 'Progress of the embedding',
  'validation.embeddingStep': '{method}: {done} of {total}',
  'validation.embeddingDone': '{method} of {rows} rows',
  'validation.set.train': 'training',
  'validation.set.valid': 'validation',
  'validation.report': 'Shift report',
  'validation.col.feature': 'feature',
  'validation.col.kind': 'kind',
  'validation.col.statistic': 'statistic',
  'validation.col.pvalue': 'p-value',
  'validation.col.adjusted': 'adjusted p (Benjamini–Hochberg)',
  'validation.col.effect': 'effect size',
  'validation.verdict.shift': 'shifted',
  'validation.verdict.ok': 'no evidence of shift',
  'validation.col.flag': 'verdict',
  'validation.overall.shift': 'Overall: the validation part differs from the training part (see the reasons and advice below).',
  'validation.overall.none': 'Overall: no evidence that the validation part differs from the training part.',
  'validation.mmd': 'MMD² with an RBF kernel: {value} (permutation p = {p})',
  'validation.domainClassifier': 'Domain classifier (train vs validation): AUC {auc}, 95% CI [{lo}, {hi}], p = {p}',
  'validation.advice': 'Advice (from the evidence above)',
  'validation.tooManySplits': 'this strategy makes {count} splits here; the chart draws at most {max}. Choose fewer rows or another strategy.',
  'validation.error': 'Cannot do that: {message}',
} as const;

/** A message key: one entry of the catalogue. */
export type MessageKey = keyof typeof en;

/** A complete catalogue: every key, each a template string. */
export type Catalogue = { readonly [K in MessageKey]: string };
