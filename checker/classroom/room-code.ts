/**
 * Room codes: random, and easy to read aloud across a room and type without mistakes — three
 * syllables and two digits, like `rakovi-07`. Letters that sound or look alike (b/p/d/t, m/n,
 * i/l/1, o/0) are kept apart so "bee or pee?" never comes up. About 4 million codes; at the
 * board's limit of ten wrong guesses a minute, guessing one takes months.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { normaliseCode } from './protocol.ts';

const CONSONANTS = 'fkmrsvz';
const VOWELS = 'aeiou';

export function newRoomCode(): string {
  let word = '';
  for (let i = 0; i < 3; i++) word += CONSONANTS[randomInt(CONSONANTS.length)]! + VOWELS[randomInt(VOWELS.length)]!;
  return `${word}-${String(randomInt(100)).padStart(2, '0')}`;
}

/** Compare in constant time, so the response time says nothing about how close a guess was. */
export function codeMatches(given: string, expected: string): boolean {
  const a = Buffer.from(normaliseCode(given));
  const b = Buffer.from(normaliseCode(expected));
  return a.length === b.length && timingSafeEqual(a, b);
}
