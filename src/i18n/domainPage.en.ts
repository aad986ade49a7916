/**
 * English texts of the web lab's domain-shift page (src/web/pages/domain.ts): the decision guide,
 * the three playgrounds and the explanation panel of each method. Spread into `en` (src/i18n/en.ts),
 * so they are ordinary catalogue keys; `domainPage.zh.ts` has exactly these keys.
 */
export const domainPageEn = {
  'nav.domain': 'Domain shift',
  'domain.heading': 'Domain shift: adapt or generalise, and watch it work',
  'domain.lede':
    'When the data you train on and the data you will meet come from different domains, a model that is right on the first can be wrong on the second. This page follows the steps a practitioner takes, then lets you train the remedies live and compare them per domain.',
  'domain.libraryNote':
    'Every number on this page is computed in your browser by losslab’s library (src/adapt, src/data, src/nn) — the same code as `losslab adapt` — in a Web Worker on the WebAssembly kernels.',

  'domain.guide.title': 'Decision guide: what to do, in order',
  'domain.guide.cause.title': 'Find the cause',
  'domain.guide.cause.text':
    'Compare the training data with the data you will meet: which features moved, by how much, and can a classifier tell the two apart? Covariate shift, label shift and concept shift need different remedies.',
  'domain.guide.cause.link': 'Shift report in the validation lab',
  'domain.guide.split.title': 'Choose the split',
  'domain.guide.split.text':
    'Validate the way the model will be used: group-wise when rows of one user, patient or site belong together, time-ordered when the future differs from the past, stratified when classes are rare.',
  'domain.guide.split.link': 'Splits in the validation lab',
  'domain.guide.adapt.title': 'Adapt or generalise',
  'domain.guide.adapt.text':
    'Unlabelled data of the target domain available: adapt (DANN, Deep CORAL, MMD/DAN, importance weighting). Several labelled training domains and an unseen test domain: generalise (IRM, VREx, GroupDRO, CORAL/MMD across domains). Always compare with plain ERM — it is hard to beat.',
  'domain.guide.adapt.link': 'The playgrounds below',
  'domain.guide.evaluate.title': 'Evaluate per subgroup',
  'domain.guide.evaluate.text':
    'Report accuracy per domain, not one average: the worst domain is the one that fails in use. Select models with a rule that does not peek at the test domain, and say which rule you used.',
  'domain.guide.evaluate.link': 'Per-domain table of losslab adapt',
  'domain.guide.errors.title': 'Look at the errors',
  'domain.guide.errors.text':
    'Read the misclassified examples and the confusion matrix of the worst domain: they show whether the model leans on a spurious cue (colour, background, angle) or the labels themselves differ.',
  'domain.guide.errors.link': 'Errors and confusion on the Train page',
  'domain.guide.command': 'Command: {command}',

  'domain.controls.start': 'Start',
  'domain.controls.pause': 'Pause',
  'domain.controls.resume': 'Resume',
  'domain.controls.reset': 'Reset',
  'domain.controls.method': 'Method',
  'domain.controls.steps': 'Training steps',
  'domain.controls.seed': 'Seed',
  'domain.status.idle': 'Ready. Choose a method and press Start.',
  'domain.status.loading': 'Loading the data and building the model…',
  'domain.status.training': 'Training {method}: step {step} of {steps}.',
  'domain.status.paused': 'Paused at step {step} of {steps}.',
  'domain.status.done': '{method} finished {steps} steps.',
  'domain.status.error': 'Something went wrong: {message}',
  'domain.axis.step': 'training step',
  'domain.axis.accuracy': 'accuracy',
  'domain.axis.penalty': 'penalty',
  'domain.results.caption': 'Finished runs on this visit (final accuracy per domain)',
  'domain.results.method': 'method',
  'domain.results.none': 'No finished run yet.',
  'domain.curvesLabel': 'Line chart of the accuracy of each domain over the training steps',

  'domain.moons.title': '1 · Two moons: adapt to a rotated target',
  'domain.moons.intro':
    'The labelled source cloud (scikit-learn’s make_moons) and an unlabelled target cloud turned by an angle. Source-only training draws a boundary that fits the source and cuts through the turned target; the alignment methods also pull the target’s features onto the source’s, so the same boundary serves both.',
  'domain.moons.angle': 'Rotation of the target cloud (degrees)',
  'domain.moons.boundaryTitle': 'Decision boundary over both clouds',
  'domain.moons.boundaryLabel': 'Scatter plot of the source and target points over the shaded decision function of the model',
  'domain.moons.featuresTitle': 'Learned features (first two principal components)',
  'domain.moons.featuresLabel': 'Scatter plot of the learned features of source and target points',
  'domain.moons.lambda': 'DANN’s λ at this step: {lambda} (schedule λ = 2/(1 + e^(−10p)) − 1, p = step / steps)',
  'domain.moons.transfer': 'Alignment loss at this step: {value}',
  'domain.moons.legend.source0': 'source, class 0',
  'domain.moons.legend.source1': 'source, class 1',
  'domain.moons.legend.target': 'target (labels hidden)',
  'domain.moons.legend.target0': 'target, class 0',
  'domain.moons.legend.target1': 'target, class 1',
  'domain.domain.source': 'source',
  'domain.domain.target': 'target',

  'domain.colored.title': '2 · Colored Fashion-MNIST: invariance against a spurious colour',
  'domain.colored.intro':
    'The IRM paper’s construction on Fashion-MNIST: the label is “class < 5” with 25% noise, the colour agrees with the label in 80% and 90% of the two training environments and in only 10% of the test environment. Colour is the easier cue in training and a wrong one at test time; ERM takes it, IRM and VREx penalise what differs between environments.',
  'domain.colored.rows': 'Images (a subset of Fashion-MNIST, split into the three environments)',
  'domain.colored.penaltyTitle': 'Penalty over the steps',
  'domain.colored.penaltyLabel': 'Line chart of the IRM or VREx penalty over the training steps',
  'domain.colored.examples': 'Example images of each environment (red or green channel = the colour)',
  'domain.colored.env0': 'train, colour agrees 80%',
  'domain.colored.env1': 'train, colour agrees 90%',
  'domain.colored.env2': 'test, colour agrees 10%',
  'domain.colored.example': '{environment}: label {label}, colour {colour}',
  'domain.colored.red': 'red',
  'domain.colored.green': 'green',

  'domain.rotated.title': '3 · Rotated Fashion-MNIST: generalise to an unseen angle',
  'domain.rotated.intro':
    'DomainBed’s Rotated MNIST on Fashion-MNIST: six domains at 0°, 15°, …, 75°. One angle is held out; the model trains on the other five and is scored on all six. The embedding shows whether the features of the domains overlap.',
  'domain.rotated.heldOut': 'Held-out angle (test domain)',
  'domain.rotated.rows': 'Images (a subset, dealt to the six angles)',
  'domain.rotated.embeddingTitle': 'Embedding of the learned features (t-SNE), coloured by domain',
  'domain.rotated.embeddingLabel': 'Scatter plot of a t-SNE embedding of the learned features, coloured by rotation angle',
  'domain.rotated.domain': '{angle}°',
  'domain.rotated.test': 'test',

  'domain.method.assumes': 'Assumes',
  'domain.method.fails': 'Fails when',
  'domain.methods.title': 'The methods',
  'domain.method.source-only.name': 'Source only (ERM on the source)',
  'domain.method.source-only.formula': '\\min_\\theta \\; \\frac{1}{n_s}\\sum_{i=1}^{n_s} \\ell\\big(g(f(x^s_i)), y^s_i\\big)',
  'domain.method.source-only.summary': 'Ordinary training on the labelled source domain; the target is never used.',
  'domain.method.source-only.assumes': 'The target looks like the source (no shift), or the shift does not touch what the classifier uses.',
  'domain.method.source-only.fails': 'The target moved: the boundary fitted to the source cuts through the target.',
  'domain.method.dann.name': 'DANN (domain-adversarial training)',
  'domain.method.dann.formula':
    '\\min_{f,g}\\max_{h}\\; \\mathcal{L}_y(g(f(x^s)), y^s) - \\lambda_p\\, \\mathcal{L}_d(h(f(x)), d), \\quad \\lambda_p = \\frac{2}{1+e^{-10p}} - 1',
  'domain.method.dann.summary':
    'A discriminator h learns to tell source from target features; a gradient-reversal layer makes the featurizer f produce features it cannot tell apart, while the classifier g keeps them useful.',
  'domain.method.dann.assumes': 'Covariate shift with the same labelling rule, and features that can be aligned without mixing the classes.',
  'domain.method.dann.fails':
    'The label distributions differ (aligning the marginals then mixes classes), or the adversarial game is unstable (λ too large too early; the schedule starts λ at 0).',
  'domain.method.deep-coral.name': 'Deep CORAL (correlation alignment)',
  'domain.method.deep-coral.formula':
    '\\mathcal{L} = \\mathcal{L}_y + \\gamma\\,\\Big(\\operatorname{mean}_k(\\mu_s - \\mu_t)_k^2 + \\operatorname{mean}_{kl}(C_s - C_t)_{kl}^2\\Big)',
  'domain.method.deep-coral.summary': 'Matches the mean and the covariance of the source and target features.',
  'domain.method.deep-coral.assumes': 'The shift is mostly in the first two moments of the features; the same labelling rule.',
  'domain.method.deep-coral.fails': 'The domains differ in higher moments or in their label proportions; small batches give noisy covariances.',
  'domain.method.dan.name': 'MMD (DAN, multi-kernel maximum mean discrepancy)',
  'domain.method.dan.formula':
    '\\mathcal{L} = \\mathcal{L}_y + \\gamma\\,\\mathrm{MMD}^2_k(f(x^s), f(x^t)), \\quad k = \\sum_u e^{-\\lVert a-b\\rVert^2/\\sigma_u}',
  'domain.method.dan.summary': 'Makes the source and target feature distributions close in a kernel space (several Gaussian kernels at once).',
  'domain.method.dan.assumes': 'Covariate shift; kernels whose widths match the scale of the features.',
  'domain.method.dan.fails': 'Label proportions differ between domains; the estimate is noisy with small batches.',
  'domain.method.erm.name': 'ERM (empirical risk minimisation)',
  'domain.method.erm.formula': '\\min_\\theta \\; \\frac{1}{E}\\sum_{e=1}^{E} R^e(\\theta), \\quad R^e = \\mathbb{E}_{(x,y)\\sim e}\\, \\ell(g(f(x)), y)',
  'domain.method.erm.summary': 'Pools the training domains and minimises the average loss: the baseline every method must beat.',
  'domain.method.erm.assumes': 'What predicts the label in training keeps predicting it at test time.',
  'domain.method.erm.fails': 'A spurious cue (colour, background) is easier than the real one in training and flips at test time.',
  'domain.method.irm.name': 'IRM (invariant risk minimisation, IRMv1)',
  'domain.method.irm.formula': '\\min_\\theta \\; \\sum_e R^e(\\theta) + \\lambda \\,\\big\\lVert \\nabla_{w \\mid w=1} R^e(w \\cdot \\theta) \\big\\rVert^2',
  'domain.method.irm.summary':
    'Asks for features on which the same classifier is optimal in every training environment: the gradient of each environment’s risk with respect to a dummy scale w must vanish.',
  'domain.method.irm.assumes': 'An invariant predictor exists, and the training environments differ enough to reveal the spurious cue.',
  'domain.method.irm.fails':
    'The environments are too similar (nothing to tell the cues apart), the model is large enough to satisfy the penalty trivially, or the penalty weight is switched on before the model has learned anything (hence the annealing).',
  'domain.method.vrex.name': 'VREx (variance risk extrapolation)',
  'domain.method.vrex.formula': '\\min_\\theta \\; \\frac{1}{E}\\sum_e R^e(\\theta) + \\lambda \\operatorname{Var}_e\\big(R^e(\\theta)\\big)',
  'domain.method.vrex.summary': 'Penalises the variance of the risks across the training environments, so no environment is fitted at the expense of another.',
  'domain.method.vrex.assumes': 'Equal risks across environments signal an invariant predictor.',
  'domain.method.vrex.fails':
    'Environments differ in noise level (equal risks are then impossible), or the test shift is of a kind the training environments never show.',
  'domain.method.coral.name': 'CORAL across training domains',
  'domain.method.coral.formula':
    '\\mathcal{L} = \\frac{1}{E}\\sum_e R^e + \\gamma \\operatorname{mean}_{i<j}\\Big(\\lVert\\mu_i - \\mu_j\\rVert^2 + \\lVert C_i - C_j\\rVert^2\\Big)',
  'domain.method.coral.summary': 'ERM while matching the feature means and covariances of every pair of training domains (DomainBed’s CORAL).',
  'domain.method.coral.assumes': 'Features that look alike across the training domains also look alike in the unseen one.',
  'domain.method.coral.fails': 'The test domain lies outside the range of the training domains (extrapolation).',
  'domain.method.mmd.name': 'MMD across training domains',
  'domain.method.mmd.formula': '\\mathcal{L} = \\frac{1}{E}\\sum_e R^e + \\gamma \\operatorname{mean}_{i<j}\\mathrm{MMD}^2(f(x^i), f(x^j))',
  'domain.method.mmd.summary': 'ERM while making the feature distributions of the training domains close under Gaussian kernels (DomainBed’s MMD).',
  'domain.method.mmd.assumes': 'As CORAL: alignment across seen domains carries over to an unseen one.',
  'domain.method.mmd.fails': 'The unseen domain is beyond the seen ones; kernel widths far from the feature scale.',
  'domain.method.dann-dg.name': 'DANN across training domains',
  'domain.method.dann-dg.formula': '\\min_{f,g}\\max_h \\; \\frac{1}{E}\\sum_e R^e - \\lambda\\,\\mathcal{L}_d(h(f(x)), e)',
  'domain.method.dann-dg.summary': 'A discriminator tries to tell the training domains apart from the features; the featurizer learns to fool it.',
  'domain.method.dann-dg.assumes': 'Domain-invariant features exist and keep the label information; the class proportions agree across domains.',
  'domain.method.dann-dg.fails': 'Class proportions differ across domains; unstable adversarial training.',
} as const;

export type DomainPageKey = keyof typeof domainPageEn;
