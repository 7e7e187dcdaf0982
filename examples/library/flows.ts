/**
 * teardown as a library: analyse a capture (by default one shipped in the package) and print each
 * connection's verdict, one line each; `--ladder` adds each connection's ladder diagram, `--html
 * FILE` writes the HTML report. Run: `npm install && npm run build && npm start`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Analyzer, explanationOf, readCaptureFile } from 'tcp-teardown';
import type { FlowJson, Report, TextOptions } from 'tcp-teardown';
import { flowJson } from 'tcp-teardown/render/json';
import { ladderLines } from 'tcp-teardown/render/ladder';
import { reportHtml } from 'tcp-teardown/render/html';

const args = process.argv.slice(2);
const ladder = args.includes('--ladder');
const htmlAt = args.indexOf('--html');
const htmlFile = htmlAt >= 0 ? args[htmlAt + 1] : undefined;
const file = args.find((a, i) => !a.startsWith('--') && i !== htmlAt + 1)
  ?? fileURLToPath(import.meta.resolve('tcp-teardown/examples/lab-mixed.pcap'));

// Packet rows are kept for the ladder and the page; every connection's report is kept (keepFlows).
const analyzer = new Analyzer(file, { packets: ladder || htmlFile !== undefined });
const { info, damage } = await readCaptureFile(file, (record) => analyzer.onRecord(record));
const report: Report = analyzer.finish(info, damage);
const text: TextOptions = { color: false, lang: 'en', time: 'relative', origin: analyzer.firstTime ?? { sec: 0, nsec: 0 }, digits: analyzer.digits };

for (const flow of report.flows) {
  const json: FlowJson = flowJson(flow);
  const { teardown } = json;
  console.log(`#${json.id} ${json.client.ip}:${json.client.port} -> ${json.server.ip}:${json.server.port}: ${teardown.class}${teardown.detail === null ? '' : ` (${teardown.detail})`}`);
  if (ladder) {
    console.log(`  ${explanationOf(flow.teardown.explain, 'en')}`);
    for (const line of ladderLines(flow, text)) console.log(`  ${line}`);
  }
}
console.log(`${report.summary.flows} connections in ${file}`);
if (htmlFile !== undefined) writeFileSync(htmlFile, [...reportHtml(report, text)].join(''));
