// Where live state came from, in words.
const LABELS: Record<string, string> = {
  cloudformation: 'CloudFormation drift detection',
  snapshot: 'live-state snapshot',
  terraform: 'Terraform plan',
};

export function sourceLabel(source: string): string {
  return LABELS[source] ?? (source || 'an unknown source');
}
