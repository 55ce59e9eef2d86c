// The format-preserving editors, one per format (the explicit list; see types.ts for the seam).
import type { Editors } from './apply-plan.js';
import { applyHclEdits } from './apply-hcl-edits.js';
import { applyJsonEdits } from './apply-json-edits.js';
import { applyYamlEdits } from './apply-yaml-edits.js';

export const EDITORS: Editors = { yaml: applyYamlEdits, json: applyJsonEdits, hcl: applyHclEdits };
