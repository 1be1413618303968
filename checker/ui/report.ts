/**
 * What `npm run check` prints: each requirement as a sentence with ✓ or ✗; for the first
 * failure, the bytes sent and received (escaped, with a caret under the first wrong byte), what
 * was expected, a hint and a command to try it by hand; the learner's own server output,
 * labelled as theirs; and a last line that says what to do next. `--json` prints the same
 * result as data.
 */
import { basisJson, basisTag, describeBasis, type Basis } from '../http/basis.ts';
import type { FailureDetails } from '../http/check-failure.ts';
import { codeFrame, syntaxProblemIn } from './code-frame.ts';
import { tryByHand } from './try-by-hand.ts';
import { showBytes } from '../http/show-bytes.ts';
import { terminalWidth, wrapItem } from './wrap-text.ts';
import type { PortHolder } from '../core/port-holders.ts';
import type { Exit, OutputLine, StartProblem } from '../core/run-server.ts';
import type { RequirementResult, StageResult } from '../core/run-suites.ts';
import { stageKey, type Stage } from '../core/stages.ts';
import { style, symbols } from './style.ts';

export interface CheckReport {
  stage: Stage;
  /** The file that was checked, as the learner should read it. */
  entry: string;
  ok: boolean;
  startProblem?: StartProblem;
  stages: StageResult[];
  /** Set when the server exited while it was being checked. */
  exitDuringCheck?: Exit;
  output: readonly OutputLine[];
  port: number;
  durationMs: number;
  /** Set when files the checker put in ROOT were gone after the check: the server deleted or moved them. */
  rootDamaged?: boolean;
  /** Processes still listening on the port after the server was stopped (run-check.ts). */
  leftBehind?: readonly PortHolder[];
}

const INDENT = '    ';
const OUTPUT_LINES = 30;
/** Hints are read slowly: never wider than this, even in a wide terminal or a log. */
const HINT_WIDTH = 88;

export function formatHeader(stage: Stage, entry: string): string {
  return `${style.strong(`Checking stage ${stage.id} · ${stage.title}`)} ${style.dim(`(${entry})`)}`;
}

/** The report, with its prose wrapped to `width` columns: the terminal's, or none when output goes to a file or a pipe. */
export function formatReport(report: CheckReport, width = terminalWidth()): string {
  if (report.startProblem) return formatStartProblem(report, width);
  const writer = new ReportWriter(report.entry, width);
  const out = report.stages.flatMap((result) => writer.stage(result, report.exitDuringCheck));
  out.push(...formatEnd(report, width));
  return out.join('\n');
}

export function formatStartProblem(report: CheckReport, width = terminalWidth()): string {
  const out = ['', ...wrapItem(startProblemText(report.startProblem!, report), width, `${symbols.fail} `)];
  const syntax = report.startProblem!.kind === 'exited' ? syntaxProblemIn(report.output.map((line) => line.text).join('\n')) : undefined;
  // A syntax error is shown where it is; the stack Node printed around it is all internals.
  if (syntax) out.push('', ...codeFrame(syntax));
  else out.push(...outputBlock(report.output, true));
  out.push('', ...wrapItem(`✗ Stage ${report.stage.id} could not be checked: the server must be running and listening first.`, width, '', '', style.fail));
  return out.join('\n');
}

/**
 * The report's body, a piece at a time, so the same lines can be printed as the suites run
 * (live-report.ts) or all at once (formatReport). Only the first failure is shown in full;
 * `foldPassed` (watch mode) leaves passed requirements out, counted in the stage's last line,
 * and shows each later failure as its name alone.
 */
export class ReportWriter {
  private detailShown = false;
  private readonly entry: string;
  private readonly width: number;
  private readonly foldPassed: boolean;

  constructor(entry: string, width: number, options: { foldPassed?: boolean } = {}) {
    this.entry = entry;
    this.width = width;
    this.foldPassed = options.foldPassed ?? false;
  }

