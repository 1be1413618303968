/**
 * The mirror image of mistakes.test.ts: answers the RFCs allow, which real servers (nginx,
 * Apache, lighttpd, Caddy) give, each applied as a small patch to a copy of a reference solution
 * (patched-solution.ts). The checker must pass every one of them: a ✗ there would tell a learner
 * that a correct server is wrong. Where the RFC leaves the server a choice, every choice passes.
 *
 * Stages 3, 4, 7 and 8: each variant must pass its whole stage. Stages 5 to 12: each choice must
 * pass the requirements it touches (and, beside them, a mistake that must still fail shows those
 * requirements kept their teeth). Each of these once got a ✗ it did not deserve.
 */
import { describe, test } from 'vitest';
import { findChromium } from '../core/browser.ts';
import { checkJson, patchedSolution, type Patch } from './patched-solution.ts';

interface Variant {
  what: string;
  stage: number;
  patches: Patch[];
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
      ['files/serve-file.ts', "if (segment === '..' && segments.length === 0) return notFound();", "if (segment === '..' && segments.length === 0) return errorPage(403, 'Not for you.');"],
      ['files/serve-file.ts', "else if (segment.startsWith('.') || segment.includes('\\\\')) return notFound();", "else if (segment.startsWith('.') || segment.includes('\\\\')) return errorPage(403, 'Not for you.');"],
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

describe.concurrent('each answer the RFCs allow passes the stage it belongs to', () => {
  for (const variant of VARIANTS) {
    test(`stage ${variant.stage}: ${variant.what}`, async ({ expect }) => {
      const report = await checkJson(variant.stage, patchedSolution(variant.stage, variant.patches, variant.what));
      // Judged on the suites this file is for; each other suite's fairness is its own kit test's.
      const failed = report.stages.filter((s) => JUDGED_STAGES.includes(s.id)).flatMap((s) => s.requirements.filter((r) => r.state === 'failed').map((r) => `stage ${s.id}: ${r.name}: ${r.failure?.problem}`));
      expect(failed, `a correct server was failed`).toEqual([]);
      const own = report.stages.find((s) => s.id === variant.stage);
      const notRun = own?.requirements.filter((r) => r.state !== 'passed').map((r) => `${r.name}: ${r.state}`) ?? [];
      expect(own?.state, `stage ${variant.stage} did not pass: ${notRun.join('; ')} ${report.stderr.slice(-500)}`).toBe('passed');
    });
  }
});

interface AllowedChoice {
  what: string;
  stage: number;
  patches: Patch[];
  /** The requirements that must pass with this choice made. */
  passes: string[];
  /** And, for a mistake kept beside the choices to show the requirement still has teeth: the requirements that must fail. */
  fails?: string[];
  /** Skip where the requirement cannot be checked at all. */
  needs?: 'chromium';
}

const CHOICES: AllowedChoice[] = [
  {
    // RFC 9112 §9.6 asks a server to close in stages, and sets no time: this one closes its side
    // 3 s after a small response, so the checker's own request is still open when it counts.
    what: 'a server that closes each connection a while after its response (a lingering close)',
    stage: 6,
    patches: [
      ['http/response.ts', "socket.end(method === 'HEAD' ? head : Buffer.concat([head, body]));", "socket.write(method === 'HEAD' ? head : Buffer.concat([head, body]));\n    setTimeout(() => socket.end(), 3000);"],
      ['http/response.ts', 'socket.end(Buffer.concat([head, whole.subarray(0, size)]));', 'socket.write(Buffer.concat([head, whole.subarray(0, size)]));\n    setTimeout(() => socket.end(), 3000);'],
    ],
    passes: ['keeps serving when a client leaves mid-file, and closes the file'],
  },
  {
    // A freshness time instead of no-cache breaks the course's rule (stage 5 says so), not the
    // protocol: the browser reuses the stylesheets and scripts without asking, but still
    // revalidates the page itself on reload, and the server answers that with a 304.
    what: 'a server that lets the browser keep files for an hour, and answers a revalidation with 304',
    stage: 9,
    patches: [['files/serve-file.ts', "'Cache-Control': 'no-cache',", "'Cache-Control': 'max-age=3600',"]],
    passes: ['lets the browser revalidate on reload, and answers 304'],
    needs: 'chromium',
  },
  {
    // The same requirement still fails a server that never answers 304: the fix above must not
    // have made it pass everything.
    what: 'a server that never answers 304 (its teeth: this one must fail)',
    stage: 9,
    patches: [
      ['files/preconditions.ts', "return method === 'GET' || method === 'HEAD' ? 304 : 412;", "return method === 'GET' || method === 'HEAD' ? 200 : 412;"],
      ['files/preconditions.ts', 'if (seconds(file.lastModified) <= seconds(ifModifiedSince)) return 304;', 'if (seconds(file.lastModified) <= seconds(ifModifiedSince)) return 200;'],
    ],
    passes: [],
    fails: ['lets the browser revalidate on reload, and answers 304'],
    needs: 'chromium',
  },
  {
    // RFC 9110 §14.2: a server MAY ignore or reject an invalid ranges-specifier; nginx rejects.
    what: 'a server that refuses an invalid byte range with 416 instead of ignoring it',
    stage: 10,
    patches: [
      ['files/range.ts', 'if (!match) return WHOLE;', 'if (!match) return UNSATISFIABLE;'],
      ['files/range.ts', "if (last !== '' && Number(last) < start) return WHOLE;", "if (last !== '' && Number(last) < start) return UNSATISFIABLE;"],
    ],
    passes: ['ignores a Range it cannot read (the whole file, 200) or refuses it (416), and never sends a part of it'],
  },
  {
    // RFC 9110 §14.2: a server MAY ignore Range; this one does whenever it compresses.
    what: 'a server that ignores a Range when it compresses, and sends the whole file with gzip',
    stage: 11,
    patches: [
      ['files/compression.ts', "!request.headers.has('range') &&", ''],
      ['files/serve-file.ts', "const range = request.method === 'GET' && ifRangeHolds(", "const range = !gzip && request.method === 'GET' && ifRangeHolds("],
    ],
    passes: ['answers a Range request from the file as it is, not from gzip\'s output'],
  },
  {
    // No RFC orders a listing; the course asks for case ignored, and Python and Caddy do just that.
    what: 'a listing in lower-cased code-point order, as Python\'s http.server and Caddy sort',
    stage: 12,
    patches: [['files/directory-listing.ts', 'const byName = new Intl.Collator(\'en\', { numeric: true }).compare;', 'const byName = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);']],
    passes: ['lists files sorted by name, capitals among the small letters'],
  },
];

describe.concurrent('a choice the RFCs allow passes the requirement it touches', () => {
  for (const choice of CHOICES) {
    test.skipIf(choice.needs === 'chromium' && !findChromium())(choice.what, async ({ expect }) => {
      const report = await checkJson(choice.stage, patchedSolution(choice.stage, choice.patches, choice.what), 240_000);
      const requirements = report.stages.find((s) => s.id === choice.stage)?.requirements ?? [];
      for (const name of choice.passes) {
        const requirement = requirements.find((r) => r.name === name);
        expect(requirement, `no requirement named "${name}" in stage ${choice.stage}`).toBeDefined();
        expect(requirement!.state, `"${choice.what}" failed "${name}": ${requirement!.failure?.problem}`).toBe('passed');
      }
      for (const name of choice.fails ?? []) {
        expect(requirements.find((r) => r.name === name)?.state, `"${choice.what}" slipped through "${name}"`).toBe('failed');
      }
    }, 300_000);
  }
});
