/**
 * Task families of gym part 1: the scene-based families (classification, counting, grounding,
 * detection, hallucination-span, search, localization), one file each in ./scene-tasks/. Registered by
 * `src/gym/registry.ts`.
 */
import type { TaskFamily } from '../types.js';
import { classificationFamily } from './scene-tasks/classification.js';
import { countingFamily } from './scene-tasks/counting.js';
import { detectionFamily } from './scene-tasks/detection.js';
import { groundingFamily } from './scene-tasks/grounding.js';
import { hallucinationSpanFamily } from './scene-tasks/hallucination.js';
import { localizationFamily } from './scene-tasks/localization.js';
import { searchFamily } from './scene-tasks/search.js';

export const familiesPart1: TaskFamily[] = [classificationFamily, countingFamily, groundingFamily, detectionFamily, hallucinationSpanFamily, searchFamily, localizationFamily];
