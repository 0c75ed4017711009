import type { Finding } from '../protocol/index.js';

/** "code: message [rule]", with "×count" for a grouped finding (issue 14: one line for 50,000 alike). */
export function findingText(finding: Finding): string {
  return `${finding.code}: ${finding.message}${finding.count !== undefined ? ` ×${finding.count} (${finding.firstAt} to ${finding.lastAt})` : ''} [${finding.rule}]`;
}
