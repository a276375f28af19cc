"""Discovery: the public feeds (recent, trending, following) and search."""
