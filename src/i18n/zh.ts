import { domainPageZh } from './domainPage.zh.js';
import type { Catalogue } from './en.js';

/**
 * 中文消息目录：与 `en.ts` 的键完全相同（缺少或多出一个键都是编译错误）。
 * The Chinese catalogue: exactly the keys of `en.ts`, typed as `Catalogue`.
 */
export const zh: Catalogue = {
  // ---- 网页实验室：领域偏移页面（单独的文件） ----
  ...domainPageZh,
  // ---- 图：回归损失（d2l 的 “L2 Loss” 图） ----
  'figure.axis.prediction': '预测值 y′（目标 y = {target}）',
  'figure.axis.value': '各曲线的值',
  'figure.legend.curves': '曲线',
  'figure.curve.loss': '损失 l(y, y′)',
  'figure.curve.likelihood': '似然 exp(−l)，按 d2l 的方式缩放',
  'figure.curve.gradient': '梯度 ∂l/∂y′',
  'figure.title.regression': '{name}：{formula}',
  'figure.subtitle.regression': '蓝色：损失 · 绿色：似然（10 × 在绘图区间上归一化的 exp(−l)） · 橙色：梯度',

  'loss.l2.name': 'L2 损失',
  'loss.mse.name': '平方误差（MSELoss）',
  'loss.l1.name': 'L1 损失',
  'loss.huber.name': 'Huber 损失（δ = {delta}）',
  'loss.smooth-l1.name': '平滑 L1 损失（β = {beta}）',
  'loss.gaussian-nll.name': '高斯负对数似然损失（σ = {sigma}）',
  'loss.poisson-nll.name': '泊松负对数似然损失',
  'loss.soft-margin.name': '软间隔损失',
  'loss.cross-entropy.name': '交叉熵',
  'loss.bce.name': '带 logits 的二元交叉熵',

  // ---- 图：以真实类别的 logit 为横轴的分类损失 ----
  'figure.axis.logitTrue': '真实类别 {target} 的 logit z（其他 logits 为 {others}）',
  'figure.axis.bce': '类别 1 的 logit z（目标 y = {target}）',
  'figure.curve.classLoss': '损失 −log p',
  'figure.curve.bce.loss': '损失 l(y, z)（y = 1 时为 −log p）',
  'figure.curve.probability': '似然 p，即真实类别的概率',
  'figure.curve.classLikelihood': '似然 P(y = c) = p',
  'figure.curve.probabilityGradient': '梯度 ∂l/∂p = −1/p',
  'figure.axis.probabilityTrue': '真实类别的概率 p = softmax(z)_c',
  'figure.curve.bce.probability': '类别 1 的概率 p = σ(z)',
  'figure.curve.classGradient': '梯度 ∂l/∂z = p − 1',
  'figure.curve.bce.gradient': '梯度 ∂l/∂z = σ(z) − y',
  'figure.title.crossEntropy': '交叉熵：l = −log softmax(z)_c = logsumexp(z) − z_c',
  'figure.title.crossEntropyProbability': '交叉熵随真实类别概率的变化：l = −log p',
  'figure.title.bce': '二元交叉熵：l = −y log σ(z) − (1 − y) log(1 − σ(z))',
  'figure.title.soft-margin': '软间隔损失：l = log(1 + e^(−y·z))，y ∈ {−1, 1}',
  'figure.axis.soft-margin': '得分 z（目标 y = {target}）',
  'figure.curve.soft-margin.loss': '损失 l(y, z) = log(1 + e^(−y·z))',
  'figure.curve.soft-margin.probability': 'y = 1 的概率 σ(z)',
  'figure.curve.soft-margin.gradient': '梯度 ∂l/∂z = −y·σ(−y·z)',

  // ---- 图：softmax ----
  'figure.title.softmax': 'softmax：p_i = exp(z_i / T) / Σ_j exp(z_j / T)，T = {temperature}',
  'figure.title.softmaxNaive': '不减最大值的 softmax：exp 在 {float32}（float32）和 {float64}（float64）以上溢出',
  'figure.axis.class': '类别',
  'figure.axis.logit': 'logit z',
  'figure.axis.probability': '概率',
  'figure.axis.exp': 'exp(z)',
  'figure.legend.method': '计算方式',
  'figure.method.stable': '稳定（先减去最大值）',
  'figure.method.naive64': '朴素，float64',
  'figure.method.naive32': '朴素，float32',
  'figure.threshold.float32': 'float32：z 超过 {value} 时 exp 溢出',
  'figure.threshold.float64': 'float64：z 超过 {value} 时 exp 溢出',

  // ---- 推导：通用 ----
  'explain.title.loss': '{name}从何而来：似然、负对数似然与梯度',
  'explain.title.softmax': 'Softmax：从 logits 到概率、交叉熵与数值稳定的计算',
  'explain.title.crossEntropy': '交叉熵：信息、似然及其梯度',

  // ---- 推导：回归损失 ----
  'explain.loss.heading.loss': '损失',
  'explain.loss.heading.likelihood': '背后的似然',
  'explain.loss.heading.nll': '负对数似然：为什么最小化它就是最小化损失',
  'explain.loss.heading.gradient': '用链式法则求梯度',
  'explain.loss.heading.figure': '如何读这张图',

  'explain.loss.l2.intro':
    'L2 损失（d2l 的 `squared_loss`；PyTorch 的 `0.5 * nn.MSELoss(reduction="none")`）用差的平方的一半来比较预测值 y′ 与目标值 y。在 y = {target}、y′ = {prediction} 时，它等于 {value}。',
  'explain.loss.mse.intro':
    '平方误差（PyTorch 的 `nn.MSELoss`，这里逐元素计算、不取平均）就是差的平方，是 L2 损失的两倍。在 y = {target}、y′ = {prediction} 时，它等于 {value}。',
  'explain.loss.l1.intro': 'L1 损失（PyTorch 的 `nn.L1Loss`）是差的绝对值。在 y = {target}、y′ = {prediction} 时，它等于 {value}。',
  'explain.loss.huber.intro':
    'Huber 损失（PyTorch 的 `nn.HuberLoss(delta={delta})`）在误差不超过 δ 时是二次的，超过后是线性的，因此单个离群点无法主导损失。在 y = {target}、y′ = {prediction} 时，它等于 {value}。',
  'explain.loss.smooth-l1.intro':
    '平滑 L1 损失（PyTorch 的 `nn.SmoothL1Loss(beta={beta})`）是 Huber 损失除以 β：误差小于 β 时是二次的，之后是 |y − y′| − β/2。在 y = {target}、y′ = {prediction} 时，它等于 {value}。',
  'explain.loss.gaussian-nll.intro':
    '高斯负对数似然损失（PyTorch 的 `nn.GaussianNLLLoss`，`full=False`）同时接收预测的均值 y′ 和方差 σ²；这里 σ = {sigma}。在 y = {target}、y′ = {prediction} 时，它等于 {value}。',

  'explain.loss.l2.likelihood':
    '假设目标值等于预测值加上高斯噪声：y = y′ + ε，ε ~ N(0, σ²)。于是观测到 y 的概率密度就是下面的正态密度。取 σ = 1，在 y = {target}、y′ = {prediction} 时，它等于 {density}。',
  'explain.loss.mse.likelihood': '平方误差对应方差 σ² = ½ 的高斯噪声模型：y = y′ + ε，ε ~ N(0, ½)。在 y = {target}、y′ = {prediction} 时，密度为 {density}。',
  'explain.loss.l1.likelihood':
    '改为假设拉普拉斯噪声：y = y′ + ε，密度为 ½ exp(−|ε|)。它的尾部比高斯分布更厚，所以大的误差不那么“意外”。在 y = {target}、y′ = {prediction} 时，密度为 {density}。',
  'explain.loss.huber.likelihood':
    'Huber 损失是这样一个密度的负对数：中间是高斯形状，尾部像拉普拉斯分布：p(y | y′) = exp(−l(y, y′)) / Z，Z 使其积分为一。在 y = {target}、y′ = {prediction} 时，密度为 {density}。',
  'explain.loss.smooth-l1.likelihood':
    '与 Huber 一样，平滑 L1 是密度 exp(−l(y, y′)) / Z 的负对数：在目标附近是高斯形状，尾部是指数形状。在 y = {target}、y′ = {prediction} 时，密度为 {density}。',
  'explain.loss.gaussian-nll.likelihood':
    '模型同时预测高斯噪声的均值 y′ 和方差 σ²：y ~ N(y′, σ²)。在 y = {target}、y′ = {prediction}、σ = {sigma} 时，密度为 {density}。',

  'explain.loss.nll':
    '训练就是最大化目标值的似然，也就是最小化负对数似然 −log p(y | y′)。取对数把密度变成一个和：一个与 y′ 无关的常数，加上损失。这里常数是 {constant}，而 −log p = {nll} = {constant} + {value}。常数不会移动最小值的位置，所以被省略：{minimiser}',
  'explain.loss.l2.minimiser':
    '最小化负对数似然就是最小二乘。σ 只会把损失缩放 1/σ² 并加上 ½ log(2πσ²)（σ = 1 时为 ½ log 2π = {constant}）；两者都不改变最小值的位置，所以 L2 损失取 σ = 1。',
  'explain.loss.mse.minimiser': '最小化负对数似然就是最小二乘，与 L2 损失相同；σ² = ½ 只决定尺度。',
  'explain.loss.l1.minimiser': '最小化它就是最小绝对偏差，在一组数据上的最优解是中位数而不是均值。省略的常数是 log 2 = {constant}。',
  'explain.loss.huber.minimiser': '最小化它时，小误差表现得像最小二乘，超过 δ 的误差表现得像最小绝对偏差。省略的常数是 log Z = {constant}。',
  'explain.loss.smooth-l1.minimiser': '最小化它时，小于 β 的误差表现得像最小二乘，超过后像最小绝对偏差。省略的常数是 log Z = {constant}。',
  'explain.loss.gaussian-nll.minimiser':
    '除非 `full=True`，PyTorch 会省略 ½ log 2π = {constant}。与 L2 损失不同，方差被保留下来，因为模型要学习它：更大的 σ² 让误差更便宜，但要付出 ½ log σ²。',

  'explain.loss.l2.gradient':
    '记 u = y − y′，则 l = ½u²。由链式法则，∂l/∂y′ = (∂l/∂u)(∂u/∂y′) = u · (−1) = y′ − y。在 y′ = {prediction} 处梯度为 {gradient}。它恰好在 y′ = y 处为零，并随误差线性增长，所以大的误差（离群点）拉得最用力。',
  'explain.loss.mse.gradient': '记 u = y − y′，l = u²，则 ∂l/∂y′ = 2u · (−1) = 2(y′ − y)。在 y′ = {prediction} 处梯度为 {gradient}。',
  'explain.loss.l1.gradient':
    '记 u = y − y′，l = |u|，则 ∂l/∂y′ = sign(u) · (−1) = sign(y′ − y)：无论误差多大都是 ±1，这使 L1 对离群点稳健。在 y′ = y 处不可导；PyTorch 在那里取 0。在 y′ = {prediction} 处梯度为 {gradient}。',
  'explain.loss.huber.gradient':
    '记 u = y′ − y：当 |u| ≤ δ 时损失为 ½u²，梯度为 u；超过 δ 时损失为 δ(|u| − δ/2)，梯度为 δ · sign(u)。所以梯度就是把 u 截断到 [−δ, δ]。在 y′ = {prediction} 处梯度为 {gradient}。',
  'explain.loss.smooth-l1.gradient':
    '记 u = y′ − y：当 |u| < β 时梯度为 u / β，超过后为 sign(u)。所以梯度就是把 u / β 截断到 [−1, 1]。在 y′ = {prediction} 处梯度为 {gradient}。',
  'explain.loss.gaussian-nll.gradient':
    '记 u = y′ − y，l = ½(log σ² + u²/σ²)，则 ∂l/∂y′ = u / σ²：即 L2 梯度除以方差。在 y′ = {prediction} 处梯度为 {gradient}。',
  'explain.loss.poisson-nll.intro':
    '泊松负对数似然损失（PyTorch 的 `nn.PoissonNLLLoss(log_input={logInput}, full={full})`）用观测到的计数 y（固定时间窗内事件发生的次数）来评价预测 y′。预测决定事件的发生率 λ = {rate}。在 y = {target}、y′ = {prediction} 时，损失为 {value}。',
  'explain.loss.poisson-nll.likelihood':
    '以恒定发生率 λ 独立发生的事件，其计数服从泊松分布：P(y | λ) = λ^y e^(−λ) / y!。这是计数的概率，不是密度。在 y = {target}、y′ = {prediction} 时，它等于 {density}。',
  'explain.loss.poisson-nll.minimiser':
    '这里的常数是 log y!（当 `full=True` 时只剩它与 Stirling 近似之差），所以损失保留 λ − y log λ。它在 λ = y 处取最小：最好的发生率就是观测到的计数，对整个数据集来说就是平均计数。',
  'explain.loss.poisson-nll.gradient':
    '由 λ = {rate}，链式法则给出 ∂l/∂y′ = (1 − y/λ) · ∂λ/∂y′：y′ = log λ 时为 λ − y，y′ = λ 时为 1 − y/λ。在 y′ = {prediction} 处梯度为 {gradient}；当发生率等于计数时梯度为零。',
  'explain.loss.poisson-nll.figure':
    '`{command}` 以预测值 y′ 为横轴画出三条曲线，计数固定为 y = {target}；纵轴是各曲线的值。蓝色是损失，橙色是梯度，在 λ = y 处为零。绿色是 y 的泊松似然（作为预测的函数），即按 d2l 的方式缩放的 exp(−l)：在绘图区间 [{from}, {to}] 上归一化后乘以 10。在此区间上它的峰值为 {peak}。',

  'explain.loss.figure':
    '`{command}` 以横轴上的预测值 y′ 画出三条曲线，目标值固定为 y = {target}；纵轴是各曲线的值。蓝色是损失 l(y, y′)。橙色是它的梯度 ∂l/∂y′，即蓝色曲线的斜率，在损失最小处为零。绿色是似然 exp(−l)，按 d2l 的方式缩放：除以它在 {points} 个绘图网格点上的和，再乘以 {multiplier}，即 10 × 在绘图区间 [{from}, {to}] 上归一化的密度。它在 y′ = y（损失最小处）达到峰值；在这个区间上峰值为 {peak}。',

  // ---- 推导：二元交叉熵 ----
  'explain.title.bce': '二元交叉熵从何而来：伯努利似然、它的负对数与梯度',
  'explain.loss.bce.intro':
    '带 logits 的二元交叉熵（PyTorch 的 `F.binary_cross_entropy_with_logits`、`nn.BCEWithLogitsLoss`）用目标 y ∈ {0, 1} 来评价一个 logit z（任意实数）。模型给出类别 1 的概率 p = σ(z) = 1 / (1 + e^(−z))。在 y = {target}、z = {logit} 时：p = {probability}，损失为 {value}。',
  'explain.loss.bce.likelihood':
    '二元标签就像抛硬币：y ~ Bernoulli(p)，所以 P(y | z) = p^y (1 − p)^(1 − y)，y = 1 时为 p，y = 0 时为 1 − p。在 z = {logit}、y = {target} 时，它等于 {likelihood}。',
  'explain.loss.bce.nll':
    '它的负对数就是损失本身，没有需要省略的常数：−log P(y | z) = −y log p − (1 − y) log(1 − p) = {nll}。最小化它就是逻辑回归模型的最大似然估计。PyTorch 按 max(z, 0) − z·y + log(1 + e^(−|z|)) 计算，既不会对 0 取对数，也不会溢出。',
  'explain.loss.bce.gradient':
    '由 p = σ(z) 得 dp/dz = p(1 − p)。链式法则给出 ∂l/∂z = (−y/p + (1 − y)/(1 − p)) · p(1 − p) = p − y。在 z = {logit} 处梯度为 {gradient}：与 softmax 交叉熵和 L2 损失的梯度一样，都是“预测减目标”的形式。',
  'explain.loss.bce.figure':
    '`{command}` 以类别 1 的 logit z 为横轴画出三条曲线，目标固定为 y = {target}：蓝色是损失，绿色是概率 p = σ(z)，橙色是梯度 σ(z) − y。y = 1 时它们分别是 −log p、p 和 p − 1：z 越大，损失越趋近 0，梯度也一样。',
  'explain.title.soft-margin': '软间隔损失从何而来：逻辑斯谛似然、它的负对数与梯度',
  'explain.loss.soft-margin.intro':
    '软间隔损失（PyTorch 的 `nn.SoftMarginLoss`）用标签 y ∈ {−1, 1} 来评价实数得分 z：log(1 + e^(−y·z))。间隔 y·z 越大越正，损失越小；间隔为负时损失近似线性增长。它就是标签为 ±1 的逻辑回归。在 y = {target}、z = {logit} 时，损失为 {value}。',
  'explain.loss.soft-margin.likelihood':
    '逻辑斯谛模型给出 P(y = 1 | z) = σ(z) = {probability}，P(y = −1 | z) = σ(−z)；用 ±1 标签可统一写成 P(y | z) = σ(y·z)。在 z = {logit}、y = {target} 时，它等于 {likelihood}。',
  'explain.loss.soft-margin.nll':
    '它的负对数就是损失本身：−log σ(y·z) = log(1 + e^(−y·z)) = {nll}，没有需要省略的常数，所以最小化它就是逻辑斯谛模型的最大似然估计。losslab 按 softplus(−y·z) 计算，不会溢出；PyTorch 的 log1p(exp(−y·z)) 在 float32 中间隔小于约 −88 时变为无穷大。',
  'explain.loss.soft-margin.gradient':
    '记 m = y·z，且 dσ(m)/dm = σ(m)(1 − σ(m))，链式法则给出 ∂l/∂z = −y·σ(−y·z)：即错误标签的概率，符号由 y 决定。在 z = {logit} 处梯度为 {gradient}；间隔越大它越趋近 0，间隔非常负时它趋于 −y。',
  'explain.loss.soft-margin.figure':
    '`{command}` 以得分 z 为横轴画出三条曲线，标签固定为 y = {target}：蓝色是损失，绿色是 y = 1 的概率 σ(z)，橙色是梯度 −y·σ(−y·z)。y = 1 时它们分别是 −log σ(z)、σ(z) 和 σ(z) − 1，正是二元交叉熵的曲线：两种损失是同一个模型，只是标签分别写成 ±1 和 0/1。',

  // ---- 推导：softmax 与交叉熵 ----
  'explain.softmax.heading.construction': '两步：先取指数，再归一化',
  'explain.softmax.heading.soft': '为什么叫“软”最大值',
  'explain.softmax.heading.crossEntropy': '从信息论看交叉熵',
  'explain.softmax.heading.logSoftmax': '如何计算：log-softmax',
  'explain.softmax.heading.gradient': '梯度：ŷ − y',
  'explain.softmax.heading.stable': '减去最大值的技巧',

  'explain.softmax.construction':
    '分类器为每个类别输出一个实数，即 logits o。要把它们当作概率，就必须非负且和为一。Softmax（PyTorch 的 `torch.softmax(o, dim=-1)`）分两步完成：exp 让每个值变为正数且保持大小顺序，再除以总和使它们加起来等于一。对于 logits {logits}：exp 得到 {exps}，总和为 {sum}，概率为 {probs}。',
  'explain.softmax.soft':
    '硬最大值 argmax 把全部概率放在最大的 logit 上：得到一个 one-hot 向量，它几乎处处导数为零，无法用梯度训练。Softmax 是它的平滑、可导版本：最大的 logit 得到最大的概率，但每个类别都保留一些概率。把 logits 除以温度 T 可以看出两者的联系：T = {lowT} 时概率为 {lowProbs}（接近 argmax），T = {highT} 时为 {highProbs}（接近均匀）。',
  'explain.softmax.crossEntropy':
    '在信息论中，用为分布 ŷ 设计的编码去编码来自分布 y 的结果，平均代价是 H(y, ŷ) = −Σ y_i log ŷ_i 奈特：这就是交叉熵。它等于熵 H(y) 加上 KL 散度 KL(y ‖ ŷ)，所以在 ŷ = y 时最小。当标签是单个类别 c 时，y 是 one-hot 向量，交叉熵为 −log ŷ_c：真实类别的负对数似然。对于 logits {logits} 和类别 c = {target}，它等于 {loss}（PyTorch 的 `F.cross_entropy`）。',
  'explain.softmax.logSoftmax':
    '不要分两步计算 log(softmax(o))：概率可能下溢为 0，其对数变成 −Infinity。应写成 −log ŷ_c = log Σ_j exp(o_j) − o_c = logsumexp(o) − o_c，PyTorch 的 `F.cross_entropy` 就是这样做的（先 log-softmax，再 NLL）。对于 logits {logits}，logsumexp 为 {lse}，类别 {target} 的损失为 {lse} − {logitTarget} = {loss}。',
  'explain.softmax.gradient':
    '对 l = log Σ_j exp(o_j) − o_c 关于 o_i 求导。第一项给出 exp(o_i) / Σ_j exp(o_j) = ŷ_i；第二项在 i = c 时给出 −1，否则为 0。所以 ∂l/∂o_i = ŷ_i − y_i。对真实类别（i = c）它是 ŷ_c − 1 < 0：梯度下降会提高它的 logit。对其他每个类别（i ≠ c）它是 ŷ_i > 0：它们的 logit 被降低，概率越大的错误类别降得越多。对于 logits {logits} 和类别 {target}，梯度（由库的反向传播算出）为 {gradient}。',
  'explain.softmax.stable':
    '给每个 logit 减去同一个数，softmax 不变：分子分母同乘 exp(−m) 即可。取 m = max(o)，所有指数都 ≤ 0，exp 不会溢出，最大的一项恰好为 1。不这样做的话，float64 中 z 超过 {float64} 时 exp 溢出为 Infinity（float32 中超过 {float32} 即溢出）。对于 float64 的 logits {bigLogits}，exp(o) 为 {naiveExps}，朴素 softmax 计算 Infinity / Infinity 得到 {naive}。减去最大值后为 {shifted}，稳定的 softmax 为 {stable}。',
  // ---- 推导：学习者会问的问题（src/explain/questions.ts；数字均为计算所得） ----
  'explain.question.which-loss.heading': '这是 softmax 回归的损失吗？',
  'explain.question.which-loss.text':
    '不是。{name}是回归损失：它像线性回归那样，把实数预测值 y′ 与实数目标值 y 相比较，它的图以 y′ 为横轴画出损失、似然和梯度。Softmax 回归是分类器：它输出 logits z，用 ŷ = softmax(z) 变成概率，并用交叉熵 l = −log p 训练，其中 p = ŷ_c 是真实类别 c 的概率。交叉熵有它自己的三条曲线。以真实类别的 logit z_c 为横轴，它们是损失 −log p、似然 p 和梯度 p − 1（`{logitCommand}`）；以概率 p 本身为横轴，它们是 −log p、p 和梯度 −1/p（`{probabilityCommand}`）。例如，假设 y′ = {logit} 是一个三分类器中真实类别的 logit，其余两个 logit 为 0，则 p = {probability}，损失为 {ceLoss}，∂l/∂z_c = {ceGradLogit}，∂l/∂p = {ceGradProbability}。',
  'explain.question.half.heading': '½(y − y′)² 里为什么有 ½？',
  'explain.question.half.text':
    '½ 是为了梯度。对平方求导会带出因子 2，½ 正好把它抵消，于是 ∂l/∂y′ = y′ − y：梯度就是误差本身。在 y = {target}、y′ = {prediction} 处：有 ½ 时损失为 {value}，梯度为 {gradient}；没有 ½ 时，l = (y − y′)²（PyTorch 的逐元素 `nn.MSELoss`），损失为 {valueNoHalf}，梯度为 {gradientNoHalf}，是前者的两倍。½ 既不改变最小值的位置，也不改变梯度的方向：它只是缩放损失，而梯度下降会把这个缩放并入学习率（对 (y − y′)² 走步长 η，相当于对 ½(y − y′)² 走步长 2η）。它也正是 σ = 1 的高斯似然给出的形式：−log p(y | y′) = ½(y − y′)² + ½ log 2π。',
  'explain.question.data.heading': 'log P(data | y′) 里的“data”是什么？',
  'explain.question.data.text':
    'data 就是训练目标 y_1, …, y_N，似然是在给定预测值 y′_1, …, y′_N 时观察到全部这些目标的概率（密度）。模型假设在给定预测值时各目标相互独立：每个 y_i 只依赖它自己的 y′_i，噪声也各自独立。于是联合密度是各样本密度的乘积，它的对数是各对数之和，负对数似然除以 N 就是平均损失加上被丢掉的常数。对于 N = {n} 的一个批次，目标 y = {targets}，预测 y′ = {predictions}：各密度 p(y_i | y′_i) 为 {densities}；它们的乘积 P(data | y′) 为 {product}；其对数 {logProduct} 等于各对数之和 {sumLogs}。各损失为 {losses}，而 −(1/N) Σ log p(y_i | y′_i) = {meanNll} = 平均损失 {meanLoss} + {constant}。所以最小化一个批次的平均损失，就是最大化这个批次的似然。求和也是计算机能处理的形式：成千上万个密度相乘会下溢为 0，而它们的对数之和仍然有限。独立性只是一个假设：当样本并不独立时（同一用户的多行数据、相邻的时间点），乘积会把同一份证据重复计算，这正是验证实验室所关心的非独立同分布问题。',
  'explain.question.quotient-rule.heading': '用商法则推导 ŷ − y',
  'explain.question.quotient-rule.jacobian':
    '大多数教材用另一种方法得到 ŷ − y：用商法则对概率 ŷ_c = exp(z_c) / S 求导，其中 S = Σ_j exp(z_j)。i = c 时分子和分母都依赖 z_c，得到 ∂ŷ_c/∂z_c = ŷ_c(1 − ŷ_c)；i ≠ c 时只有分母依赖 z_i，得到 ∂ŷ_c/∂z_i = −ŷ_c ŷ_i。对所有类别，这些导数组成 softmax 的雅可比矩阵 J = diag(ŷ) − ŷŷᵀ。对于 ŷ = {probs}，它是（由库的 softmax 反向传播逐行算出，每个类别一行）：',
  'explain.question.quotient-rule.combine':
    '损失 l = −log ŷ_c 只通过 ŷ_c 依赖概率，∂l/∂ŷ_c = −1/ŷ_c = {outer}。链式法则把它乘以 J 的第 c = {target} 行 {row}，该行的对角元为 ŷ_c(1 − ŷ_c) = {diagonal}。i = c 时得到 −(1/ŷ_c) · ŷ_c(1 − ŷ_c) = ŷ_c − 1；i ≠ c 时得到 −(1/ŷ_c) · (−ŷ_c ŷ_i) = ŷ_i。两种情况合在一起就是 ŷ_i − y_i（y 为 one-hot）：{viaQuotient}。log-sum-exp 的路线通过库的交叉熵反向传播给出同样的结果：{viaLogSumExp}。那条路线更短，库也是那样计算的；商法则则说明了两种情况从何而来。',
  'explain.question.information.heading': '先讲自信息和熵，再讲交叉熵',
  'explain.question.information.text':
    '交叉熵由两个更简单的量构成。结果 x 的自信息 I(x) = −log P(x) 衡量它有多出人意料，单位是奈特（自然对数；除以 log 2 得到比特）：必然发生的结果不带信息，公平硬币的一次抛掷带 log 2 = {coin} 奈特，即一比特，越罕见的结果信息越多。对于 ŷ = {probs}，各类别的信息量为 {information} 奈特（{informationBits} 比特）。熵 H(p) = Σ_i p_i I(i) 是期望的意外程度：ŷ 的熵为 {entropy} 奈特，低于 {classes} 个类别上可能的最大值，即均匀分布的 log C = {uniform}。one-hot 标签的熵为 0，所以它与 ŷ 的交叉熵全部是 KL 散度，并且等于真实类别的自信息：I(c = {target}) = −log ŷ_c = {crossEntropy}，也就是下文的损失。',
  'explain.question.logits.heading': 'CrossEntropyLoss 接受的是 logits：误把概率传进去',
  'explain.question.logits.text':
    'PyTorch 的 `nn.CrossEntropyLoss` 和 `F.cross_entropy`，与 losslab 的 `crossEntropy` 一样，接受的是 logits：它们自己做 log-softmax。如果传入 softmax 的输出，就相当于做了两次 softmax，这是一个经典错误，而且不会报错。对于 logits {logits} 和类别 {target}，正确的调用给出损失 {loss} 和梯度 ŷ − y = {gradient}。若改为传入 ŷ = {probs}，它计算的是 −log softmax(ŷ)_c = {mistakenLoss}，而穿过两次 softmax 回到 logits 的梯度为 {mistakenGradient}：更小，因为每个 softmax 的雅可比矩阵都会把它缩小。更糟的是，错误的损失无法降到 0：概率位于 [0, 1] 内，即使是完全确定的 one-hot ŷ，也会得到 log(1 + (C − 1)/e) = {floor}（C = {classes}）。',
  'explain.question.logits.training':
    '它对训练的影响（实际运行）：在 logits 本身上做梯度下降（库的 `SGD`，lr = {lr}），一次用正确的损失，一次用错误的做法。经过 {steps} 步后，真实类别 {target} 的概率在正确做法下为 {right}，误传概率时为 {mistaken}。{last} 步之后，真正的交叉熵一个是 {rightLoss}，另一个是 {mistakenLoss}。当输入的每一行看起来都像概率时，`losslab loss cross-entropy` 会给出警告。',
  'explain.question.same-code.heading': '同一段代码：NumPy、PyTorch 与 losslab',
  'explain.question.same-code.intro':
    '同样的计算在三个库中的写法。losslab 沿用 PyTorch 的名称和语义：`softmax(z, dim)` 就是 `torch.softmax`，`crossEntropy(input, target)` 就是 `F.cross_entropy`（对批次取平均）；NumPy 没有 softmax，所以要手写。NumPy 和 PyTorch 的代码片段由 `scripts/golden_snippets.py` 运行，测试会把它们打印的结果与 losslab 的计算结果相比较。',
  'explain.snippet.softmax-vector': '一个向量的 softmax：',
  'explain.snippet.softmax-batch': '一个批次：对每一行做 softmax（NumPy 的 axis 1，PyTorch 和 losslab 的 dim 1）：',
  'explain.snippet.softmax-stable': '稳定版本：取 exp 之前先减去最大值（这些 logits 的 exp 会溢出）：',
  'explain.snippet.cross-entropy': '带类别索引的一个批次的交叉熵及其梯度（包含平均带来的 1/N）：',
  'explain.snippet.prints': '三者都打印：{output}',

  // ---- losslab tour（src/explain/tour.ts） ----
  'tour.intro': 'losslab 导览 —— 这里的每个数字都是在你阅读时由库计算出来的。',
  'tour.softmax.title': 'Softmax 把 logits 变成概率；交叉熵给真实类别打分。',
  'tour.softmax.logits': 'logits z',
  'tour.softmax.probabilities': 'softmax(z)',
  'tour.softmax.sum': '（总和 {sum}）',
  'tour.softmax.crossEntropy': '交叉熵',
  'tour.softmax.lossNote': '= −log p{sub}，真实类别为 {c}',
  'tour.softmax.gradient': '梯度',
  'tour.softmax.gradientNote': '= softmax(z) − onehot({c})',
  'tour.stable.title': '为什么要减去最大值：exp 早在概率出问题之前就会溢出。',
  'tour.stable.logits': 'logits',
  'tour.stable.naive': '朴素 exp(z)/Σ',
  'tour.stable.naiveNote': '（exp({zmax}) = {expmax}）',
  'tour.stable.stable': '稳定 softmax',
  'tour.stable.stableNote': '（exp(z − max z) 永远不超过 {one}）',
  'tour.l2.title': 'L2 损失 ½(y − y′)² 是高斯似然（σ = {sigma}）的负对数，相差一个常数。',
  'tour.l2.header': 'y′      损失     梯度      似然 p(y={target} | y′)',
  'tour.questions': '学习者会问的问题，用数字回答（完整内容见 losslab explain l2、losslab explain softmax 和网页实验室）：',
  'tour.question.which-loss': 'L2 的图是 softmax 回归的损失吗？不是：它是回归损失。Softmax 回归用交叉熵训练，交叉熵自己的曲线是（其余 logits 为 {others}）：',
  'tour.whichLoss.commands': '画出它们：{logitCommand}，{probabilityCommand}',
  'tour.question.half':
    '½(y − y′)² 里为什么有 ½？在 y = {target}、y′ = {prediction} 处，有 ½ 时梯度为 {gradient}，没有时为 {gradientNoHalf}：½ 抵消了对平方求导带出的因子。',
  'tour.question.data':
    'log P(data | y′) 里的“data”就是各目标值，并假设它们相互独立：对于 y = {targets} 和 y′ = {predictions}，P(data | y′) = Π p(y_i | y′_i) = {product}，log P = Σ log p = {sumLogs}，−(1/N) log P = {meanNll} = 平均 L2 损失 {meanLoss} + {constant}。',
  'tour.question.quotient-rule': '用商法则推导 ŷ − y：对于 z = {logits}，softmax 的雅可比矩阵 diag(ŷ) − ŷŷᵀ 为',
  'tour.quotient.combine': '−(1/ŷ_c) × 第 {target} 行 = {viaQuotient} = ŷ − y，与 log-sum-exp 路线的结果相同：{viaLogSumExp}',
  'tour.question.information':
    '自信息 I = −log ŷ = {information} 奈特（ŷ = {probs}）；熵 H(ŷ) = {entropy}，最大为 log C = {uniform}；类别 {target} 的交叉熵就是它的自信息 {crossEntropy}。',
  'tour.question.logits':
    'CrossEntropyLoss 接受的是 logits。误把 softmax(z) 传进去，损失为 {mistakenLoss}（正确：{loss}），梯度为 {mistakenGradient}（正确：{gradient}）；它永远不会低于 {floor}。',
  'tour.logits.training': '经过 {steps} 步 SGD（lr {lr}）后类别 {target} 的概率：正确 {right}，误传概率 {mistaken}',
  'tour.question.same-code':
    'NumPy、PyTorch 与 losslab 中的同一段代码，并排放在一起并互相检验（losslab explain softmax）。一个向量的 softmax 在三者中都打印 {output}：',
  'tour.next': '接下来：',
  'tour.next.start': '网页实验室（损失函数探索、softmax 实验场、训练、验证实验室）',
  'tour.next.plot': 'd2l 的损失 / 似然 / 梯度图（也可输出 .png、.csv；--lang zh）',
  'tour.next.explain': '推导过程，每个数字都是计算出来的',
  'tour.next.train': '在 Fashion-MNIST 上训练 softmax 回归',
  'tour.next.shift': '我的验证集和训练集相像吗？',
  'tour.next.explainL2': '为什么有 ½、data 是什么、L2 的图与交叉熵的区别',
  'tour.next.explainCrossEntropy': '梯度的两种推导、误传概率的后果、NumPy / PyTorch / losslab 并排对照',

  // ---- 命令行警告 ----
  'warning.crossEntropyProbabilities':
    '{fn}：警告：--input 的每一行都位于 [0, 1] 内且和为 1，看起来像概率（softmax 的输出）。交叉熵接受的是 logits：它像 PyTorch 的 CrossEntropyLoss 一样自己做 log-softmax，所以概率会被做两次 softmax（losslab explain cross-entropy 展示了这样做的后果）。请传入 logits，或把对数概率传给 losslab loss nll。',

  // ---- 分布偏移报告：基于证据的建议（src/shift/advice.ts） ----
  'shift.advice.group.text':
    '按组划分：使用 GroupKFold 或 StratifiedGroupKFold，groups = "{group}"（losslab split --group {group}），使同一个 {group} 不会同时出现在两边。',
  'shift.advice.group.evidence': '验证集的 {total} 个组中有 {shared} 个也出现在训练集中，覆盖验证集 {fraction} 的行。',
  'shift.advice.timeOverlap.text': '按时间划分：用过去训练、用未来验证（TimeSeriesSplit，或带间隔的 PurgedKFold），按 "{time}" 排序。',
  'shift.advice.timeOverlap.evidence': '时间范围重叠：验证集中 {fraction} 的行不晚于训练集的最后时间。',
  'shift.advice.timeOrdered.text': '当前划分已经遵循时间顺序（验证集在训练集之后）；下面发现的任何偏移都是随时间的漂移，部署后的模型同样会遇到。',
  'shift.advice.timeOrdered.evidence': '每个验证时间都晚于所有训练时间。',
  'shift.advice.duplicates.text': '删除与训练行重复的验证行（或按它们来源的实体划分）；它们会虚高验证分数。',
  'shift.advice.duplicates.evidence': '验证集中有 {exact} 行与训练行完全重复（{exactFraction}），{near} 行近似重复（落在 {resolution} 倍标准差网格的同一格）。',
  'shift.advice.within.text': '在一个数据集上做交叉验证之前，先删除集内重复的行：同一样本的副本可能同时落在折的两侧，并在分数中被计算两次。',
  'shift.advice.within.evidence': '训练集中有 {train} 行重复（{trainFraction}），验证集中有 {valid} 行（{validFraction}）。',
  'shift.advice.labels.text':
    '类别比例不同：重新抽样时按 "{label}" 分层（StratifiedKFold），并报告每个类别的指标；如果部署时的类别比例与验证集相同，按 q(y)/p(y) 给类别重新加权。',
  'shift.advice.labels.evidence': '卡方 = {statistic}（自由度 {dof}），p = {p}，Cramér V = {v}。',
  'shift.advice.bbse.text': '对验证集标签分布的黑盒偏移估计（仅当 p(y) 改变时成立）：用其权重 w = q(y)/p(y) 重新加权训练损失或重新校准。',
  'shift.advice.weighting.usable': '重要性加权是合理的：用域分类器的几率 p/(1 − p) 给训练行加权（协变量偏移校正）；比较加权与不加权的结果。',
  'shift.advice.weighting.unusable': '重要性加权后剩下的有效行太少，不可信：与其重新加权，不如收集与验证集相似的训练数据，或重新划分。',
  'shift.advice.weighting.evidence': '域分类器 AUC {auc} [{lo}, {hi}]；权重的 Kish 有效样本量为 {ess}（共 {rows} 个训练行，{fraction}）。',
  'shift.advice.features.text': '检查 {names}：它们是如何采集的、单位以及测量时间。',
  'shift.advice.features.item': '{name}：{measure} = {value}，BH 校正 p = {p}',
  'shift.advice.features.drivers': '域分类器的主要特征：{drivers}',
  'shift.advice.none.text': '没有证据表明两个集合不同：随机（k 折）划分是合适的。',
  'shift.advice.none.textStratified': '没有证据表明两个集合不同：（按 "{label}" 分层的）随机 k 折划分是合适的。',
  'shift.advice.none.evidence': '在 α = {alpha} 下没有检验拒绝原假设（由特征检验、MMD 和域分类器分担）；域分类器 AUC {auc}。',

  // ---- 交叉验证折的图（losslab split --figure、验证实验室） ----
  'figure.folds.title': '交叉验证的折',
  'figure.folds.axis': '样本序号',
  'figure.folds.axisBinned': '样本序号（每 {width} 个一组）',
  'figure.folds.set': '集合',
  'figure.folds.train': '训练',
  'figure.folds.test': '测试',
  'figure.folds.unused': '未使用',
  'figure.folds.split': '划分 {index}',
  'figure.folds.class': '类别',
  'figure.folds.group': '组',
  'figure.folds.classGroup': '类别 / 组',
  'figure.folds.from': '从',
  'figure.folds.to': '到（不含）',

  // ---- 训练报告的图（losslab train、训练页） ----
  'report.curve.title': '训练曲线',
  'report.curve.subtitle': '每轮的训练损失、训练准确率与测试准确率（d2l 动画器）',
  'report.curve.epoch': '轮次',
  'report.curve.value': '数值',
  'report.curve.series': '曲线',
  'report.curve.trainLoss': '训练损失',
  'report.curve.trainAccuracy': '训练准确率',
  'report.curve.testAccuracy': '测试准确率',
  'report.confusion.title': '混淆矩阵（测试集）',
  'report.confusion.subtitle': '行：真实类别，列：预测类别；颜色：占该真实类别的比例',
  'report.confusion.trueClass': '真实类别',
  'report.confusion.predicted': '预测类别',
  'report.confusion.count': '数量',
  'report.confusion.fraction': '行内比例',

  // ======== 网页实验室 ========
  // ---- 外壳 ----
  'shell.otherLanguage': 'English',
  'shell.switchLanguageLabel': '切换到英文 (Switch the language to English)',
  'shell.skipToContent': '跳到页面内容',
  'shell.navLabel': '实验室页面',
  'shell.footer': '本页上的每个数字都由 losslab 自己的 TypeScript 数值代码在你的浏览器中计算，可离线使用。',
  'nav.loss': '损失函数探索',
  'nav.softmax': 'Softmax 实验场',
  'nav.train': '训练',
  'nav.validation': '验证实验室',

  // ---- 损失函数探索 ----
  'loss.heading': '损失函数探索：损失、似然与梯度',
  'loss.lede': '每个回归损失都是某个似然的负对数。选择一个损失，移动目标值和参数，把鼠标悬停在图上（或使用探针滑块）读取三条曲线的数值。',
  'loss.controlsLabel': '损失与参数',
  'loss.chartLabel': '损失（蓝）、似然（绿）和梯度（橙）随预测值变化的曲线',
  'loss.chooseLoss': '损失函数',
  'loss.target': '目标值 y',
  'loss.targetProbability': '目标值 y（概率）',
  'loss.targetCount': '目标值 y（计数）',
  'loss.targetSign': '目标值 y（−1 或 1）',
  'loss.logInput': '预测值是发生率的对数（log_input）',
  'loss.full': '加上 Stirling 项（full）',
  'loss.delta': 'Huber 参数 δ（delta）',
  'loss.beta': 'Smooth L1 参数 β（beta）',
  'loss.sigma': '高斯标准差 σ',
  'loss.probe': '探针：预测值 y′',
  'loss.probeLogit': '探针：logit z',
  'loss.hoverHint': '将鼠标悬停在图上或移动探针，读取某一点的数值。',
  'loss.crossEntropyLink': 'Softmax 回归的损失是交叉熵，而不是这个：查看交叉熵自己的曲线（以 logit 和以概率为横轴）→',
  'loss.explain.title': '{name}：学习者常问的问题',
  'loss.explain.likelihoodQ': '似然是什么？',
  'loss.explain.gradientQ': '梯度是怎么推导出来的？',
  'loss.explain.axesQ': '每个坐标轴表示什么？',
  'loss.likelihood.bce':
    '二元交叉熵是伯努利模型的负对数似然：logit z 给出类别 1 的概率 p = σ(z)，目标 y（0、1 或介于两者之间的软标签）出现的概率为 p^y (1 − p)^(1 − y) = exp(−l)。在 z = {logit}、y = {target} 时，这个似然为 {likelihood}。PyTorch 直接从 logit 计算损失（`nn.BCEWithLogitsLoss`），而不是从 σ(z) 计算，因此 |z| 很大时结果仍然有限。',
  'loss.gradient.bce':
    '利用 σ′(z) = σ(z)(1 − σ(z)) 并对两项应用链式法则，因子相互抵消，得到 ∂l/∂z = σ(z) − y，即预测概率减去目标值。在 z = {logit} 处为 {gradient}。它的绝对值不超过 1，因此一个自信的错误会得到有力但有限的推动。',
  'loss.axes.density':
    '横轴是预测值 y′，目标值固定为 y = {target}。纵轴是各曲线的值：蓝色是损失 l(y, y′)；橙色是梯度 ∂l/∂y′，即蓝色曲线的斜率，在损失最小处为零；绿色是似然 exp(−l)，按 d2l 的方式在绘图区间上归一化后乘以 10，以便共用纵轴。它在 y′ = y 处达到峰值。',
  'loss.axes.bce':
    '横轴是类别 1 的 logit z，目标值固定为 y = {target}。纵轴是各曲线的值：蓝色是损失，绿色是类别 1 的概率 σ(z)，橙色是梯度 σ(z) − y，它在最左端趋于 −y，在最右端趋于 1 − y。',
  'loss.axes.soft-margin':
    '横轴是得分 z，标签固定为 y = {target}。纵轴是各曲线的值：蓝色是损失，绿色是 y = 1 的概率 σ(z)，橙色是梯度 −y·σ(−y·z)，它在错误间隔一侧趋于 −y，在正确间隔一侧趋于 0。',
  'loss.axes.poisson-nll':
    '横轴是预测值 y′（发生率或其对数），观测计数固定为 y = {target}。纵轴是各曲线的值：蓝色是损失，橙色是梯度，在发生率等于计数处为零；绿色是泊松似然 exp(−l)，按 d2l 的方式在绘图区间上归一化后乘以 10，所以它在发生率等于计数处达到峰值。',

  // ---- Softmax 实验场 ----
  'softmax.heading': 'Softmax 实验场',
  'softmax.lede': '修改 logit、温度和真实类别：概率 ŷ、交叉熵及其梯度 ŷ − y 会随输入实时更新。然后关闭稳定计算，把 logit 调大看看。',
  'softmax.controlsLabel': 'Logit 与设置',
  'softmax.logitsLegend': 'Logit z',
  'softmax.logitLabel': 'Logit z{i}',
  'softmax.addClass': '增加一个类别',
  'softmax.removeClass': '删除一个类别',
  'softmax.largeLogits': '试试很大的 logit（100, 99, …）',
  'softmax.resetLogits': '重置 logit',
  'softmax.temperature': '温度 T',
  'softmax.trueClass': '真实类别 c',
  'softmax.classOption': '类别 {i}',
  'softmax.dtype': '数值类型',
  'softmax.stableSwitch': '稳定计算：先减去最大值再取 exp（关闭 = 朴素的 exp(z) / Σ exp(z)）',
  'softmax.mistakeSwitch': '误把概率传进去：对 softmax(z) 而不是 logits z 求交叉熵（做了两次 softmax）',
  'softmax.crossEntropyMistaken': 'softmax(z) 的交叉熵（错误做法）= {value}（正确：{right}）',
  'softmax.gradTitleMistaken': '错误损失的梯度（穿过两次 softmax）',
  'softmax.mistakeNote':
    '误传了概率：这里显示的损失和梯度来自 `crossEntropy(softmax(z / T))`，即做了两次 softmax。无论模型多么确定，损失都不会低于 {floor}，梯度也比 ŷ − y 小。',
  'softmax.curves.heading': '交叉熵自己的曲线',
  'softmax.curves.help':
    'Softmax 回归中与 L2 图相对应的图，真实类别 c = {target}：蓝色是损失 −log p，绿色是似然 p（真实类别的概率），橙色是梯度。左图以真实类别的 logit z_c 为横轴，其余 logits 取上面设置的值（{others}），梯度为 p − 1。右图以 p 本身为横轴，梯度为 −1/p。',
  'softmax.curves.logitLabel': '交叉熵、其似然与梯度随真实类别 logit 变化的折线图',
  'softmax.curves.probabilityLabel': '交叉熵、其似然与梯度随真实类别概率变化的折线图',
  'softmax.probChartLabel': '各类别概率的柱状图',
  'softmax.gradChartLabel': '各类别梯度 ŷ − y 的柱状图',
  'softmax.probTitle': '概率 ŷ = softmax(z / T)',
  'softmax.gradTitle': '交叉熵的梯度 ŷ − y',
  'softmax.axis.class': '类别',
  'softmax.col.class': '类别',
  'softmax.tableCaption': '柱状图背后的数字（✓ 表示真实类别）',
  'softmax.crossEntropy': '交叉熵 −log ŷ_c = {value}',
  'softmax.sum': 'Σ ŷ = {value}',
  'softmax.overflowWarning': '溢出：exp(z) 超过了 {dtype} 能表示的最大数，朴素 softmax 得到 Infinity / Infinity = NaN。请打开稳定计算。',
  'softmax.explain.trickExample':
    '当前（{dtype}）：最大的 logit 是 {zmax}，朴素的 exp 最大为 {expmax}；类别 {c} 的朴素 ŷ 为 {naive}，稳定计算为 {stable}。显示的交叉熵为 {ce}。',

  // ---- 训练 ----
  'train.heading': '在 Fashion-MNIST 上训练分类器',
  'train.lede':
    'Softmax 回归（一个线性层加 softmax，见 d2l 第 4 章）、一个小型多层感知机或卷积网络 LeNet-5（见 d2l 第 7 章），在浏览器的 Web Worker 中用小批量 SGD 训练，数据由实验室服务器本身提供。',
  'train.controlsLabel': '模型与超参数',
  'train.model': '模型',
  'train.model.softmax': 'softmax 回归',
  'train.model.mlp': '多层感知机（一个隐藏层，ReLU）',
  'train.model.cnn': 'LeNet-5（卷积神经网络）',
  'train.hidden': '隐藏单元数（多层感知机）',
  'train.lr': '学习率',
  'train.batchSize': '批量大小',
  'train.epochs': '轮数（epoch）',
  'train.optimizer': '优化器',
  'train.momentum': '动量（SGD）',
  'train.weightDecay': '权重衰减',
  'train.trainSize': '训练图像数（子集更快）',
  'train.seed': '随机种子',
  'train.start': '开始',
  'train.pause': '暂停',
  'train.resume': '继续',
  'train.reset': '重置',
  'train.step': '训练步骤',
  'train.status.idle': '准备就绪。按“开始”加载数据并训练。',
  'train.status.loading': '正在从实验室服务器加载 Fashion-MNIST……',
  'train.status.training': '训练中：第 {epoch}/{epochs} 轮，第 {batch}/{batches} 批。',
  'train.status.paused': '已在第 {epoch} 轮第 {batch} 批后暂停。按“继续”接着训练。',
  'train.status.done': '完成：{epochs} 轮，测试准确率 {accuracy}。',
  'train.status.error': '训练已停止：{message}',
  'train.metrics.caption': '每轮结果',
  'train.col.epoch': '轮',
  'train.col.trainLoss': '训练损失',
  'train.col.trainAccuracy': '训练准确率',
  'train.col.testAccuracy': '测试准确率',
  'train.col.seconds': '秒',
  'train.curvesTitle': '训练曲线',
  'train.curvesLabel': '每轮损失和准确率的折线图',
  'train.axis.epoch': '轮',
  'train.axis.value': '值',
  'train.series.trainLoss': '训练损失',
  'train.series.trainAccuracy': '训练准确率',
  'train.series.testAccuracy': '测试准确率',
  'train.templates': '十个权重模板',
  'train.templatesHelp':
    '每个类别有一行权重，共 784 个数，显示为 28 × 28 的图像：红色像素推向该类别，蓝色像素推离该类别。对多层感知机，显示两层权重的乘积；对 LeNet-5，显示各类别得分在平均训练图像处对像素的梯度。',
  'train.confusion': '混淆矩阵（测试集）',
  'train.confusionHelp': '行：真实类别；列：预测类别。对角线上是预测正确的数量。',
  'train.confusion.true': '真实',
  'train.confusion.predicted': '预测',
  'train.slices': '错误集中在哪里（测试集）',
  'train.slicesHelp':
    '按真实类别和简单图像特征（ink：非空白像素的比例；brightness：亮度；centre_row、centre_col：质心；height、width：范围）切分测试图像，列出错误率显著高于其余部分的切片（Fisher 精确检验，Benjamini–Hochberg 5 %），按 SliceLine 得分排序——与 losslab errors --model 相同。',
  'train.slices.none': '没有错误率显著高于其余部分的切片。',
  'train.slices.class': '类别',
  'train.slices.col.slice': '切片',
  'train.slices.col.rows': '行数',
  'train.slices.col.errorRate': '错误率 [95% 置信区间]',
  'train.slices.col.elsewhere': '其余部分',
  'train.wrong': '最自信的错误测试图像',
  'train.wrongItem': '真实：{truth} · 预测：{predicted}（{confidence}）',
  'train.noResults': '第一轮结束后在此显示结果。',

  // ---- 验证实验室 ----
  'validation.heading': '验证实验室：数据划分与分布偏移',
  'validation.lede': '加载一个 CSV 文件（或一个已知偏移的内置示例），选择划分策略，查看每一行落在哪一折；再比较训练集与验证集，阅读偏移报告。',
  'validation.dataLegend': '数据',
  'validation.loadFile': 'CSV 文件',
  'validation.demo': '内置示例',
  'validation.demo.none': '（改为加载文件）',
  'validation.demo.covariate': '协变量偏移（x 移动，标签随之变化）',
  'validation.demo.label': '标签偏移（类别比例变化）',
  'validation.demo.group': '分组（每个用户多行）',
  'validation.demo.time': '时间序列（随时间漂移）',
  'validation.summary': '{rows} 行，{columns} 列：{names}',
  'validation.kind.numeric': '数值',
  'validation.kind.categorical': '类别',
  'validation.splitLegend': '划分',
  'validation.strategy': '策略',
  'validation.folds': '折数（n_splits）',
  'validation.labelColumn': '标签列',
  'validation.groupColumn': '分组列',
  'validation.timeColumn': '时间列（按它对行排序）',
  'validation.noColumn': '（无）',
  'validation.shuffle': '打乱（random_state = 种子）',
  'validation.seed': '随机种子',
  'validation.foldsTitle': '每一行所属的折',
  'validation.foldsLabel': '图：每一折中哪些行用于训练、哪些行属于测试折',
  'validation.foldTable.caption': '各折大小',
  'validation.col.fold': '折',
  'validation.col.train': '训练行数',
  'validation.col.test': '测试行数',
  'validation.col.testClasses': '测试集类别构成',
  'validation.col.testGroups': '测试集分组数',
  'validation.shiftLegend': '偏移诊断',
  'validation.shiftHelp': '比较训练部分与验证部分：最后 {percent}% 的行（按文件顺序）作为验证集，与按时间留出的做法一致。',
  'validation.validFraction': '验证集比例（%）',
  'validation.runShift': '运行偏移诊断',
  'validation.embeddingTitle': '各行的二维嵌入，按集合着色',
  'validation.embeddingLabel': '训练行与验证行二维嵌入的散点图',
  'validation.embeddingMethod': '嵌入方法',
  'validation.embeddingProgress': '嵌入的进度',
  'validation.embeddingStep': '{method}：{done} / {total}',
  'validation.embeddingDone': '{method}，共 {rows} 行',
  'validation.set.train': '训练集',
  'validation.set.valid': '验证集',
  'validation.report': '偏移报告',
  'validation.col.feature': '特征',
  'validation.col.kind': '类型',
  'validation.col.statistic': '统计量',
  'validation.col.pvalue': 'p 值',
  'validation.col.adjusted': '校正后的 p 值（Benjamini–Hochberg）',
  'validation.col.effect': '效应量',
  'validation.verdict.shift': '存在偏移',
  'validation.verdict.ok': '没有偏移的证据',
  'validation.col.flag': '结论',
  'validation.overall.shift': '总体：验证部分与训练部分存在差异（原因与建议见下）。',
  'validation.overall.none': '总体：没有证据表明验证部分与训练部分不同。',
  'validation.mmd': 'RBF 核的 MMD²：{value}（置换检验 p = {p}）',
  'validation.domainClassifier': '域分类器（训练 vs 验证）：AUC {auc}，95% 置信区间 [{lo}, {hi}]，p = {p}',
  'validation.advice': '建议（依据上面的证据；文字来自英文报告）',
  'validation.tooManySplits': '这个策略在此会产生 {count} 个划分，图表最多画 {max} 个。请减少行数或换一个策略。',
  'validation.error': '无法执行：{message}',
};
