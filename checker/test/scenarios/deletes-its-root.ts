// Scenario: the stage 9 reference server (it logs every request), which then deletes the folder it was given to serve.
import { rmSync } from 'node:fs';
import path from 'node:path';
import '../../../solutions/09-capstone/server.ts';

setTimeout(() => rmSync(path.dirname(process.env.ROOT!), { recursive: true, force: true }), 300);
