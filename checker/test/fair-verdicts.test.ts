/**
 * The mirror image of mistakes.test.ts: answers the RFCs allow, which real servers (nginx,
 * Apache, lighttpd, Caddy) give, each applied as a small patch to a copy of a reference
 * solution. The checker must pass every one of them: a ✗ there would tell a learner that a
 * correct server is wrong. Where the RFC leaves the server a choice, every choice passes.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'vitest';
import { findStage, stagePaths } from '../core/stages.ts';
import { runCli } from './run-cli.ts';
import { scratchDir } from './scratch.ts';

interface Variant {
  what: string;
  stage: number;
  /** [file in the solution folder, text to find, text to put instead]. */
  patches: Array<[file: string, from: string, to: string]>;
}

const VARIANTS: Variant[] = [
  {
    // RFC 9112 §3: a server MAY parse the request line on whitespace. RFC 9110 §9.1: 405 for a
    // method the server knows but does not allow here, with Allow (§15.5.6). RFC 9110 §2.5: a
    // version the server does not speak may be refused with 505; 400 is the other reading.
    what: 'a lenient request line, 405 with Allow for every method but GET and HEAD, and 400 for HTTP/2.0',
    stage: 3,
    patches: [
      ['http/parse-request.ts', 'const REQUEST_LINE = /^([^ ]+) ([^ ]+) (HTTP\\/\\d\\.\\d)$/;', 'const REQUEST_LINE = /^([^ ]+) +([^ ]+) +(HTTP\\/\\d\\.\\d)$/;'],
      ['http/parse-request.ts', "if (!version.startsWith('HTTP/1.')) throw new RequestError(505,", "if (!version.startsWith('HTTP/1.')) throw new RequestError(400,"],
      ['server.ts', 'if (KNOWN_METHODS.has(request.method)) {', 'if (KNOWN_METHODS.has(request.method) || request.method.length > 0) {'],
    ],
  },
  {
    // RFC 9110 §9.1: 501 for any method the server does not implement, POST, PUT and DELETE too.
    what: '501 for every method but GET and HEAD',
    stage: 3,
    patches: [['server.ts', 'if (KNOWN_METHODS.has(request.method)) {', 'if (KNOWN_METHODS.has(request.method) && false) {']],
  },
  {
    // What nginx and Apache send: an absolute Location (RFC 9110 §10.2.2), here with a 308
    // (RFC 9110 §15.4.9), and 403 for what they refuse to serve (RFC 9110 §15.5.4).
    what: 'an absolute Location with a 308 for a folder, and 403 for dotfiles, traversal, links out of ROOT, a folder without index.html and a file used as a folder',
    stage: 4,
    patches: [
      ['http/response.ts', "  301: 'Moved Permanently',", "  301: 'Moved Permanently',\n  308: 'Permanent Redirect',\n  403: 'Forbidden',"],
      ['files/serve-file.ts', "return { status: 301, headers: { Location: `./${name}/${query}` }, body: '' };", "void name;\n        return { status: 308, headers: { Location: `http://127.0.0.1:${process.env.PORT}${rawPath}/${query}` }, body: '' };"],
      ['files/serve-file.ts', "if (segments.some((segment) => segment.startsWith('.') || segment.includes('\\\\'))) return notFound();", "if (segments.some((segment) => segment.startsWith('.') || segment.includes('\\\\'))) return errorPage(403, 'Not for you.');"],
      ['files/serve-file.ts', 'if (!(await realpath(file)).startsWith(root + path.sep)) return notFound();', "if (!(await realpath(file)).startsWith(root + path.sep)) return errorPage(403, 'Not for you.');"],
      ['files/serve-file.ts', "file = path.join(file, 'index.html');\n      info = await stat(file);", "file = path.join(file, 'index.html');\n      try {\n        info = await stat(file);\n      } catch {\n        return errorPage(403, 'Not for you.');\n      }"],
      ['files/serve-file.ts', '  } catch {\n    // Missing', "  } catch (error) {\n    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return errorPage(403, 'Not for you.');\n    // Missing"],
    ],
  },
  {
    // RFC 9110 §8.3: a sender that does not know the type may leave Content-Type out. Debian's
    // /etc/mime.types knows ".bak" (application/x-trash); many tables still say
    // application/javascript (RFC 9239 §6 calls it obsolete, browsers run it all the same).
    what: 'no Content-Type for an unknown extension, application/x-trash for .bak, application/javascript for .js',
    stage: 4,
    patches: [
      ['files/content-type.ts', "  '.js': 'text/javascript; charset=utf-8',", "  '.js': 'application/javascript',\n  '.bak': 'application/x-trash',"],
      ['files/content-type.ts', "return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';", "return TYPES[path.extname(file).toLowerCase()] ?? '';"],
      ['files/serve-file.ts', "return { status: 200, headers: { 'Content-Type': contentType(file) }, body };", "const type = contentType(file);\n    return { status: 200, headers: type ? { 'Content-Type': type } : {}, body };"],
    ],
  },
  {
    // RFC 9110 §9.1: 501 for a POST the server does not implement; the GET after it is still
    // read where it starts. RFC 9112 §9.3: honouring HTTP/1.0's keep-alive is the server's choice.
    what: '501 for POST, and HTTP/1.0 keep-alive not honoured',
    stage: 7,
    patches: [
      ['server.ts', 'if (KNOWN_METHODS.has(request.method)) {', 'if (KNOWN_METHODS.has(request.method) && false) {'],
      ['server.ts', "if (request.version === 'HTTP/1.0') return options.includes('keep-alive') ? 'keep-alive' : 'close';", "if (request.version === 'HTTP/1.0') return 'close';"],
    ],
  },
  {
    // RFC 9112 §9.3: a server MUST read a request's body or close the connection after its
    // response; lighttpd closes, saying so (§9.6).
    what: 'a connection closed after a request with a body, instead of reading the body',
    stage: 7,
    patches: [['server.ts', '} else if (length !== undefined && !(await reader.skip(Number(length)))) {', "} else if (length !== undefined && Number(length) > 0) {\n      persistence = 'close';\n    } else if (length !== undefined && !(await reader.skip(Number(length)))) {"]],
  },
  {
    // RFC 9112 §9.5: a server may close a connection at any time; nginx closes a head that
    // stalls without answering it.
    what: 'a stalled or trickling head closed without a 408',
    stage: 8,
    patches: [['server.ts', "await sendResponse(socket, errorPage(error.status, error.message), 'GET', 'close');", "if (error.status !== 408) await sendResponse(socket, errorPage(error.status, error.message), 'GET', 'close');"]],
  },
  {
    // RFC 9110 §5.4: any fitting 4xx for a header section too large (Apache says 400). RFC 9112
    // §6.1: a request with both Content-Length and Transfer-Encoding may be read by
    // Transfer-Encoding alone, then the connection closed. RFC 9112 §5.2: obs-fold may be replaced
    // with SP. RFC 9110 §5.5: a bare CR may be replaced with SP, and other control characters kept.
    what: '400 for too many header bytes, Content-Length with Transfer-Encoding read by the latter, obs-fold unfolded, a bare CR read as SP, BEL kept',
    stage: 8,
    patches: [
      ['http/request-reader.ts', "throw new RequestError(431, 'The request headers are larger than 16 KiB.');", "throw new RequestError(400, 'The request headers are larger than 16 KiB.');"],
      ['http/parse-request.ts', "if (length !== undefined && headers.has('transfer-encoding')) {", "if (length !== undefined && headers.has('transfer-encoding') && false) {"],
      ['http/parse-request.ts', "head.replace(/^(\\r\\n)+/, '').split('\\r\\n');", "head.replace(/^(\\r\\n)+/, '').replace(/\\r\\n[ \\t]+/g, ' ').split('\\r\\n');"],
      ['http/parse-request.ts', 'const value = line.slice(colon + 1).trim();', "const value = line.slice(colon + 1).replaceAll('\\r', ' ').trim();"],
      ['http/parse-request.ts', 'const FIELD_VALUE = /^[\\t\\x20-\\x7e\\x80-\\xff]*$/;', 'const FIELD_VALUE = /^[\\t\\x01-\\x09\\x0b\\x0c\\x0e-\\x7e\\x80-\\xff]*$/;'],
    ],
  },
];

