// CloudFormation on loopback, in its Query/XML wire format, run as a child process of the
// benchmark (AWS's work is not ours to time). `GET /calls` says how many calls it answered.
// Arguments: the delay of every answer (ms); then, for targeted detection, how long a
// stack-wide detection takes (ms: the stack's last detection is a day old, so a new one
// must run) and how long one DetectStackResourceDrift takes (ms).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cfnOk, driftsXml, resourceDriftXml, resourcesXml, STACK_ID, stackXml, templateXml } from '../test/live/fake-aws.js';
import { BASE, drifts, PAGE, RESOURCES, resources } from './stack.js';

const delayMs = Number(process.argv[2] ?? 0);
const detectionMs = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const resourceDriftMs = Number(process.argv[4] ?? 0);
let calls = 0;
/** DetectStackDrift calls answered (`GET /detections`). */
let detections = 0;
/** When the stack-wide detection started (detection mode). */
let detectionStart: number | undefined;
/** DetectStackResourceDrift calls being answered, and the most at once (`GET /in-flight`). */
let inFlight = 0;
let mostInFlight = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/calls') {
    res.end(String(calls));
    return;
  }
  if (req.method === 'GET' && req.url === '/detections') {
    res.end(String(detections));
    return;
  }
  if (req.method === 'GET' && req.url === '/in-flight') {
    res.end(String(mostInFlight));
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
    // As AWS does: a detection that ran is the stack's last check.
    const lastCheck = new Date(detectionStart ?? Date.now() - (detectionMs === undefined ? 60_000 : 86_400_000)).toISOString();
    // Records of a detection that ran are written as it ends, after it started.
    const written = detectionStart === undefined ? undefined : new Date(detectionStart + (detectionMs ?? 0)).toISOString();
    const bodies: Record<string, () => string> = {
      DescribeStacks: () => stackXml({ lastCheck }),
      GetTemplate: () => templateXml(BASE),
      ListStackResources: () => resourcesXml(resources.slice(page * PAGE, (page + 1) * PAGE), next),
      DescribeStackResourceDrifts: () => driftsXml(drifts.slice(page * PAGE, (page + 1) * PAGE).map((d) => (written ? { ...d, timestamp: written } : d)), next),
    };
    if (detectionMs !== undefined) {
      bodies.DetectStackDrift = () => {
        detections++;
        detectionStart = Date.now();
        return '<StackDriftDetectionId>bench-detection</StackDriftDetectionId>';
      };
      bodies.DescribeStackDriftDetectionStatus = () => {
        const done = detectionStart !== undefined && Date.now() - detectionStart >= detectionMs;
        return `<StackId>${STACK_ID}</StackId><StackDriftDetectionId>bench-detection</StackDriftDetectionId>${done ? '<StackDriftStatus>DRIFTED</StackDriftStatus>' : ''}<DetectionStatus>${done ? 'DETECTION_COMPLETE' : 'DETECTION_IN_PROGRESS'}</DetectionStatus><Timestamp>${new Date(detectionStart ?? Date.now()).toISOString()}</Timestamp>`;
      };
      bodies.DetectStackResourceDrift = () => {
        const drift = drifts.find((d) => d.logicalId === p.get('LogicalResourceId'))!;
        return resourceDriftXml({ ...drift, timestamp: new Date().toISOString() });
      };
    }
    const body = bodies[action];
    const wait = action === 'DetectStackResourceDrift' ? resourceDriftMs : delayMs;
    const targeted = action === 'DetectStackResourceDrift';
    if (targeted) mostInFlight = Math.max(mostInFlight, ++inFlight);
    setTimeout(() => {
      if (targeted) inFlight--;
      res.writeHead(body ? 200 : 400, { 'content-type': 'text/xml' });
      res.end(body ? cfnOk(action, body()) : `<ErrorResponse><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`);
    }, wait);
  });
});

server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
