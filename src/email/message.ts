// An outgoing email as the app composes it, and the interface every backend implements.

export type EmailMessage = {
  from: string;
  to: string;
  subject: string;
  text: string;
};

export type Mailer = {
  send(message: EmailMessage): Promise<void>;
  /** Releases connections (SMTP pool); safe to call more than once. */
  close(): void;
};
