/**
 * The check report, printed while the suites run: the stage's own requirements' ✓ or ✗ as each
 * finishes, the first failure in full as soon as it is known, the stage's verdict the moment its
 * suite is done; then each earlier stage, newest first, as soon as it and every newer one are
 * done (they may run side by side, run-check.ts, but read in order). In a terminal a status line
 * below says what runs now. Piped or in CI the same lines come as they are ready, and no status
 * line. What is printed is what formatReport would print at the end.
 */
import type { RequirementResult, RunListener, StageResult } from '../core/run-suites.ts';
import type { Stage } from '../core/stages.ts';
import { formatEnd, formatStartProblem, ReportWriter, type CheckReport } from './report.ts';
import { StatusLine } from './status-line.ts';
import { terminalWidth } from './wrap-text.ts';

interface Progress {
  done: number;
  total: number;
  running?: string;
}

export class LiveReport implements RunListener {
  private readonly writer: ReportWriter;
  private readonly status = new StatusLine();
  private readonly width = terminalWidth();
  private order: readonly Stage[] = [];
  /** Stages whose block has been printed, in order. */
  private readonly printed = new Set<number>();
  private readonly progress = new Map<number, Progress>();
  private readonly finished = new Map<number, StageResult>();
  /** A printed stage failed: the older ones are not reported. */
  private stopped = false;

  constructor(entry: string, options: { foldPassed?: boolean } = {}) {
    this.writer = new ReportWriter(entry, this.width, options);
    this.status.set('Starting your server…');
  }

  planned(stages: readonly Stage[]): void {
    this.order = stages;
  }

  stageStarted(stage: Stage, total: number): void {
    this.progress.set(stage.id, { done: 0, total });
    if (this.isOwn(stage)) {
      this.printed.add(stage.id);
      this.status.print(this.writer.stageStarted(stage));
    }
    this.showStatus();
  }

  requirementStarted(stage: Stage, name: string): void {
    const progress = this.progress.get(stage.id);
    if (progress) progress.running = name;
    this.showStatus();
  }

  requirementFinished(stage: Stage, result: RequirementResult): void {
    const progress = this.progress.get(stage.id);
    if (progress) {
      progress.done += 1;
      progress.running = undefined;
    }
    if (this.isOwn(stage)) this.status.print(this.writer.requirement(result));
    this.showStatus();
  }

  stageFinished(result: StageResult): void {
    this.progress.delete(result.stage.id);
    if (this.isOwn(result.stage)) {
      this.status.print(this.writer.stageFinished(result));
      if (result.state === 'failed') this.stopped = true;
    } else {
      this.finished.set(result.stage.id, result);
      this.flush();
    }
    this.showStatus();
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
    const rest = report.stages.filter((result) => !this.printed.has(result.stage.id)).flatMap((result) => this.writer.stage(result, report.exitDuringCheck));
    rest.push(...formatEnd(report, this.width));
    console.log(rest.join('\n'));
  }

  /** Print the earlier stages that are done, in order, up to the first still running. */
  private flush(): void {
    for (const stage of this.order.slice(1)) {
      if (this.stopped) return;
      if (this.printed.has(stage.id)) continue;
      const result = this.finished.get(stage.id);
      if (!result) return;
      this.printed.add(stage.id);
      this.status.print(this.writer.stage(result));
      if (result.state === 'failed') this.stopped = true;
    }
  }

  private isOwn(stage: Stage): boolean {
    return this.order.length === 0 || this.order[0]!.id === stage.id;
  }

  private showStatus(): void {
    const own = this.order[0];
    const ownProgress = own ? this.progress.get(own.id) : undefined;
    if (own && ownProgress) {
      this.status.set(`Stage ${own.id} · ${ownProgress.done}/${ownProgress.total}${ownProgress.running ? ` · ${ownProgress.running}` : ''}`);
      return;
    }
    const earlier = this.order.slice(1);
    if (earlier.length === 0 || this.stopped) {
      this.status.set('Finishing…');
      return;
    }
    const done = earlier.filter((stage) => this.finished.has(stage.id)).length;
    const running = [...this.progress.entries()].map(([id, p]) => `${id} (${p.done}/${p.total})`);
    this.status.set(`Earlier stages, so nothing that used to work broke: ${done} of ${earlier.length} done${running.length ? ` · running ${running.join(', ')}` : ''}`);
  }
}
