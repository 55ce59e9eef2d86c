import { beforeAll, describe, expect, it } from 'vitest';
import { loadHclGrammar } from '../../../src/iac/terraform/load-hcl-grammar.js';
import { declaringBlock, parseAddress } from '../../../src/iac/terraform/parse-address.js';
import { parseRoot } from '../../../src/iac/terraform/parse-root.js';
import type { TerraformRoot } from '../../../src/types.js';
import { readFixtureTree } from './read-fixture-tree.js';

let root: TerraformRoot;
beforeAll(async () => {
  await loadHclGrammar();
  root = parseRoot('infra/app', readFixtureTree());
});

describe('parseAddress', () => {
  it.each([
    ['aws_sqs_queue.jobs', { modules: [], mode: 'managed', type: 'aws_sqs_queue', name: 'jobs' }],
    ['aws_sqs_queue.jobs[0]', { modules: [], mode: 'managed', type: 'aws_sqs_queue', name: 'jobs', key: 0 }],
    ['data.aws_iam_policy_document.x', { modules: [], mode: 'data', type: 'aws_iam_policy_document', name: 'x' }],
    ['module.q["a"].aws_sqs_queue.jobs', { modules: [{ name: 'q', key: 'a' }], mode: 'managed', type: 'aws_sqs_queue', name: 'jobs' }],
    ['module.q["a.b]\\"c"].module.r[2].data.t.n["k"]', { modules: [{ name: 'q', key: 'a.b]"c' }, { name: 'r', key: 2 }], mode: 'data', type: 't', name: 'n', key: 'k' }],
    ['module.q["a"]', { modules: [], mode: 'module', name: 'q', key: 'a' }],
  ])('%s', (address, expected) => {
    expect(parseAddress(address)).toEqual(expected);
  });

  it.each(['', 'aws_sqs_queue', 'module.', 'module.q.', 'aws_sqs_queue.jobs[', 'aws_sqs_queue.jobs["a]', 'aws_sqs_queue.jobs.extra', 'data.x'])('refuses %j', (address) => {
    expect(parseAddress(address)).toBeUndefined();
  });
});

describe('declaringBlock', () => {
  it.each([
    // plan address, declaring block, its file, its first line, exact
    ['module.queues.aws_sqs_queue.jobs', 'module.queues.aws_sqs_queue.jobs', 'infra/modules/queues/main.tf', 6, true],
    ['module.reports["daily"].aws_sqs_queue.jobs', 'module.reports.aws_sqs_queue.jobs', 'infra/modules/queues/main.tf', 6, true],
    ['module.reports["weekly"].module.alarms.aws_cloudwatch_metric_alarm.depth[1]', 'module.reports.module.alarms.aws_cloudwatch_metric_alarm.depth', 'infra/modules/queues/alarms/main.tf', 9, true],
    ['data.aws_iam_policy_document.consume', 'data.aws_iam_policy_document.consume', 'infra/app/main.tf', 62, true],
    ['module.reports["daily"]', 'module.reports', 'infra/app/main.tf', 45, true],
    // a registry module is not read: its resources point at the module block
    ['module.vpc.aws_vpc.this[0]', 'module.vpc', 'infra/app/main.tf', 54, false],
    ['module.vpc.module.subnets.aws_subnet.private["a"]', 'module.vpc', 'infra/app/main.tf', 54, false],
  ])('%s is declared by %s', (address, blockAddress, file, line, exact) => {
    const found = declaringBlock(root, address);
    expect(found && [found.block.address, found.block.file, found.block.span.startLine, found.exact]).toEqual([blockAddress, file, line, exact]);
  });

  it.each(['aws_sqs_queue.nope', 'module.queues.aws_sqs_queue.nope', 'module.nope.aws_sqs_queue.jobs', 'not an address'])('finds nothing for %s', (address) => {
    expect(declaringBlock(root, address)).toBeUndefined();
  });
});
