/**
 * The main module of every process a learner's server runs in (see server-process.mjs). It
 * waits for run-server.ts to say which file to run, with which PORT and ROOT, then imports
 * that file: to the learner's code it is as if Node had been started with it. An error at the
 * top of their file is printed and ends the process just as it would then.
 */
import { pathToFileURL } from 'node:url';

export interface StartMessage {
  type: 'start';
  entry: string;
  port: number;
  root: string;
}

// server-guard.ts has unref'd the channel; until the message arrives it is all there is to wait on.
process.channel?.ref();
const start = await new Promise<StartMessage>((resolve) => {
  const onMessage = (message: StartMessage) => {
    if (message?.type !== 'start') return;
    process.off('message', onMessage);
    resolve(message);
  };
  process.on('message', onMessage);
});
process.channel?.unref();

process.env.PORT = String(start.port);
process.env.ROOT = start.root;
// What the learner's code sees is what `node <their file>` would give it: no owner tag.
process.argv.splice(1, Infinity, start.entry);
await import(pathToFileURL(start.entry).href);
