/**
 * `npm run reset [N]`: put a lesson folder back to how `npm run lesson N` made it — from the
 * learner's own previous stage if it passed, else from the starter — after moving the code that
 * is there now to workspace/backups/, and saying where. Nothing is ever deleted.
 */
import { existsSync } from 'node:fs';
import { displayPath } from '../core/paths.ts';
import { readProgress } from '../core/progress.ts';
import { previousStage, stagePaths } from '../core/stages.ts';
import { resetLesson } from '../core/workspace.ts';
import { messages } from '../messages.ts';
import { stageArgument, UsageError, type Command } from './command.ts';

export const reset: Command = {
  summary: 'Start lesson N again as npm run lesson made it (your code is moved to workspace/backups/ first)',
  usage: 'npm run reset [N]',
  options: {},
  async run({ positionals }) {
    const progress = readProgress();
    const stage = stageArgument(positionals[0], progress.current);
    if (!stage) throw new UsageError(messages.noProgressYet);
    if (!existsSync(stagePaths(stage).workspaceDir)) {
      console.error(messages.noWorkspace(stage.id, displayPath(stagePaths(stage).workspaceDir)));
      return 1;
    }
    const { backup, origin } = resetLesson(stage, progress.passed);
    if (backup) console.log(messages.backedUp(displayPath(backup)));
    console.log(messages.resetDone(stage.id, displayPath(stagePaths(stage).workspaceDir), origin === 'own-previous' ? previousStage(stage)?.id : undefined));
    return 0;
  },
};
