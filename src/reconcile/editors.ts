// The format-preserving editors, one per format (the explicit list; see types.ts for the seam).
import type { Editors } from './apply-plan.js';

export const EDITORS: Editors = {};
