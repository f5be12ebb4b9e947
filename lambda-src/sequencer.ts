/**
 * Orders two S3 sequencers of the same key: negative when `a` is older, 0 when equal, positive when
 * newer. As the S3 User Guide says, they compare as hex strings after right-padding the shorter one
 * with zeros.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padEnd(width, "0");
  const right = b.toUpperCase().padEnd(width, "0");
  return left < right ? -1 : left > right ? 1 : 0;
}
