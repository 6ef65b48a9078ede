// One POST of a notification channel, with a deadline; a non-2xx answer is an ApiError naming the
// service and status (never the URL's query, which may carry a token).
import { ApiError } from '../../errors.js';

export async function postOnce(service: string, url: string, init: { headers: Record<string, string>; body: string }, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error) {
    throw new ApiError(service, undefined, `request failed: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new ApiError(service, response.status, `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}
