// Where live state came from, in words.
const LABELS: Record<string, string> = {
  cloudformation: 'CloudFormation drift detection',
  snapshot: 'live-state snapshot',
  terraform: 'Terraform plan',
  'terraform-plan': 'Terraform plan',
  'terraform-state': 'Terraform state and AWS Cloud Control',
};

/** Live sources that read Terraform roots: the report says which run or state file they read. */
export function isTerraformSource(source: string): boolean {
  return source.startsWith('terraform');
}

export function sourceLabel(source: string): string {
  return LABELS[source] ?? (source || 'an unknown source');
}
