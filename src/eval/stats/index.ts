/**
 * Statistics for evaluation: McNemar's test for before/after comparisons on the same items
 * (`perceptrl eval mcnemar`, the RL summary) Wilson intervals for success rates, and pass@k for sampled evaluation.
 */
export { chiSquare1Sf } from './chi-square.js';
export { passAtK, passAtKReference } from './pass-at-k.js';
export { meanScoreInterval, wilsonInterval, Z95, type Interval } from './interval.js';
export { exactP, exactPReference, mcnemar, pairedOutcomes, type McNemarResult, type PairedOutcomes } from './mcnemar.js';
