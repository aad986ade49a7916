import type { Catalogue } from './en.js';

/**
 * 中文消息目录：与 `en.ts` 的键完全相同（缺少或多出一个键都是编译错误）。
 * The Chinese catalogue: exactly the keys of `en.ts`, typed as `Catalogue`.
 */
export const zh: Catalogue = {
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
  'loss.cross-entropy.name': '交叉熵',
  'loss.bce.name': '带 logits 的二元交叉熵',

  // ---- 图：以真实类别的 logit 为横轴的分类损失 ----
  'figure.axis.logitTrue': '真实类别 {target} 的 logit z（其他 logits 为 {others}）',
  'figure.axis.logitPositive': '类别 1 的 logit z（目标 y = {target}）',
  'figure.curve.classLoss': '损失 −log p',
  'figure.curve.bceLoss': '损失 l(y, z)（y = 1 时为 −log p）',
  'figure.curve.probability': '真实类别的概率 p',
  'figure.curve.probabilityPositive': '类别 1 的概率 p = σ(z)',
  'figure.curve.classGradient': '梯度 ∂l/∂z = p − 1',
  'figure.curve.bceGradient': '梯度 ∂l/∂z = σ(z) − y',
  'figure.title.crossEntropy': '交叉熵：l = −log softmax(z)_c = logsumexp(z) − z_c',
  'figure.title.bce': '二元交叉熵：l = −y log σ(z) − (1 − y) log(1 − σ(z))',

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

  'explain.loss.figure':
    '`{command}` 以横轴上的预测值 y′ 画出三条曲线，目标值固定为 y = {target}；纵轴是各曲线的值。蓝色是损失 l(y, y′)。橙色是它的梯度 ∂l/∂y′，即蓝色曲线的斜率，在损失最小处为零。绿色是似然 exp(−l)，按 d2l 的方式缩放：除以它在 {points} 个绘图网格点上的和，再乘以 {multiplier}，即 10 × 在绘图区间 [{from}, {to}] 上归一化的密度。它在 y′ = y（损失最小处）达到峰值；在这个区间上峰值为 {peak}。',

  // ---- 推导：二元交叉熵 ----
  'explain.title.bce': '二元交叉熵从何而来：伯努利似然、它的负对数与梯度',
  'explain.bce.intro':
    '带 logits 的二元交叉熵（PyTorch 的 `F.binary_cross_entropy_with_logits`、`nn.BCEWithLogitsLoss`）用目标 y ∈ {0, 1} 来评价一个 logit z（任意实数）。模型给出类别 1 的概率 p = σ(z) = 1 / (1 + e^(−z))。在 y = {target}、z = {logit} 时：p = {probability}，损失为 {value}。',
  'explain.bce.likelihood':
    '二元标签就像抛硬币：y ~ Bernoulli(p)，所以 P(y | z) = p^y (1 − p)^(1 − y)，y = 1 时为 p，y = 0 时为 1 − p。在 z = {logit}、y = {target} 时，它等于 {likelihood}。',
  'explain.bce.nll':
    '它的负对数就是损失本身，没有需要省略的常数：−log P(y | z) = −y log p − (1 − y) log(1 − p) = {nll}。最小化它就是逻辑回归模型的最大似然估计。PyTorch 按 max(z, 0) − z·y + log(1 + e^(−|z|)) 计算，既不会对 0 取对数，也不会溢出。',
  'explain.bce.gradient':
    '由 p = σ(z) 得 dp/dz = p(1 − p)。链式法则给出 ∂l/∂z = (−y/p + (1 − y)/(1 − p)) · p(1 − p) = p − y。在 z = {logit} 处梯度为 {gradient}：与 softmax 交叉熵和 L2 损失的梯度一样，都是“预测减目标”的形式。',
  'explain.bce.figure':
    '`{command}` 以类别 1 的 logit z 为横轴画出三条曲线，目标固定为 y = {target}：蓝色是损失，绿色是概率 p = σ(z)，橙色是梯度 σ(z) − y。y = 1 时它们分别是 −log p、p 和 p − 1：z 越大，损失越趋近 0，梯度也一样。',

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
};
