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
