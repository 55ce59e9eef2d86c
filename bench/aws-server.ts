// CloudFormation on loopback, in its Query/XML wire format, run as a child process of the
// benchmark (AWS's work is not ours to time). `GET /calls` says how many calls it answered.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cfnOk, driftsXml, resourcesXml, stackXml, templateXml } from '../test/live/fake-aws.js';
import { BASE, drifts, PAGE, RESOURCES, resources } from './stack.js';

const delayMs = Number(process.argv[2] ?? 0);
let calls = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/calls') {
    res.end(String(calls));
    return;
  }
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    calls++;
    const p = new URLSearchParams(raw);
    const action = p.get('Action') ?? '';
    const page = Number(p.get('NextToken') ?? 0);
    const next = (page + 1) * PAGE < RESOURCES ? String(page + 1) : undefined;
    const lastCheck = new Date(Date.now() - 60_000).toISOString();
    const bodies: Record<string, () => string> = {
      DescribeStacks: () => stackXml({ lastCheck }),
      GetTemplate: () => templateXml(BASE),
      ListStackResources: () => resourcesXml(resources.slice(page * PAGE, (page + 1) * PAGE), next),
      DescribeStackResourceDrifts: () => driftsXml(drifts.slice(page * PAGE, (page + 1) * PAGE), next),
    };
    const body = bodies[action];
    setTimeout(() => {
      res.writeHead(body ? 200 : 400, { 'content-type': 'text/xml' });
      res.end(body ? cfnOk(action, body()) : `<ErrorResponse><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`);
    }, delayMs);
  });
});

server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
