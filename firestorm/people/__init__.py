"""People: accounts, passwords, signing in, and invitations."""
