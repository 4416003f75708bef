import { checkPythonRegexSyntax } from './python-regex.ts';
import { checkRegexBacktracking } from './regex-backtracking.ts';

/** The checks validation borrows from the machine when it runs in Node (CLI, server, build): Python, recheck. */
export const NODE_CHECKS = {
  checkPythonRegex: checkPythonRegexSyntax,
  checkRegexBacktracking,
} as const;
