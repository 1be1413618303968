// @ts-check
/**
 * The oldest Node the course runs on, checked before anything else loads, so an older Node gets a
 * sentence saying what to install instead of a stack trace from deep inside a dependency. npm
 * only warns about package.json's `engines`, and only once.
 *
 * Why JavaScript: launch.mjs runs it before tsx is registered.
 */

export const OLDEST = { major: 20, minor: 11 };

/**
 * @param {string} version like process.version, "v20.20.2"
 * @returns {string | undefined} what to tell the learner, or undefined when this Node will do
 */
export function nodeTooOld(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  if (major > OLDEST.major || (major === OLDEST.major && minor >= OLDEST.minor)) return undefined;
  return `This course needs Node.js ${OLDEST.major}.${OLDEST.minor} or newer, and this is Node.js ${version}.\n` +
    'Install the current LTS release (24) from https://nodejs.org/, then run npm install again.';
}
