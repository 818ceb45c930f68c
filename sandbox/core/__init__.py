"""What every provider shares. Nothing in here knows any provider."""
