import type { IncomingMessage } from '@confeitaria/platform';
import { z } from 'zod';

const messageIdSchema = z.uuid();

/**
 * The message's id as the inbox keys it. A message without a uuid id could never be deduplicated,
 * so it is refused with a ZodError, which parks it at once instead of retrying it.
 */
export function inboxId(message: IncomingMessage): string {
  return messageIdSchema.parse(message.messageId);
}
