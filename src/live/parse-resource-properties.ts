// Cloud Control's answer to GetResource: `ResourceDescription.Properties` is a JSON string;
// anything but a JSON object there is an answer we cannot read (said, never guessed).
import { isRecord } from '../values/cloudformation-value.js';

export function parseResourceProperties(text: string | undefined): Record<string, unknown> | undefined {
  let properties: unknown;
  try {
    properties = text === undefined ? undefined : JSON.parse(text);
  } catch {
    properties = undefined;
  }
  return isRecord(properties) ? properties : undefined;
}
