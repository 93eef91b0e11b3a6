// The email telling someone a list was shared with them.
import type { EmailMessage } from "../email/message.ts";

export function shareEmail({
  from,
  to,
  sharer,
  listName,
  listUrl,
}: {
  from: string;
  to: string;
  sharer: string;
  listName: string;
  listUrl: string;
}): EmailMessage {
  return {
    from,
    to,
    subject: `${sharer} shared a to-do list with you on Superlists`,
    text: `Hello,\n\n${sharer} shared their to-do list "${listName}" with you.\nLog in to Superlists as ${to} to see it:\n\n${listUrl}`,
  };
}
