// The resources a pull request creates with an explicit, known name, of the types whose names
// are unique in an account (or globally, for buckets): what the `unmanaged` lookups ask Cloud
// Control about. Pure.
//
// With a plan, its `create` actions (not imports, not instances the plan already knows live)
// and the name in `after` when known. Without one, the declared `add` changes of resources
// whose head block sets the name as a literal. A block with `count` or `for_each` is left out
// there: how many instances it makes (maybe none) is not known before Terraform evaluates it.
import type { PlannedChange } from '../terraform-plan/types.js';
import type { TerraformChange } from '../../types.js';

/** Terraform type -> the attribute that names it and the Cloud Control type to look it up as. */
export const UNMANAGED_TYPES: Readonly<Record<string, { attribute: string; cloudControlType: string }>> = {
  aws_s3_bucket: { attribute: 'bucket', cloudControlType: 'AWS::S3::Bucket' },
  aws_sqs_queue: { attribute: 'name', cloudControlType: 'AWS::SQS::Queue' },
  aws_dynamodb_table: { attribute: 'name', cloudControlType: 'AWS::DynamoDB::Table' },
  aws_iam_role: { attribute: 'name', cloudControlType: 'AWS::IAM::Role' },
  aws_lambda_function: { attribute: 'function_name', cloudControlType: 'AWS::Lambda::Function' },
};

export interface CreatedName {
  address: string;
  type: string;
  name: string;
  /** From the plan's `after.region` (AWS provider 6); else the SDK's region. */
  region?: string;
}

export function computeCreatedNames(input: { planned?: readonly PlannedChange[]; changes: readonly TerraformChange[]; known: ReadonlySet<string> }): CreatedName[] {
  const out: CreatedName[] = [];
  if (input.planned) {
    for (const change of input.planned) {
      const type = UNMANAGED_TYPES[change.type];
      if (!type || change.mode !== 'managed' || change.action !== 'create' || change.importing || change.deposed !== undefined || input.known.has(change.address)) continue;
      const value = (path: string) => {
        const c = change.changes.find((x) => x.path === path);
        return c && !c.unknown && !c.sensitive && typeof c.after === 'string' && c.after !== '' ? c.after : undefined;
      };
      const name = value(type.attribute);
      const region = value('region');
      if (name) out.push({ address: change.address, type: change.type, name, ...(region ? { region } : {}) });
    }
    return out;
  }
  for (const change of input.changes) {
    const block = change.head;
    const type = block?.type ? UNMANAGED_TYPES[block.type] : undefined;
    if (!block || !type || change.kind !== 'resource' || change.action !== 'add' || block.repetition || input.known.has(change.address)) continue;
    const value = block.attributes[type.attribute]?.value;
    if (value?.kind === 'literal' && typeof value.value === 'string' && value.value !== '') out.push({ address: change.address, type: block.type!, name: value.value });
  }
  return out;
}
