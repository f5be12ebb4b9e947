import { LIMITS } from "./limits";
import { clip } from "./clip";
import { FILE_STATUS, type FinalStatus, type OrderProblem } from "./types";

/**
 * A problem as kept: its message clipped, and its order id too, both well-formed (see `clip`). The
 * validator names only valid ids (at most 64 characters), but an order the parser refuses whole
 * names the id as the file gave it, which may be as long as a row.
 */
function asKept(problem: OrderProblem): OrderProblem {
  const { orderId } = problem;
  const clipped = orderId !== undefined ? { orderId: clip(orderId, LIMITS.maxIdLength + 3) } : {};
  return { ...problem, ...clipped, message: clip(problem.message, LIMITS.maxMessageLength) };
}

/**
 * What happened to the orders of one file so far: counts, and the first problems (capped, so the
 * metadata item stays far below DynamoDB's 400 KB limit whatever the file holds).
 */
export class OrderTally {
  /** Orders written to the output. */
  valid = 0;
  /** Orders (or unreadable entries) rejected. */
  rejected = 0;
  /** True once a problem was dropped because `errors` was full. */
  errorsTruncated = false;
  private readonly kept: OrderProblem[] = [];

  /** Valid plus rejected. */
  get total(): number {
    return this.valid + this.rejected;
  }

  /** The first problems found, at most `LIMITS.maxErrorsKept`, messages clipped. */
  get errors(): readonly OrderProblem[] {
    return this.kept;
  }

  /** Counts one valid order. */
  accept(): void {
    this.valid++;
  }

  /** Counts one rejected order and keeps its problems while there is room. */
  reject(problems: readonly OrderProblem[]): void {
    this.rejected++;
    for (const problem of problems) {
      if (this.kept.length >= LIMITS.maxErrorsKept) {
        this.errorsTruncated = true;
        return;
      }
      this.kept.push(asKept(problem));
    }
  }

  /** SUCCEEDED (all valid), PARTIAL (some valid) or FAILED (none valid); the file got through parsing. */
  status(): FinalStatus {
    if (this.valid === 0) return FILE_STATUS.failed;
    return this.rejected === 0 ? FILE_STATUS.succeeded : FILE_STATUS.partial;
  }
}
