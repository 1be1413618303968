/**
 * The check report, printed while the suites run: each requirement's ✓ or ✗ as it finishes, the
 * first failure in full as soon as it is known, a stage's verdict the moment its suite is done
 * (the current stage's comes first, long before the earlier stages' are checked), and in a
 * terminal a status line below saying what runs now. Piped or in CI it prints the same lines as
 * they come, and no status line. What is printed is what formatReport would print at the end.
 */
import type { RequirementResult, RunListener, StageResult } from '../core/run-suites.ts';
import type { Stage } from '../core/stages.ts';
import { formatEnd, formatStartProblem, ReportWriter, type CheckReport } from './report.ts';
import { StatusLine } from './status-line.ts';
import { terminalWidth } from './wrap-text.ts';

export class LiveReport implements RunListener {
  private readonly writer: ReportWriter;
  private readonly status = new StatusLine();
  private readonly printed = new Set<number>();
  private readonly width = terminalWidth();
  private current: { stage: Stage; done: number; total: number } | undefined;

  constructor(entry: string, options: { foldPassed?: boolean } = {}) {
    this.writer = new ReportWriter(entry, this.width, options);
    this.status.set('Starting your server…');
  }

  stageStarted(stage: Stage, total: number): void {
    this.current = { stage, done: 0, total };
    this.printed.add(stage.id);
    this.status.print(this.writer.stageStarted(stage));
    this.status.set(this.progress());
  }

  requirementStarted(stage: Stage, name: string): void {
    if (this.current?.stage.id === stage.id) this.status.set(`${this.progress()} · ${name}`);
  }

  requirementFinished(stage: Stage, result: RequirementResult): void {
    if (this.current?.stage.id === stage.id) this.current.done += 1;
    this.status.print(this.writer.requirement(result));
    this.status.set(this.progress());
  }

  stageFinished(result: StageResult): void {
    this.status.print(this.writer.stageFinished(result));
    this.current = undefined;
    this.status.set(result.state === 'passed' ? 'Checking the earlier stages, so nothing that used to work broke…' : 'Finishing…');
  }

  /** A line of its own, above the status line: a notice while the server starts, say. */
  note(line: string): void {
    this.status.print([line]);
  }

  /** The rest of the report, once the check is over. */
  finish(report: CheckReport): void {
    this.status.stop();
    if (report.startProblem) {
      console.log(formatStartProblem(report, this.width));
      return;
    }
    const rest: string[] = [];
    for (const result of report.stages) {
      if (this.printed.has(result.stage.id)) continue;
      if (result.state === 'not-run') {
        rest.push(...this.writer.notRun(result.stage));
        continue;
      }
      // A stage the run did not announce as it went: printed whole, now.
      rest.push(...this.writer.stageStarted(result.stage));
      for (const requirement of result.requirements) rest.push(...this.writer.requirement(requirement, report.exitDuringCheck));
      rest.push(...this.writer.stageFinished(result));
    }
    rest.push(...formatEnd(report, this.width));
    console.log(rest.join('\n'));
  }

  private progress(): string {
    if (!this.current) return 'Checking…';
    const { stage, done, total } = this.current;
    return `Stage ${stage.id} · ${done}/${total}`;
  }
}
