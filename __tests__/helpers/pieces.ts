/** `items` as an async iterable, as a parser reads a body's text. */
export async function* chunksOf<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** `text` cut into pieces of `size` characters. */
export function piecesOf(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

/** Yields `pieces`, counting in `pulled.count` how many a parser asked for. */
export async function* counted(pieces: readonly string[], pulled: { count: number }): AsyncGenerator<string> {
  for (const piece of pieces) {
    pulled.count++;
    yield piece;
  }
}

/**
 * `text` cut at places `random` picks (pieces of 1 to `longest` characters), never inside a
 * surrogate pair: the decoder never hands a parser half a character.
 */
export function randomPieces(text: string, random: () => number, longest = 40): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + 1 + Math.floor(random() * longest));
    if (end < text.length && text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) <= 0xdbff) end++;
    pieces.push(text.slice(at, end));
    at = end;
  }
  return pieces;
}