  stageStarted(stage: Stage): string[] {
    return ['', style.strong(`Stage ${stage.id} · ${stage.title}`)];
  }

  requirement(requirement: RequirementResult, exitDuringCheck?: Exit): string[] {
    const { width } = this;
    if (requirement.state === 'passed') return this.foldPassed ? [] : wrapItem(requirement.name, width, `  ${symbols.pass} `);
    if (requirement.state === 'skipped') {
      return wrapItem(`${requirement.name} (not checked: ${requirement.note ?? 'skipped'})`, width, `  ${symbols.notRun} `, INDENT, style.dim);
    }
    const out = wrapItem(requirement.name, width, `  ${symbols.fail} `);
    const failure = requirement.failure ?? { problem: 'Failed.' };
    if (!this.detailShown) {
      this.detailShown = true;
      out.push(...failureBlock(failure, requirement.basis, this.entry, width));
    } else if (this.foldPassed) {
      // Watch mode: one line for each failure after the first, which is the one to fix.
    } else if (failure.symptom === 'nothing-listening') {
      // Said once, in full, above: the rest of the list would only repeat it.
      out.push(`${INDENT}${style.dim(exitDuringCheck ? '(your server had stopped by then)' : '(nothing was listening any more)')}`);
    } else {
      const tag = requirement.basis ? ` (${basisTag(requirement.basis)})` : '';
      out.push(...wrapItem(`${failure.problem}${tag}`, width, INDENT, INDENT, style.dim));
    }
    return out;
  }

  /** The stage's verdict, as soon as its suite is done. */
  stageFinished(result: StageResult): string[] {
    const passed = result.requirements.filter((r) => r.state === 'passed').length;
    const total = result.requirements.length;
    if (result.state === 'passed') return [style.pass(`${symbols.pass} Stage ${result.stage.id} passes`) + style.dim(` (${passed}/${total})`)];
    return [style.fail(`${symbols.fail} Stage ${result.stage.id} fails`) + style.dim(` (${passed}/${total} passed)`)];
  }

  /** A whole stage at once: its heading, its requirements and its verdict, or that it was not checked. */
  stage(result: StageResult, exitDuringCheck?: Exit): string[] {
    if (result.state === 'not-run') return this.notRun(result.stage);
    return [
      ...this.stageStarted(result.stage),
      ...result.requirements.flatMap((requirement) => this.requirement(requirement, exitDuringCheck)),
      ...this.stageFinished(result),
    ];
  }

  notRun(stage: Stage): string[] {
    return ['', ...wrapItem(`Stage ${stage.id} · ${stage.title} — not checked: the check stops at the first stage that fails`, this.width, `${symbols.notRun} `, '  ', style.dim)];
  }
}

/** What follows the stages: how the server ended, what it left, its output, and what to do next. */
export function formatEnd(report: CheckReport, width = terminalWidth()): string[] {
  const out: string[] = [];
  if (report.exitDuringCheck) {
    const exited = report.exitDuringCheck.code === 0
      ? 'Your server exited during the check (exit code 0): Node ends a process when nothing is left listening. Does something call server.close()?'
      : `Your server stopped during the check (${exitText(report.exitDuringCheck)}). Its last output is below: the error that stopped it is usually near the end.`;
    out.push('', ...wrapItem(exited, width, '', '', style.fail));
  }
  if (report.rootDamaged) {
    const text = `During the check, files the checker had put in the folder your server serves (ROOT) disappeared: something deleted or moved them, most likely your server. Failures above may come from that rather than from your answers. A static server only reads under ROOT: look for rm, unlink or rename calls on it.`;
    out.push('', ...wrapItem(text, width, '', '', style.fail));
  }
  out.push(...leftBehindLines(report, width));
  out.push(...outputBlock(report.output, !report.ok));
  out.push('', ...summaryLines(report, width));
  return out;
}

