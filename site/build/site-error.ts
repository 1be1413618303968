/**
 * A mistake in the course's sources that stops the site from being built (a missing lesson, a
 * link to nowhere). build-site.ts prints its message alone, without a stack: the message names
 * the file and what to change.
 */
export class SiteError extends Error {}
