/**
 * Queue-position models: where our resting order sits when the displayed size at its price
 * shrinks without trades (cancellations we cannot see on an L2 book). Trades at the price always
 * advance us and size increases always join behind us; the model only decides how much of a
 * cancellation came from ahead of us. The probabilistic models follow hftbacktest's
 * ProbQueueModel (after Rigtorp): a cancel came from ahead with probability
 * f(ahead) / (f(ahead) + f(behind)).
 */

export const QUEUE_MODEL_NAMES = ['risk-averse', 'power2', 'power3', 'log'] as const;
export type QueueModelName = (typeof QUEUE_MODEL_NAMES)[number];

export interface QueueModel {
  readonly name: QueueModelName;
  /**
   * Size ahead of us after `cancelled` left a level that had `ahead` in front of us and
   * `behind` after us (all in coins, ahead ≥ 0, behind ≥ 0).
   */
  aheadAfterCancel(ahead: number, behind: number, cancelled: number): number;
}

/** Cancellations come from behind us while there is anything behind: only trades move us forward. */
const riskAverse: QueueModel = {
  name: 'risk-averse',
  aheadAfterCancel: (ahead, behind, cancelled) => Math.max(Math.min(ahead, ahead + behind - cancelled), 0),
};

function probabilistic(name: QueueModelName, weight: (size: number) => number): QueueModel {
  return {
    name,
    aheadAfterCancel(ahead, behind, cancelled) {
      if (ahead <= 0) return 0;
      const weightAhead = weight(ahead);
      const weightTotal = weightAhead + weight(behind);
      // Sizes so small that the weights underflow fall back to a share proportional to size.
      const shareAhead = weightTotal > 0 ? weightAhead / weightTotal : ahead / (ahead + behind);
      // Whatever the share behind cannot absorb (there is not that much behind) came from ahead.
      const shortfallBehind = Math.min(behind - (1 - shareAhead) * cancelled, 0);
      return Math.max(ahead - shareAhead * cancelled + shortfallBehind, 0);
    },
  };
}

const MODELS: Readonly<Record<QueueModelName, QueueModel>> = {
  'risk-averse': riskAverse,
  power2: probabilistic('power2', (x) => x * x),
  power3: probabilistic('power3', (x) => x * x * x),
  log: probabilistic('log', (x) => Math.log1p(x)),
};

export function queueModel(name: QueueModelName): QueueModel {
  return MODELS[name];
}
