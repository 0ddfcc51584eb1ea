// Rendering of validation issues as the lines vic-machine prints: the message, then the values that would work
// ("Suggested values for <flag>:" and one quoted value per line, as the original prints them), then the fix.
import type { ValidationIssue } from './types.js';

export function formatIssue(issue: ValidationIssue): string[] {
  // Messages keep the original's wording (scripts grep for it); the flag is added when the message does not name it.
  const lines = [issue.message.includes(issue.flag) ? issue.message : `${issue.message} (${issue.flag})`];
  if (issue.suggestions) {
    if (issue.suggestions.length) {
      lines.push(`Suggested values for ${issue.flag}:`);
      for (const s of issue.suggestions) lines.push(`  "${s}"`);
    } else {
      lines.push(`No values found for ${issue.flag}`);
    }
  }
  if (issue.fix) lines.push(`To fix this, run: ${issue.fix}`);
  return lines;
}

export function formatIssues(issues: readonly ValidationIssue[]): string[] {
  return issues.flatMap(formatIssue);
}
