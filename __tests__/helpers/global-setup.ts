import { bundleLambda } from "../../stacks/lambda-bundle";

/** Builds the function bundle once before jest starts its workers, so they all package the same file. */
export default function globalSetup(): void {
  bundleLambda();
}
