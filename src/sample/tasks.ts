/**
 * Task names and their default verifiers (DESIGN.md section 10). A Sample's `verifier` field
 * overrides the default; `chart` picks `counting` or `mcq` per question, so its samples always carry
 * an explicit verifier.
 */
export const TASK_DEFAULT_VERIFIER: Readonly<Record<string, string>> = {
  classification: 'classification',
  counting: 'counting',
  grounding: 'grounding',
  detection: 'detection',
  ocr: 'ocr',
  chart: 'counting',
  'hallucination-span': 'hallucination-span',
  geometry: 'math',
  math: 'math',
  mcq: 'mcq',
  'yes-no': 'yes-no',
  'transit-map': 'transit-map',
  quality: 'quality',
  search: 'grounding',
  localization: 'grounding',
  'digits-classification': 'classification',
  'digits-counting': 'counting',
  'digits-grounding': 'grounding',
  'digits-detection': 'detection',
  'fashion-classification': 'classification',
};

/** The verifier (name and params) that scores a sample. */
export function verifierFor(sample: { task: string; verifier?: { name: string; params?: Record<string, unknown> | undefined } | undefined }): {
  name: string;
  params: Record<string, unknown>;
} {
  if (sample.verifier) return { name: sample.verifier.name, params: sample.verifier.params ?? {} };
  const name = TASK_DEFAULT_VERIFIER[sample.task];
  if (!name) throw new Error(`task "${sample.task}" has no default verifier; set sample.verifier`);
  return { name, params: {} };
}
