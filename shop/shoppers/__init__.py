"""The shopper's own space without an account: orders found again by e-mail, privacy."""
