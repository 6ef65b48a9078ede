// The prompt of an intent request (`steward want`): Steward's goal, then the person's words as
// fenced, sanitised data, so they describe an outcome and cannot rewrite the rules above them.
import { emptyCounts, fenceAsData } from '../classify/sanitize.js';

export const MAX_REQUEST_CHARS = 2000;

export function renderWantPrompt(goal: string, request: string): string {
  const words = request.length > MAX_REQUEST_CHARS ? `${request.slice(0, MAX_REQUEST_CHARS)}…` : request;
  return `${goal}\n\n## The request\n\n${fenceAsData('request', words, emptyCounts())}`;
}
