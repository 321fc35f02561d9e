"""The outbox: every message the site mails is a row written in the transaction that decided
to send it, sent once that transaction has committed, retried until it goes or is given up."""
