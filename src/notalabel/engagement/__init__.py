"""What listeners do with patterns: likes, plays, shares, comments and comment likes."""