/** The stages whose suites these variants are for. */
const JUDGED_STAGES = [3, 4, 7, 8];

interface JsonReport {
  stages: Array<{ id: number; state: string; requirements: Array<{ name: string; state: string; failure?: { problem: string } }> }>;
}

describe.concurrent('each answer the RFCs allow passes the stage it belongs to', () => {
  for (const variant of VARIANTS) {
    test(`stage ${variant.stage}: ${variant.what}`, async ({ expect }) => {
      const stage = findStage(variant.stage)!;
      const folder = scratchDir('fsts-variant-');
      cpSync(stagePaths(stage).solutionDir, folder, { recursive: true });
      for (const [file, from, to] of variant.patches) {
        const full = path.join(folder, file);
        const source = readFileSync(full, 'utf8');
        expect(source.includes(from), `the patch for "${variant.what}" no longer applies to ${file}: update it to the solution's current code`).toBe(true);
        writeFileSync(full, source.replace(from, to));
      }
      const result = await runCli(['check', String(variant.stage), '--entry', path.join(folder, 'server.ts'), '--json']);
      const report = JSON.parse(result.stdout) as JsonReport;
      // Judged on the suites this file is for; each other suite's fairness is its own kit test's.
      const failed = report.stages.filter((s) => JUDGED_STAGES.includes(s.id)).flatMap((s) => s.requirements.filter((r) => r.state === 'failed').map((r) => `stage ${s.id}: ${r.name}: ${r.failure?.problem}`));
      expect(failed, `a correct server was failed`).toEqual([]);
      const own = report.stages.find((s) => s.id === variant.stage);
      const notRun = own?.requirements.filter((r) => r.state !== 'passed').map((r) => `${r.name}: ${r.state}`) ?? [];
      expect(own?.state, `stage ${variant.stage} did not pass: ${notRun.join('; ')} ${result.stderr.slice(-500)}`).toBe('passed');
    });
  }
});
