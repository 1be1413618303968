/**
 * The parts of the landing page and the instructor's guide that are data, not prose: rendered
 * from the registry (lessons/stages.ts), the course's own rules (lessons/course-rules.ts) and the
 * checker's symptom hints, so they grow with every stage and rule added there. The prose around them lives in landing.md and instructor.md, which place
 * each block with a line such as `{{lesson-list}}`.
 */
import { HINTS } from '../../checker/http/hints.ts';
import { COURSE_RULES } from '../../lessons/course-rules.ts';
import { isBonus, stageKey, type Stage } from '../../checker/core/stages.ts';
import { escapeHtml } from './html.ts';
import type { Blocks, MarkdownDocument } from './render-markdown.ts';

export function pageFile(stage: Stage): string {
  return `${stageKey(stage)}.html`;
}

export function landingBlocks(stages: readonly Stage[]): Blocks {
  const item = (stage: Stage) =>
    `<li><a href="${pageFile(stage)}">${escapeHtml(stage.title)}</a> <span class="minutes">${stage.minutes} min</span><br>${escapeHtml(stage.summary)}</li>`;
  const bonus = stages.filter(isBonus);
  return {
    'lesson-list': () =>
      `<ol class="lesson-list">\n${stages.filter((stage) => !isBonus(stage)).map(item).join('\n')}\n</ol>\n` +
      (bonus.length === 0
        ? ''
        : `<p>Bonus lessons, for after the course. You do not need them to finish it:</p>\n<ol class="lesson-list" start="${bonus[0]!.id}">\n${bonus.map(item).join('\n')}\n</ol>\n`),
  };
}

export function instructorBlocks(stages: readonly Stage[]): Blocks {
  return {
    timings: () => timings(stages),
    'stage-notes': (document) => stages.map((stage) => stageNotes(stage, document)).join(''),
    'course-rules': () => courseRules(stages),
    symptoms: () =>
      `<dl class="symptoms">\n${Object.entries(HINTS)
        .map(([symptom, hint]) => `<dt><code>${symptom}</code></dt>\n<dd>${escapeHtml(hint)}</dd>`)
        .join('\n')}\n</dl>\n`,
  };
}

function timings(stages: readonly Stage[]): string {
  let elapsed = 0;
  // A workshop day covers the course proper; the bonus lessons are listed after its total.
  const bonus = stages.filter(isBonus);
  const rows = stages.filter((stage) => !isBonus(stage)).map((stage) => {
    const start = elapsed;
    elapsed += stage.minutes;
    return `<tr><td>${stage.id}</td><td><a href="${pageFile(stage)}">${escapeHtml(stage.title)}</a></td><td class="number">${stage.minutes}</td><td class="number">${clock(start)}</td></tr>`;
  });
  return `<div class="table-wrap"><table>
<thead><tr><th>lesson</th><th>title</th><th class="number">minutes</th><th class="number">starts at</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
<tfoot><tr><td></td><td>Total, without breaks</td><td class="number">${elapsed}</td><td class="number">${clock(elapsed)}</td></tr></tfoot>
</table></div>
${bonus.length === 0 ? '' : `<p>Not in the total: the bonus lessons, for those who finish early or want more: ${bonus.map((stage) => `<a href="${pageFile(stage)}">${stage.id}. ${escapeHtml(stage.title)}</a> (${stage.minutes} min)`).join(', ')}.</p>\n`}`;
}

function courseRules(stages: readonly Stage[]): string {
  const rows = Object.values(COURSE_RULES)
    .toSorted((a, b) => a.stage - b.stage)
    .map((rule) => {
      const stage = stages.find((s) => s.id === rule.stage)!;
      // `why` is written to follow "course rule, lesson N:" in the report; on its own it starts a sentence.
      const why = rule.why.charAt(0).toUpperCase() + rule.why.slice(1);
      return `<tr><td><a href="${pageFile(stage)}">${stage.id}</a></td><td>${escapeHtml(rule.rule)}</td><td>${escapeHtml(why)}</td></tr>`;
    });
  return `<div class="table-wrap"><table class="course-rules">
<thead><tr><th>lesson</th><th>the course's rule</th><th>why, when the RFC does not ask for it</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>
`;
}

/** Minutes since the start as h:mm. */
function clock(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

function stageNotes(stage: Stage, document: MarkdownDocument): string {
  return `${document.heading(3, `${stage.id}. ${stage.title}${isBonus(stage) ? ' (bonus)' : ''}`)}<p>${escapeHtml(stage.summary)} About ${stage.minutes} minutes. <a href="${pageFile(stage)}">Read lesson ${stage.id}</a>.</p>
<p>Where people get stuck, and what unblocks them, gentlest first (<code>npm run hint</code> shows a learner the same, one at a time):</p>
<ol>
${stage.hints.map((hint) => `<li>${escapeHtml(hint)}</li>`).join('\n')}
</ol>
`;
}
