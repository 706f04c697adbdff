/** `npm test`'s first step: stop at once, with the fix, on a Node that racine does not support. */
import { runMain } from "./lib/cli";

runMain(() => {});