function leftBehindLines(report: CheckReport, width: number): string[] {
  const out: string[] = [];
  for (const holder of report.leftBehind ?? []) {
    const text = holder.stopped
      ? `After the check, a process your server had started (pid ${holder.pid}: ${holder.command}) was still listening on port ${report.port}: it was started outside your server's process group, so stopping your server did not stop it. The checker stopped it. A server should not leave processes running behind it.`
      : `After the check, another program (pid ${holder.pid}: ${holder.command}) was listening on port ${report.port}. The checker did not start it, so it left it alone.`;
    out.push('', ...wrapItem(text, width, `${symbols.notRun} `, '  ', style.warn));
  }
  return out;
}

function failureBlock(failure: FailureDetails, basis: Basis | undefined, entry: string, width: number): string[] {
  const out = ['', ...wrapItem(failure.problem, width, INDENT)];
  if (basis) out.push(...wrapItem(`${style.dim('Whose rule:')} ${describeBasis(basis)}`, width, INDENT, INDENT));
  if (failure.sent !== undefined) {
    out.push('', `${INDENT}${style.dim('Sent:')}`, ...bytesBlock(Buffer.from(failure.sent, 'latin1')));
  }
  if (failure.received !== undefined) {
    const received = Buffer.from(failure.received, 'latin1');
    out.push('', `${INDENT}${style.dim('Received:')}`);
    out.push(...(received.length === 0 ? [`${INDENT}  ${style.dim('(nothing)')}`] : bytesBlock(received, failure.caret)));
  }
  if (failure.expected) out.push('', ...wrapItem(`${style.dim('Expected:')} ${failure.expected}`, width, INDENT));
  if (failure.hint) out.push('', ...wrapItem(`Hint: ${failure.hint}`, Math.min(width, HINT_WIDTH + INDENT.length), INDENT, INDENT, style.warn));
  if (failure.sent) out.push('', ...tryByHand(failure.sent, failure.received, entry, width, INDENT));
  out.push('');
  return out;
}

function bytesBlock(bytes: Buffer, caretAt?: number): string[] {
  const shown = showBytes(bytes, { caretAt });
  const out: string[] = [];
  shown.lines.forEach((line, index) => {
    out.push(`${INDENT}  ${style.code(line)}`);
    if (shown.caret && shown.caret.line === index) {
      out.push(`${INDENT}  ${' '.repeat(shown.caret.column)}${style.caret('^')}`);
    }
  });
  if (shown.caret && shown.caret.line >= shown.lines.length) out.push(`${INDENT}  ${style.caret('^')}`);
  if (shown.truncated) out.push(`${INDENT}  ${style.dim(`… (${bytes.length} bytes in all)`)}`);
  return out;
}

function outputBlock(output: readonly OutputLine[], show: boolean): string[] {
  if (!show) return [];
  if (output.length === 0) return ['', style.dim('Your server printed nothing.')];
  const shown = output.slice(-OUTPUT_LINES);
  const out = ['', style.dim(`Your server's output${output.length > shown.length ? ` (last ${shown.length} lines)` : ''}:`)];
  for (const line of shown) {
    out.push(`${style.dim('  │')} ${line.stream === 'stderr' ? style.warn(line.text) : line.text}`);
  }
  return out;
}

function summaryLines(report: CheckReport, width: number): string[] {
  if (report.ok) {
    const earlier = report.stage.id === 2 ? ', and so does stage 1' : report.stage.id > 2 ? `, and so do stages 1–${report.stage.id - 1}` : '';
    const unchecked = notChecked(report);
    const caveat = unchecked === 0 ? [] : wrapItem(`But ${unchecked} ${unchecked === 1 ? 'requirement was' : 'requirements were'} not checked on this machine (marked · above): they count as neither passed nor failed.`, width, '  ', '  ', style.warn);
    return [style.pass(`✓ Stage ${report.stage.id} passes${earlier}.`), ...caveat];
  }
  const failed = report.stages.find((s) => s.state === 'failed');
  if (!failed) return [style.fail('✗ The check did not complete.')];
  const first = failed.requirements.find((r) => r.state === 'failed');
  const which = failed.stage.id === report.stage.id ? `Stage ${failed.stage.id}` : `Stage ${failed.stage.id} (an earlier stage that used to pass)`;
  return [
    ...wrapItem(`✗ ${which} fails: ${first?.name ?? 'see above'}.`, width, '', '  ', style.fail),
    ...wrapItem(`Fix the first failure, then run ${style.command('npm run check')} again (${style.command('npm run hint')} for a nudge).`, width, '  '),
  ];
}

