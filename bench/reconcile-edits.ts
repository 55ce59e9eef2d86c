// `npm run bench` section: how fast the reconcile editors write live values back into a
// large template: 4,000 queues (766 KB of YAML, 1.2 MB of JSON), 20 and 40 edits spread
// over it (a VisibilityTimeout each, then an owner tag each), and a Terraform file of 2,000
// queues. The CloudFormation editors read the result back to check it (apply-in-rounds.ts):
// this measures that check too. Prints CPU time; asserts nothing.
import { loadHclGrammar } from '../src/iac/terraform/load-hcl-grammar.js';
import { applyHclEdits } from '../src/reconcile/apply-hcl-edits.js';
import { applyJsonEdits } from '../src/reconcile/apply-json-edits.js';
import { applyYamlEdits } from '../src/reconcile/apply-yaml-edits.js';
import type { ApplyEdits, ValueEdit } from '../src/reconcile/types.js';

const QUEUES = 4_000;

function templates(): { yaml: string; json: string; hcl: string } {
  let yaml = 'Resources:\n';
  let hcl = '';
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < QUEUES; i++) {
    yaml += `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub "q-${i}-\${AWS::StackName}"\n      VisibilityTimeout: 30 # seconds\n      Tags:\n        - Key: team\n          Value: orders\n`;
    resources[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': `q-${i}` }, VisibilityTimeout: 30, Tags: [{ Key: 'team', Value: 'orders' }] } };
    if (i < QUEUES / 2) hcl += `resource "aws_sqs_queue" "q${i}" {\n  name                       = "q-${i}"\n  visibility_timeout_seconds = 30\n\n  tags = {\n    team = "orders"\n  }\n}\n\n`;
  }
  return { yaml, json: JSON.stringify({ Resources: resources }, null, 2), hcl };
}

function edits(count: number, hcl: boolean): ValueEdit[] {
  return Array.from({ length: count }, (_, n) => {
    const i = (n % 20) * 97;
    const resource = hcl ? `aws_sqs_queue.q${i}` : `Queue${i}`;
    if (n < 20) return { resource, path: [hcl ? 'visibility_timeout_seconds' : 'VisibilityTimeout'], op: { kind: 'set', value: 120 } };
    return { resource, path: [hcl ? 'tags' : 'Tags'], op: { kind: 'tag', key: 'owner', value: 'platform' } };
  });
}

function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export async function benchReconcileEdits(): Promise<void> {
  await loadHclGrammar();
  const { yaml, json, hcl } = templates();
  console.log('reconcile edits (CPU time)');
  const cases: Array<[string, ApplyEdits, string, boolean]> = [
    [`YAML, ${Math.round(yaml.length / 1024)} KB`, applyYamlEdits, yaml, false],
    [`JSON, ${Math.round(json.length / 1024)} KB`, applyJsonEdits, json, false],
    [`HCL, ${Math.round(hcl.length / 1024)} KB`, applyHclEdits, hcl, true],
  ];
  for (const [name, apply, text, isHcl] of cases) {
    apply(text, edits(1, isHcl)); // warm up
    const figures = [1, 20, 40].map((count) => {
      let applied = 0;
      const ms = cpuMs(() => {
        applied = apply(text, edits(count, isHcl)).applied.length;
      });
      return `${count} edits (${applied} made): ${ms.toFixed(0)} ms`;
    });
    console.log(`  ${name}: ${figures.join(', ')}`);
  }
}