function notChecked(report: CheckReport): number {
  return report.stages.reduce((sum, s) => sum + s.requirements.filter((r) => r.state === 'skipped').length, 0);
}

function exitText(exit: Exit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

const SYNTAX_ERROR = /SyntaxError|Transform failed|ERR_MODULE_NOT_FOUND|Cannot find module|ERROR: /;

export function startProblemText(problem: StartProblem, report: Pick<CheckReport, 'port' | 'output'>): string {
  switch (problem.kind) {
    case 'exited': {
      const text = report.output.map((line) => line.text).join('\n');
      if (problem.exit.code !== 0 && syntaxProblemIn(text)) {
        return `Your server could not start: its code has a syntax error, so Node could not load it (${exitText(problem.exit)}). Here it is:`;
      }
      if (problem.exit.code !== 0 && SYNTAX_ERROR.test(text)) {
        return `Your server could not start: Node could not load your code (${exitText(problem.exit)}). The error and the line it points at are in the output below.`;
      }
      if (problem.exit.code === 0) {
        return `Your server ran to the end of its file and exited before it listened on a port. A server keeps running only while something (server.listen) is listening.`;
      }
      return `Your server exited (${exitText(problem.exit)}) before it listened on a port. The output below says why.`;
    }
    case 'never-listened':
      return `Your server started, but nothing listened on port ${report.port} within ${Math.round(problem.waitedMs / 1000)} s. The checker chooses the port and puts it in the environment variable PORT: listen on Number(process.env.PORT).`;
    case 'wrong-port':
      return problem.listenedOn === undefined
        ? `Your server listens, but not on a TCP port the checker can reach. Listen on the port in the environment variable PORT (${report.port} for this check).`
        : `Your server listens on port ${problem.listenedOn}, but the checker started it with PORT=${report.port}. Read the port from process.env.PORT (falling back to 8000 when it is not set) instead of writing the number in your code.`;
    case 'unreachable-address':
      return `Your server listens only on the address ${problem.address}, and the checker connects to 127.0.0.1. Call listen(port) with no address (all interfaces), or with '127.0.0.1'.`;
    case 'uses-node-http':
      return `Your server is built on node:http. In this course you write HTTP yourself, on node:net: net.createServer hands you the raw bytes, and reading and writing them is the lesson. Replace http.createServer with net.createServer.`;
  }
}

/** The report as data, for `--json`: stable field names, no colour, bytes as text. */
export function reportJson(report: CheckReport): object {
  return {
    ok: report.ok,
    stage: report.stage.id,
    entry: report.entry,
    port: report.port,
    notChecked: notChecked(report),
    durationMs: Math.round(report.durationMs),
    startProblem: report.startProblem ? { kind: report.startProblem.kind, message: startProblemText(report.startProblem, report) } : null,
    exitDuringCheck: report.exitDuringCheck ?? null,
    leftBehind: report.leftBehind ?? [],
    rootDamaged: report.rootDamaged ?? false,
    stages: report.stages.map((result) => ({
      id: result.stage.id,
      key: stageKey(result.stage),
      title: result.stage.title,
      state: result.state,
      durationMs: result.durationMs === undefined ? null : Math.round(result.durationMs),
      requirements: result.requirements.map((r) => ({
        name: r.name,
        state: r.state,
        basis: r.basis ? basisJson(r.basis) : null,
        durationMs: r.durationMs === undefined ? null : Math.round(r.durationMs),
        ...(r.failure ? { failure: r.failure } : {}),
        ...(r.note ? { note: r.note } : {}),
      })),
    })),
    output: report.output,
  };
}
